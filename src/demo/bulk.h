// Bulk complaints for load tests and benchmarks: many plain complaints,
// written straight through the store in large transactions. Not demo data:
// one customer per 10 complaints, generated subjects, spread over teams,
// states and channels so that filtered lists have realistic selectivity.
#pragma once

#include "storage/store.h"

namespace kefu {

struct BulkOptions {
  int tickets = 1000000;
  int batch = 5000;  // complaints per transaction
  Millis now = 0;
  // > 0: every open complaint also gets running SLA clocks whose timers come
  // due spread evenly over [now + sla_due_after, … + sla_due_within) (the
  // timer benchmark).
  Millis sla_due_within = 0;
  Millis sla_due_after = 0;
};

Result<int> BulkFill(Store& store, const BulkOptions& options);

}  // namespace kefu
