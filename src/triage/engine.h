// Triage: what kefu sees the moment a complaint arrives or changes. Inside the
// write transaction of the change it grades the customer's emotion and
// threats, detects the language, suggests or sets the root cause, runs the
// department's rules, opens red cases, routes the complaint, and updates the
// customer's churn risk, recording every step in the complaint's history.
//
// Rules, lexicon, settings, the classifier and routing profiles are data in
// the store, held here as an immutable snapshot that is swapped on change.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/json/fwd.hpp>

#include "auth/permissions.h"
#include "core/clock.h"
#include "core/published.h"
#include "tickets/service.h"
#include "triage/routing.h"
#include "triage/rules.h"
#include "triage/settings.h"

namespace kefu::calendars {
class CalendarRegistry;
}  // namespace kefu::calendars

namespace kefu::nlp {
class EmotionGrader;
class Classifier;
}  // namespace kefu::nlp

namespace kefu::triage {

struct Snapshot;
struct RuleBook;
class Notifier;
class CustomerHistory;

// What the dry run reports: the grade, the rules that would fire and what
// they would change.
struct DryRunInput {
  std::optional<Id> ticket_id;  // an existing complaint, or the fields below
  std::string subject, text;
  std::optional<Channel> channel;
  std::optional<Tier> tier;
  std::string region, customer_language;
  std::optional<Severity> severity;
  std::optional<Priority> priority;
  std::optional<std::string> category;
  std::optional<Id> team_id;
  Trigger trigger = Trigger::kCreated;
  std::optional<Millis> at;  // when the rules would run (business hours); now by default
};

struct ClassifierInfo {
  bool trained = false;
  Millis trained_at = 0;
  int examples = 0;
  size_t labels = 0;
  size_t vocabulary = 0;
};

class TriageEngine final : public TicketHook {
 public:
  // `calendars` answers the rules' business_hours condition.
  TriageEngine(Store& store, Catalog& catalog, const Clock& clock, const calendars::CalendarRegistry& calendars);
  ~TriageEngine() override;

  // Loads rules, lexicon, settings, model and routing from the store; seeds the
  // default rules on first start.
  Status Load();
  Settings CurrentSettings() const;

  Result<std::vector<Notification>> AfterWrite(WriteTx& tx, TicketTrigger trigger, Ticket& t,
                                               const Message* message, const Customer* customer) override;
  // A new complaint is triaged before its insert, so that it is written once
  // with what triage decided; the rows that refer to it follow the insert.
  Result<AfterInsert> BeforeInsert(WriteTx& tx, Ticket& t, const Customer& customer) override;
  // Grades, folds and (for a complaint without a cause) classifies the text
  // ahead of the write (see TicketHook).
  void Prepare(const std::string& text, bool uncategorized) override;

  Result<boost::json::object> DryRun(const Principal& p, const DryRunInput& in);

  // Rules
  Result<std::vector<StoredRule>> ListRules(const Principal& p);
  Result<StoredRule> GetRule(const Principal& p, Id id);
  Result<StoredRule> CreateRule(const Principal& p, const boost::json::object& body);
  Result<StoredRule> UpdateRule(const Principal& p, Id id, const boost::json::object& body);
  Status DeleteRule(const Principal& p, Id id);
  Result<std::vector<RuleVersion>> RuleVersions(const Principal& p, Id id);

  // Lexicon: the built-in entries (id 0) and the department's own.
  Result<std::vector<LexiconRow>> ListLexicon(const Principal& p);
  Result<LexiconRow> AddLexicon(const Principal& p, LexiconRow row);
  Status DeleteLexicon(const Principal& p, Id id);

  Result<Settings> GetSettings(const Principal& p);
  Result<Settings> PutSettings(const Principal& p, const boost::json::object& body);

  // Routing
  Result<std::vector<AgentProfile>> ListProfiles(const Principal& p);
  Result<AgentProfile> PutProfile(const Principal& p, Id user_id, const boost::json::object& body);
  Result<AgentProfile> SetPresence(const Principal& p, Presence presence);
  Result<std::vector<TeamRouting>> ListTeamRouting(const Principal& p);
  Result<TeamRouting> PutTeamRouting(const Principal& p, Id team_id, const boost::json::object& body);

  // Root-cause classifier
  Result<ClassifierInfo> Retrain();
  ClassifierInfo ModelInfo() const;
  Result<boost::json::object> EvaluateClassifier(double test_fraction);

  // Customers at risk (highest first) and one customer's current score.
  Result<std::vector<CustomerRisk>> ListRisk(const Principal& p, int min_score, int limit);
  Result<CustomerRisk> CustomerRiskNow(const Principal& p, Id customer_id);

  Result<std::vector<TriageRecord>> History(const Principal& p, Id ticket_id, TicketService& tickets);

  // The first of `conditions` (triage::ParseWhen) that holds for the complaint
  // at `now`, judged on the same facts the rules see; SLA policies use it.
  Result<std::optional<size_t>> FirstMatch(ReadTx& tx, const std::vector<const Rule*>& conditions, const Ticket& t,
                                           const Customer& c, Millis now);

  // Hands the complaint to another available agent of its team (an SLA
  // escalation), inside the caller's transaction; false with `why` when
  // nobody else can take it. `t` is as stored: only the assignee is written.
  Result<bool> Reassign(WriteTx& tx, Ticket& t, Notifier& notify, std::string& why);

  // Periodic work: overflow of unassigned complaints to fallback teams and
  // scheduled retraining. Returns the notifications written.
  Result<std::vector<Notification>> Sweep();
  // Complaints a sweep moves at most per team, longest waiting first, in one
  // write; the rest follow on the next sweeps.
  static constexpr int kOverflowBatch = 50;

 private:
  // The parts of the snapshot, each built from its own data in the store.
  enum Part : unsigned { kRules = 1, kLexicon = 2, kModel = 4, kSettings = 8, kEverything = 15 };
  // Publishes a snapshot with `parts` built anew from the store and the other
  // parts of the current one: a rule's save does not rebuild the grader.
  Status Reload(unsigned parts);
  Result<std::shared_ptr<Snapshot>> Build(ReadTx& tx, const Snapshot* current, unsigned parts);
  Result<std::shared_ptr<const RuleBook>> BuildRules(ReadTx& tx);
  // Agents' profiles and teams' routing, read once at start: afterwards they
  // change only through this engine, which keeps them.
  Status LoadRouting();
  // Writes that refer to the complaint, in the order triage decided them.
  using Writes = std::vector<std::function<Status(WriteTx&, Notifier&)>>;
  // Triages `t`, changing its fields; what is to be written (the writes, the
  // complaint itself when `stored`, the customer's churn risk) is returned,
  // to run in the same transaction while `t` lives. A complaint not yet
  // `stored` is one being created; its id is reserved.
  Result<AfterInsert> Decide(WriteTx& tx, std::shared_ptr<const Snapshot> snapshot, TicketTrigger trigger, Ticket& t,
                             const Message* message, const Customer* known, bool stored);
  Status UpdateRisk(WriteTx& tx, const CatalogSnapshot& cat, const Settings& settings, const Customer& customer,
                    CustomerHistory& history, const Ticket& t, Millis now, Notifier& notify);

  // Routes `t` to an agent as `req` asks, queueing the record of why; false
  // when nobody fits.
  Result<bool> Assign(ReadTx& tx, const CatalogSnapshot& cat, Ticket& t, const RoutingRequest& req, Millis now,
                      Writes& writes, std::string& why);
  // Whether the calendar of the team (the customer's region's, when it has
  // none) is open at `at`; asked by the rules only when one needs it.
  std::function<bool()> BusinessHours(std::optional<Id> team_id, const Customer& c, Millis at) const;

  Store& store_;
  Catalog& catalog_;
  const Clock& clock_;
  const calendars::CalendarRegistry& calendars_;
  Published<Snapshot> snapshot_;
  std::mutex routing_mu_;  // profiles' last assignment, updated by the writer
  RoutingState routing_;
  // Text work done by Prepare, taken (once) by the write that follows.
  struct Prepared;
  std::shared_ptr<const Prepared> TakePrepared(const std::string& text, const Snapshot& s);
  std::mutex prepared_mu_;
  std::unordered_map<std::string, std::shared_ptr<const Prepared>> prepared_;
  std::mutex train_mu_;
  std::atomic<Millis> last_scheduled_training_{0};  // also when there was too little to learn from
};

}  // namespace kefu::triage
