// Red cases (红案): urgent and escalated complaints with an owner of
// supervisor rank or above, a task force (专项小组), and a progress update due
// at a set cadence (每日汇报) until the case is closed with a reason. A missed
// update is an event that escalates to the directors.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "auth/permissions.h"
#include "core/clock.h"
#include "storage/store.h"
#include "tickets/catalog.h"
#include "tickets/service.h"
#include "triage/notify.h"

namespace kefu::triage {

// Inside a transaction: opens a red case on `t` (sets t.red_case; the caller
// writes `t`), choosing the owner when none is given, and tells the owner and
// the task force.
Result<RedCase> OpenRedCase(WriteTx& tx, const CatalogSnapshot& cat, Ticket& t, const std::string& reason,
                            const std::string& source, std::optional<Id> opened_by, int cadence_minutes, Millis now,
                            Notifier& notify, std::optional<Id> owner = std::nullopt);

struct RedCaseRow {
  RedCase red_case;
  Ticket ticket;
  Customer customer;
  std::optional<RedCaseUpdate> last_update;
};

struct RedCaseDetail {
  RedCase red_case;
  Ticket ticket;
  std::vector<RedCaseUpdate> updates;
};

struct RedCaseChange {
  std::optional<Id> owner_id;
  std::optional<std::vector<Id>> member_ids;
  std::optional<int> cadence_minutes;
};

class RedCaseService {
 public:
  // `cadence` gives the department's default update cadence in minutes.
  RedCaseService(Store& store, Catalog& catalog, const Clock& clock, std::function<int()> cadence);

  // Delivers notifications after their commit.
  void OnNotify(std::function<void(const std::vector<Notification>&)> f) { notify_ = std::move(f); }
  // Runs after opening, reporting on or closing a red case, in its
  // transaction (the SLA clocks follow red cases).
  void SetHook(TicketHook* hook) { hook_ = hook; }

  Result<RedCase> Open(const Principal& p, Id ticket_id, const std::string& reason, std::optional<Id> owner);
  Result<RedCase> Close(const Principal& p, Id id, const std::string& reason);
  Result<RedCaseUpdate> AddUpdate(const Principal& p, Id id, const std::string& body);
  Result<RedCase> Change(const Principal& p, Id id, const RedCaseChange& change);
  Result<RedCaseDetail> Get(const Principal& p, Id id);
  Result<std::vector<RedCase>> OfTicket(const Principal& p, Id ticket_id);
  // Every open red case, next update due first.
  Result<std::vector<RedCaseRow>> Board(const Principal& p);
  // Records each missed progress update, escalates it, and sets the next due
  // time. Returns the notifications written.
  Result<std::vector<Notification>> SweepOverdue();

 private:
  Status CheckOwner(const CatalogSnapshot& cat, Id owner);
  Status RunHook(WriteTx& tx, Id ticket_id, std::vector<Notification>& sent);
  void Deliver(const std::vector<Notification>& n);

  Store& store_;
  Catalog& catalog_;
  const Clock& clock_;
  std::function<int()> cadence_;
  std::function<void(const std::vector<Notification>&)> notify_;
  TicketHook* hook_ = nullptr;
};

}  // namespace kefu::triage
