// The reference data a new kefu store starts with: the states of every state
// type, the root-cause categories of seed 000 and the usual departments.
// Idempotent: each group is created only when its table is empty.
#pragma once

#include "core/clock.h"
#include "storage/store.h"

namespace kefu {

Status EnsureDefaults(Store& store, const Clock& clock);

}  // namespace kefu
