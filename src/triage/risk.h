// A customer's recent complaints, and VIP churn risk: a 0–100 score per
// customer from that history, with the reasons that make it up.
//
//   service failures (a failure cause, counted per complaint)  15 each, at most 45
//   reopened complaints                                        10 each, at most 30
//   red cases                                                  20 each, at most 40
//   angry or threatening complaints (emotion ≥ 3)              10 each, at most 30
//   upset complaints (emotion 2)                                4 each, at most 12
//   time waiting: each open complaint older than a day        +1 per 12 hours, at most 20
#pragma once

#include <map>
#include <vector>

#include "storage/store.h"
#include "tickets/catalog.h"
#include "triage/settings.h"

namespace kefu::triage {

// The customer's complaints, read from the store once (for the widest window
// asked so far) and counted for any window of days. A customer that is not in
// the store (id 0) has no history.
class CustomerHistory {
 public:
  CustomerHistory(ReadTx& tx, const CatalogSnapshot& cat, const Settings& settings, Id customer_id, Millis now);

  // Complaints created in the last `days` days (merged ones left out).
  int Complaints(int days);
  // Of those, complaints with a failure cause, plus their reopens.
  int Failures(int days);
  // Takes the current values of a complaint changed in this transaction,
  // also of one not yet in the store (a creation triaged before its insert).
  void Update(const Ticket& t);
  // The churn risk over the settings' window.
  Result<CustomerRisk> Risk();

 private:
  const std::vector<CustomerComplaint>& Since(int days);
  // Puts a changed complaint into the loaded ones.
  void Apply(const CustomerComplaint& u);

  ReadTx& tx_;
  const CatalogSnapshot& cat_;
  const Settings& settings_;
  Id customer_id_;
  Millis now_;
  int loaded_days_ = -1;  // the window `complaints_` covers
  std::vector<CustomerComplaint> complaints_;  // newest first
  std::vector<CustomerComplaint> updated_;  // changed in this transaction, applied to every load
  std::map<int, int> complaints_in_, failures_in_;  // counts by window, until the next change
};

Result<CustomerRisk> ComputeRisk(ReadTx& tx, const CatalogSnapshot& cat, const Settings& settings, Id customer_id,
                                 Millis now);

// Whether a complaint's cause counts as a service failure.
bool IsFailureCategory(const CatalogSnapshot& cat, const Settings& settings, std::optional<Id> category_id);

}  // namespace kefu::triage
