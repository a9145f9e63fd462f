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
  KEFU_ASSIGN(auto s, db.Prepare("SELECT assignee_id, COUNT(*) FROM tickets WHERE assignee_id IS NOT NULL "
                                 "AND state_type IN ('new', 'open', 'pending_customer', 'pending_internal') "
                                 "GROUP BY assignee_id"));
  for (;;) {
    KEFU_ASSIGN(bool row, s.Step());
    if (!row) break;
    open_[s.Int(0)] = s.Int(1);
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
