#include "domain/lifecycle.h"

namespace kefu {

bool IsFinal(StateType type) { return type == StateType::kClosed || type == StateType::kMerged; }

bool IsReopen(StateType from, StateType to) { return from == StateType::kResolved && to == StateType::kOpen; }

bool TransitionAllowed(StateType from, StateType to) {
  using S = StateType;
  if (IsFinal(from) || to == S::kNew || to == S::kMerged) return false;
  switch (from) {
    case S::kNew:
    case S::kOpen:
    case S::kPendingCustomer:
    case S::kPendingInternal:
      return to != S::kClosed;
    case S::kResolved:
      return to == S::kClosed || to == S::kOpen || to == S::kResolved;
    default:
      return false;
  }
}

std::vector<StateType> AllowedTransitions(StateType from) {
  std::vector<StateType> out;
  for (size_t i = 0; i < EnumNames<StateType>::kNames.size(); ++i) {
    auto to = static_cast<StateType>(i);
    if (TransitionAllowed(from, to)) out.push_back(to);
  }
  return out;
}

}  // namespace kefu
