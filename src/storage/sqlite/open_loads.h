// Open complaints per assignee, kept by the writer in step with its own
// writes, so that routing reads an agent's load from memory instead of
// counting it on every decision. Private to storage/sqlite.
//
// Every change is also logged for undoing: a job that fails is undone back to
// the mark taken before it (its savepoint), a batch that fails to commit back
// to the start, and a commit forgets the log.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "domain/enums.h"
#include "domain/types.h"
#include "storage/sqlite/db.h"

namespace kefu::sqlite {

// Whether a complaint in this state counts against its assignee's capacity.
bool CountsAsOpen(StateType s);

class OpenLoads {
 public:
  // Counts the stored complaints; until it succeeds, `loaded()` is false.
  Status Load(Db& db);
  bool loaded() const { return loaded_; }

  // A complaint moved from `before` (assignee, state) to `after`.
  void Move(std::optional<Id> before_assignee, StateType before_state, std::optional<Id> after_assignee,
            StateType after_state);
  std::int64_t Of(Id user) const;

  size_t Mark() const { return undo_.size(); }
  void UndoTo(size_t mark);
  void Commit() { undo_.clear(); }

 private:
  void Add(Id user, int delta);

  bool loaded_ = false;
  std::unordered_map<Id, std::int64_t> open_;
  std::vector<std::pair<Id, int>> undo_;  // changes since the last commit, in order
};

}  // namespace kefu::sqlite
