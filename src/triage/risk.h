// VIP churn risk: a 0–100 score per customer from their recent history, with
// the reasons that make it up.
//
//   service failures (a failure cause, counted per complaint)  15 each, at most 45
//   reopened complaints                                        10 each, at most 30
//   red cases                                                  20 each, at most 40
//   angry or threatening complaints (emotion ≥ 3)              10 each, at most 30
//   upset complaints (emotion 2)                                4 each, at most 12
//   time waiting: each open complaint older than a day        +1 per 12 hours, at most 20
#pragma once

#include "storage/store.h"
#include "tickets/catalog.h"
#include "triage/settings.h"

namespace kefu::triage {

Result<CustomerRisk> ComputeRisk(ReadTx& tx, const CatalogSnapshot& cat, const Settings& settings, Id customer_id,
                                 Millis now);

// Whether a complaint's cause counts as a service failure.
bool IsFailureCategory(const CatalogSnapshot& cat, const Settings& settings, std::optional<Id> category_id);

}  // namespace kefu::triage
