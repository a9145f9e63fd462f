// Service levels of complaints: picks each complaint's SLA policy, keeps its
// clocks (sla/clocks.h) stored with it, fires warnings, breaches and the
// escalation ladder from a timer structure (sla/timer_thread.h) within a
// second of their due time, and answers the SLA views.
//
// Inside the write transaction of every change to a complaint (a TicketHook,
// after triage) the clocks are recomputed from the complaint's history: a
// pure function of (policy version, calendar, history), stored with the
// complaint together with its pending timers and the escalation steps taken.
// The timers live in memory; at start they are rebuilt from the store, so
// what came due while the server was down fires once, and a step is recorded
// in the same transaction as its actions, so nothing fires twice.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/json/fwd.hpp>

#include "calendars/registry.h"
#include "core/published.h"
#include "escalation/policy.h"
#include "sla/timer_thread.h"
#include "tickets/service.h"

namespace kefu::triage {
class TriageEngine;
}  // namespace kefu::triage

namespace kefu::escalation {

// The service level of a complaint in one line, for lists (docs/sla.md,
// "Summary"): the clock due first among those still running, the late one if
// any, and whether a warning has been reached. Only the clocks that the
// service escalates count (the red-case report cadence is the red-case
// service's), as for `next_due_at` and `breached` of the stored row.
struct SlaSummary {
  // The running clock with the earliest due time (not late at `now`).
  std::optional<SlaMetric> next_metric;
  std::optional<std::int64_t> next_ref;  // its handoff id
  std::optional<Millis> next_due_at;
  // The earliest warning instant of a running clock (past or to come), and
  // whether it has come by `now`.
  std::optional<Millis> warning_at;
  bool warning = false;
  // An unfinished clock is late: it breached (even while paused) or it runs
  // past its due time at `now` (before its breach timer has fired). The one
  // late first is named.
  bool breached = false;
  std::optional<SlaMetric> breached_metric;
  std::optional<std::int64_t> breached_ref;
  std::optional<Millis> breached_at;
  // Nothing to show: no running and no late clock.
  bool Empty() const { return !next_due_at && !breached; }
  friend bool operator==(const SlaSummary&, const SlaSummary&) = default;
};

// The summary of a complaint's clocks at `now`. Pure.
SlaSummary Summarize(const std::vector<SlaClock>& clocks, Millis now);

// A complaint's service levels for the API.
struct TicketLevels {
  TicketSla stored;
  std::string policy_name;
  std::vector<SlaClock> clocks;
  SlaSummary summary;  // of the stored clocks at the time of reading
};

class SlaService final : public TicketHook {
 public:
  SlaService(Store& store, Catalog& catalog, const Clock& clock, const calendars::CalendarRegistry& calendars,
             triage::TriageEngine& triage);
  ~SlaService() override;

  // Loads the policies, seeding the defaults into an empty store.
  Status Load();
  // Rebuilds the timers from the store and starts firing them (on a thread of
  // its own, or only through RunDue when `thread` is false: tests with a
  // ManualClock).
  Status Start(bool thread = true);
  void Stop();
  // What escalation changed, after its commit (live views).
  void OnChange(std::function<void(const std::vector<Notification>&, const std::vector<Ticket>&)> f) {
    listener_ = std::move(f);
  }

  Result<std::vector<Notification>> AfterWrite(WriteTx& tx, TicketTrigger trigger, Ticket& t,
                                               const Message* message, const Customer* customer) override;

  // Fires what is due at the clock's now on the calling thread; returns how many timers fired.
  std::size_t RunDue();
  LatenessStats Lateness() const;
  std::size_t TimerCount() const;
  // How long Start took to read the timers from the store and build the structure.
  std::int64_t RebuildMillis() const { return rebuild_ms_; }

  // Policies: reading needs tickets.read, changing sla.manage.
  Result<std::vector<StoredSlaPolicy>> ListPolicies(const Principal& p);
  Result<StoredSlaPolicy> CreatePolicy(const Principal& p, const boost::json::object& body);
  Result<StoredSlaPolicy> UpdatePolicy(const Principal& p, Id id, const boost::json::object& body);
  Status DeletePolicy(const Principal& p, Id id);
  // Re-matches every open complaint against the current policies (their
  // current versions); returns how many changed policy or version.
  Result<int> Reevaluate(const Principal& p);

  // The views. `Of` expects the caller to have checked the complaint is visible.
  Result<TicketLevels> Of(Id ticket_id);
  Result<std::vector<TicketLevels>> List(const Principal& p, const SlaListQuery& q);
  // The summaries of these complaints at the clock's now, in one store read,
  // by ticket id; complaints without service levels are absent. Like `Of`, it
  // expects the caller to have checked the complaints are visible.
  Result<std::unordered_map<Id, SlaSummary>> Summaries(const std::vector<Id>& ticket_ids);
  // Met and breached clock instances per metric among complaints updated in [from, to).
  Result<boost::json::object> Counts(const Principal& p, Millis from, Millis to);

 private:
  struct Snapshot;
  Status Reload();
  // The parsed policy of (id, version), from the cache or the store.
  Result<std::shared_ptr<const SlaPolicy>> PolicyVersion(ReadTx& tx, Id id, int version);
  // Recomputes the complaint's clocks, takes the escalation steps due at
  // `now`, stores the result and schedules its timers.
  // `customer`: the complaint's customer if at hand, else read.
  Status Evaluate(WriteTx& tx, Ticket& t, Millis now, bool rematch, std::vector<Notification>& out,
                  bool* changed_policy = nullptr, const Customer* customer = nullptr);
  void Fire(std::span<const TimerEntry> due, Millis now);

  Store& store_;
  Catalog& catalog_;
  const Clock& clock_;
  const calendars::CalendarRegistry& calendars_;
  triage::TriageEngine& triage_;
  Published<Snapshot> snapshot_;
  mutable std::mutex mu_;  // guards versions_
  std::map<std::pair<Id, int>, std::shared_ptr<const SlaPolicy>> versions_;  // guarded by mu_
  std::unique_ptr<TimerThread> timers_;
  std::int64_t rebuild_ms_ = 0;
  std::function<void(const std::vector<Notification>&, const std::vector<Ticket>&)> listener_;
};

// Clocks as JSON, for the API and for storage.
boost::json::array ClocksJson(const std::vector<SlaClock>& clocks);
// The clocks of ClocksJson read back from its text; entries it cannot read
// are left out (an empty text is no clocks).
std::vector<SlaClock> ParseClocks(std::string_view text);

}  // namespace kefu::escalation
