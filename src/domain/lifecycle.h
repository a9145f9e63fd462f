// The complaint lifecycle: which state types may follow which.
//
//   new ──> open, pending_customer, pending_internal, resolved
//   open ──> pending_customer, pending_internal, resolved
//   pending_customer <──> pending_internal, and both ──> open, resolved
//   resolved ──> closed, open (a reopen)
//   closed, merged: final
//
// Merging is not a transition: it has its own operation (tickets service),
// allowed from any state type except closed and merged. Moving between two
// admin-named states of the same type is allowed where the type is not final.
#pragma once

#include <vector>

#include "domain/enums.h"

namespace kefu {

bool TransitionAllowed(StateType from, StateType to);
std::vector<StateType> AllowedTransitions(StateType from);
bool IsFinal(StateType type);
bool IsReopen(StateType from, StateType to);

}  // namespace kefu
