#include "storage/sqlite/open_loads.h"

namespace kefu::sqlite {

bool CountsAsOpen(StateType s) {
  return s == StateType::kNew || s == StateType::kOpen || s == StateType::kPendingCustomer ||
         s == StateType::kPendingInternal;
}

Status OpenLoads::Load(Db& db) {
  loaded_ = false;
  open_.clear();
  undo_.clear();
  // Per user, a seek on tickets_open_load (the open states are the range
  // 'new'..'pending_internal', see CountOpenAssigned): start-up reads the
  // open complaints of each user, not every complaint of the store.
  KEFU_ASSIGN(auto s, db.Prepare("SELECT u.id, (SELECT COUNT(*) FROM tickets WHERE assignee_id = u.id "
                                 "AND state_type BETWEEN 'new' AND 'pending_internal') FROM users u"));
  for (;;) {
    KEFU_ASSIGN(bool row, s.Step());
    if (!row) break;
    if (s.Int(1) > 0) open_[s.Int(0)] = s.Int(1);
  }
  loaded_ = true;
  return {};
}

void OpenLoads::Add(Id user, int delta) {
  open_[user] += delta;
  undo_.emplace_back(user, delta);
}

void OpenLoads::Move(std::optional<Id> before_assignee, StateType before_state, std::optional<Id> after_assignee,
                     StateType after_state) {
  const bool was = before_assignee && CountsAsOpen(before_state);
  const bool is = after_assignee && CountsAsOpen(after_state);
  if (was && is && *before_assignee == *after_assignee) return;
  if (was) Add(*before_assignee, -1);
  if (is) Add(*after_assignee, +1);
}

std::int64_t OpenLoads::Of(Id user) const {
  auto it = open_.find(user);
  return it == open_.end() ? 0 : it->second;
}

void OpenLoads::UndoTo(size_t mark) {
  while (undo_.size() > mark) {
    auto [user, delta] = undo_.back();
    open_[user] -= delta;
    undo_.pop_back();
  }
}

}  // namespace kefu::sqlite
