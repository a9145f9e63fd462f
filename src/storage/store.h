// The storage seam of kefu. Services see only these interfaces; backends
// (SQLite now, PostgreSQL later) implement them and pass the same contract
// tests (tests/unit/storage).
//
// Reads run in a ReadTx: a consistent snapshot on one read connection.
// Writes run in a WriteTx inside Store::Write, which funnels all writers into
// one thread that commits the work of many requests together (group commit)
// and returns only after the commit is durable. A write function that returns
// an error has all of its changes rolled back, without affecting the others
// in the same batch.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "domain/sla_types.h"
#include "domain/outbox_types.h"
#include "domain/triage_types.h"
#include "domain/types.h"

namespace kefu {

// Which complaints a caller may see. Filled by auth/ from the caller's role.
struct TicketScope {
  bool all = false;
  std::vector<Id> team_ids;         // complaints of these teams
  std::optional<Id> user_id;        // plus complaints assigned to / shared with this user
  std::optional<Id> department_id;  // liaisons: complaints handed to this department
};

enum class TicketSort { kUpdatedDesc, kUpdatedAsc, kCreatedDesc, kCreatedAsc, kPriority };

struct TicketQuery {
  TicketScope scope;
  std::vector<StateType> states;
  std::optional<Id> team_id;
  std::optional<Id> assignee_id;
  bool unassigned = false;
  std::optional<Channel> channel;
  std::optional<Id> category_id;
  std::optional<Severity> severity;
  std::optional<Priority> priority;
  std::optional<Id> customer_id;
  std::optional<Millis> created_from, created_to, updated_from, updated_to;
  std::string subject_contains;
  TicketSort sort = TicketSort::kUpdatedDesc;
  // Keyset position: the sort key values and id of the last row of the
  // previous page (see tickets/ cursor encoding).
  std::optional<std::vector<std::int64_t>> after;
  int limit = 50;
};

struct HandoffQuery {
  std::optional<Id> department_id;
  std::optional<HandoffState> state;
  int limit = 200;
};

class ReadTx {
 public:
  virtual ~ReadTx() = default;

  virtual Result<Ticket> GetTicket(Id id) = 0;
  // The complaints with these ids that exist, each once, in no particular order
  // (one query per 256 ids: lists show a page of complaints without a read per row).
  virtual Result<std::vector<Ticket>> GetTickets(const std::vector<Id>& ids) = 0;
  virtual Result<std::optional<Ticket>> FindTicketBySourceRef(const std::string& source_ref) = 0;
  virtual Result<std::optional<Ticket>> FindTicketByNumber(const std::string& number) = 0;
  virtual Result<std::vector<Ticket>> ListTickets(const TicketQuery& q) = 0;
  virtual Result<std::int64_t> CountTickets(const TicketQuery& q) = 0;
  // Tickets by ascending id, for export.
  virtual Result<std::vector<Ticket>> TicketsAfter(Id after_id, int limit) = 0;
  // The team's new and open complaints that have waited unassigned in its
  // queue since `queued_by` or earlier (Ticket::queued_at), longest waiting first.
  virtual Result<std::vector<Ticket>> ListQueued(Id team_id, Millis queued_by, int limit) = 0;
  virtual Result<std::vector<Message>> ListMessages(Id ticket_id) = 0;
  virtual Result<std::vector<TicketEvent>> ListEvents(Id ticket_id) = 0;
  virtual Result<std::vector<Handoff>> ListHandoffs(Id ticket_id) = 0;
  virtual Result<std::vector<Handoff>> QueryHandoffs(const HandoffQuery& q) = 0;
  virtual Result<Handoff> GetHandoff(Id id) = 0;
  virtual Result<std::vector<TicketLink>> ListLinks(Id ticket_id) = 0;

  virtual Result<Customer> GetCustomer(Id id) = 0;
  // The customers with these ids that exist, in no particular order.
  virtual Result<std::vector<Customer>> GetCustomers(const std::vector<Id>& ids) = 0;
  virtual Result<std::optional<Customer>> FindCustomerByPhone(const std::string& phone) = 0;
  virtual Result<std::optional<Customer>> FindCustomerByEmail(const std::string& email) = 0;
  virtual Result<std::optional<Customer>> FindCustomerByExternalId(const std::string& external_id) = 0;
  // Customers whose name, phone or email starts with `prefix`.
  virtual Result<std::vector<Customer>> SearchCustomers(const std::string& prefix, int limit) = 0;

  virtual Result<User> GetUser(Id id) = 0;
  virtual Result<std::optional<User>> FindUserByUsername(const std::string& username) = 0;
  virtual Result<std::vector<User>> ListUsers() = 0;
  virtual Result<std::vector<Team>> ListTeams() = 0;
  virtual Result<std::vector<Department>> ListDepartments() = 0;
  virtual Result<std::vector<Category>> ListCategories() = 0;
  virtual Result<std::vector<TicketState>> ListStates() = 0;

  virtual Result<std::optional<Credential>> FindCredential(const std::string& token_hash) = 0;
  virtual Result<std::vector<Credential>> ListApiTokens(Id user_id) = 0;
  // Newest first; entries with id < before_id when given.
  virtual Result<std::vector<AuditEntry>> ListAudit(std::optional<Id> before_id, int limit) = 0;

  // Triage (storage/sqlite/triage_tx.cpp)
  virtual Result<std::vector<StoredRule>> ListRules() = 0;  // not deleted, by position
  virtual Result<StoredRule> GetRule(Id id) = 0;
  virtual Result<std::vector<RuleVersion>> ListRuleVersions(Id rule_id) = 0;  // newest first
  virtual Result<std::vector<LexiconRow>> ListLexicon() = 0;
  virtual Result<std::vector<TriageRecord>> ListTriageRecords(Id ticket_id) = 0;
  virtual Result<RedCase> GetRedCase(Id id) = 0;
  virtual Result<std::optional<RedCase>> FindOpenRedCase(Id ticket_id) = 0;
  virtual Result<std::vector<RedCase>> ListOpenRedCases() = 0;  // by next update due
  virtual Result<std::vector<RedCase>> RedCasesOfTicket(Id ticket_id) = 0;
  // Open red cases whose progress update was due at or before `at`.
  virtual Result<std::vector<RedCase>> OverdueRedCases(Millis at) = 0;
  virtual Result<std::int64_t> CountRedCasesOfCustomer(Id customer_id, Millis since) = 0;
  // The customer's complaints created at or after `since`, newest first, without merged ones.
  virtual Result<std::vector<CustomerComplaint>> CustomerComplaints(Id customer_id, Millis since, int limit) = 0;
  virtual Result<std::vector<RedCaseUpdate>> ListRedCaseUpdates(Id red_case_id) = 0;
  virtual Result<std::vector<AgentProfile>> ListAgentProfiles() = 0;
  virtual Result<std::vector<TeamRouting>> ListTeamRouting() = 0;
  // Open (not resolved, closed or merged) complaints assigned to each user, in the order given.
  virtual Result<std::vector<std::int64_t>> CountOpenAssigned(const std::vector<Id>& user_ids) = 0;
  virtual Result<std::optional<CustomerRisk>> GetCustomerRisk(Id customer_id) = 0;
  virtual Result<std::vector<CustomerRisk>> ListCustomerRisk(int min_score, int limit) = 0;  // highest first
  // Newest first; ids < before_id when given.
  virtual Result<std::vector<Notification>> ListNotifications(Id user_id, bool unread_only, std::optional<Id> before_id,
                                                              int limit) = 0;
  virtual Result<std::int64_t> CountUnreadNotifications(Id user_id) = 0;
  virtual Result<std::optional<std::string>> GetSetting(const std::string& key) = 0;
  virtual Result<std::optional<StoredModel>> GetModel(const std::string& kind) = 0;
  // Training data of the root-cause classifier, newest first: the subject and
  // description of complaints whose cause an agent set or confirmed (not one
  // that only triage set).
  virtual Result<std::vector<std::pair<std::string, Id>>> CategoryExamples(int limit) = 0;

  // --- Notification outbox (storage/sqlite/outbox_tx.cpp) ---
  // A user's or a team's channels (not deleted), by id.
  virtual Result<std::vector<NotificationChannel>> ListChannels(ChannelOwner owner_kind, Id owner_id) = 0;
  virtual Result<NotificationChannel> GetChannel(Id id) = 0;  // kNotFound when absent or deleted
  virtual Result<std::vector<OutboxEntry>> ListOutbox(const OutboxQuery& q) = 0;
  virtual Result<OutboxEntry> GetOutbox(Id id) = 0;
  // Pending and failed deliveries due at or before `at`, oldest due first.
  virtual Result<std::vector<OutboxEntry>> DueOutbox(Millis at, int limit) = 0;
  // The earliest next_attempt_at of a pending or failed delivery.
  virtual Result<std::optional<Millis>> NextOutboxDue() = 0;

  // Service levels (storage/sqlite/sla_tx.cpp)
  virtual Result<std::vector<StoredCalendar>> ListCalendars() = 0;  // by id
  virtual Result<std::vector<CalendarBinding>> ListCalendarBindings() = 0;
  virtual Result<std::vector<StoredSlaPolicy>> ListSlaPolicies() = 0;  // not deleted, by position
  virtual Result<std::optional<std::string>> GetSlaPolicyBody(Id policy_id, int version) = 0;
  virtual Result<std::optional<TicketSla>> GetTicketSla(Id ticket_id) = 0;
  // The service levels of those of these complaints that have any, each once, in no particular order.
  virtual Result<std::vector<TicketSla>> GetTicketSlas(const std::vector<Id>& ticket_ids) = 0;
  // Complaints with pending timers, by ticket id after `after_ticket` (for rebuilding the timers).
  virtual Result<std::vector<std::pair<Id, std::string>>> SlaTimersAfter(Id after_ticket, int limit) = 0;
  // Late, or due before a time, soonest due first.
  virtual Result<std::vector<TicketSla>> ListTicketSla(const SlaListQuery& q) = 0;
  // The clocks JSON of complaints updated in [from, to), for counting.
  virtual Result<std::vector<std::string>> SlaClocksUpdated(Millis from, Millis to) = 0;
};

class WriteTx : public virtual ReadTx {
 public:
  // Allocates the next number of the given UTC day ("YYYYMMDD").
  virtual Result<std::string> NextTicketNumber(const std::string& day) = 0;
  // Ticket writes keep Ticket::queued_at from team_id, assignee_id and the
  // write's updated_at: a caller that moves or unassigns a complaint sets
  // updated_at to the time it does so.
  // An id no complaint has, for a creation that must know it before the
  // insert (InsertTicket keeps an id that is set): above every stored one, and
  // not reused after a rolled-back insert.
  virtual Result<Id> NextTicketId() = 0;
  virtual Status InsertTicket(Ticket& t) = 0;  // sets t.id (when 0) and t.queued_at
  virtual Status UpdateTicket(const Ticket& t) = 0;
  // Writes only what differs from `stored`, the complaint as it is in the store.
  virtual Status UpdateTicket(const Ticket& t, const Ticket& stored) = 0;
  virtual Status InsertMessage(Message& m) = 0;
  virtual Status InsertEvent(TicketEvent& e) = 0;
  virtual Status InsertHandoff(Handoff& h) = 0;
  virtual Status UpdateHandoff(const Handoff& h) = 0;
  virtual Status InsertLink(TicketLink& l) = 0;
  virtual Status DeleteLink(Id link_id) = 0;

  virtual Status InsertCustomer(Customer& c) = 0;
  virtual Status UpdateCustomer(const Customer& c) = 0;

  virtual Status InsertUser(User& u) = 0;
  virtual Status UpdateUser(const User& u) = 0;
  virtual Status InsertTeam(Team& t) = 0;
  virtual Status UpdateTeam(const Team& t) = 0;
  virtual Status InsertDepartment(Department& d) = 0;
  virtual Status UpdateDepartment(const Department& d) = 0;
  virtual Status InsertCategory(Category& c) = 0;
  virtual Status UpdateCategory(const Category& c) = 0;
  virtual Status InsertState(TicketState& s) = 0;

  virtual Status InsertCredential(Credential& c) = 0;
  virtual Status RevokeCredential(Id id, Millis at) = 0;
  virtual Status InsertAudit(AuditEntry& a) = 0;

  // Triage
  virtual Status InsertRule(StoredRule& r) = 0;
  virtual Status UpdateRule(const StoredRule& r) = 0;
  virtual Status InsertRuleVersion(const RuleVersion& v) = 0;
  virtual Status InsertLexicon(LexiconRow& l) = 0;
  virtual Status DeleteLexicon(Id id) = 0;  // kNotFound when absent
  virtual Status InsertTriageRecord(TriageRecord& r) = 0;
  virtual Status InsertRedCase(RedCase& r) = 0;
  virtual Status UpdateRedCase(const RedCase& r) = 0;
  virtual Status InsertRedCaseUpdate(RedCaseUpdate& u) = 0;
  virtual Status PutAgentProfile(const AgentProfile& a) = 0;
  // An assignment's time on a stored profile (AgentProfile::last_assigned_at).
  virtual Status SetLastAssigned(Id user_id, Millis at) = 0;
  virtual Status PutTeamRouting(const TeamRouting& t) = 0;
  virtual Status PutCustomerRisk(const CustomerRisk& r) = 0;
  virtual Status InsertNotification(Notification& n) = 0;
  // Marks the user's notifications read: these ids, or all when empty.
  virtual Status MarkNotificationsRead(Id user_id, const std::vector<Id>& ids, Millis at) = 0;
  virtual Status PutSetting(const std::string& key, const std::string& value) = 0;
  virtual Status PutModel(const StoredModel& m) = 0;

  // --- Notification outbox ---
  virtual Status InsertChannel(NotificationChannel& c) = 0;  // sets c.id
  virtual Status UpdateChannel(const NotificationChannel& c) = 0;
  // Marks the channel deleted and its undelivered messages dead.
  virtual Status DeleteChannel(Id id, Millis at) = 0;
  // Enqueues e (sets e.id) unless (event_key, channel_id) is already in the
  // outbox: then nothing changes and the result is false.
  virtual Result<bool> InsertOutbox(OutboxEntry& e) = 0;
  // Saves state, attempts, next_attempt_at, last_error and delivered_at.
  virtual Status UpdateOutbox(const OutboxEntry& e) = 0;
  // Deletes up to `limit` delivered or dead messages enqueued at or before `before`,
  // oldest first; returns how many.
  virtual Result<int> PruneOutbox(Millis before, int limit) = 0;

  // Service levels
  virtual Status PutCalendar(const StoredCalendar& c) = 0;
  virtual Status DeleteCalendar(const std::string& id) = 0;  // kNotFound when absent
  // Replaces the binding of (scope, value); an empty calendar_id removes it.
  virtual Status PutCalendarBinding(const CalendarBinding& b) = 0;
  virtual Status InsertSlaPolicy(StoredSlaPolicy& p) = 0;  // sets p.id; also its version 1
  virtual Status UpdateSlaPolicy(const StoredSlaPolicy& p) = 0;  // also keeps the body as version p.version
  virtual Status PutTicketSla(const TicketSla& s) = 0;
};

struct StoreStats {
  std::uint64_t commits = 0;
  std::uint64_t write_jobs = 0;
  std::uint64_t failed_jobs = 0;
  std::uint64_t commit_micros_total = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  virtual Status Read(const std::function<Status(ReadTx&)>& fn) = 0;
  // Runs fn on the writer; returns after the batch holding it is durable.
  virtual Status Write(const std::function<Status(WriteTx&)>& fn) = 0;
  // A consistent copy of the whole store into a single file, while in use.
  virtual Status Backup(const std::string& to_path) = 0;
  virtual Result<std::string> IntegrityCheck() = 0;
  virtual StoreStats Stats() const = 0;
  // Called on the writer thread after each commit in which WriteTx::InsertOutbox
  // enqueued something: the outbox dispatcher's wake-up. Keep it short.
  virtual void SetOutboxListener(std::function<void()> listener) = 0;
};

struct SqliteOptions {
  std::string data_dir;
  int read_connections = 4;
  int max_batch = 256;         // write jobs per commit
  bool lock_data_dir = true;   // exclusive lock file: one server per data dir
  bool read_only = false;      // export/backup tools: no migrations, no writer
};

// Opens (creating if needed) the SQLite store in data_dir and applies pending
// migrations. Fails with kConflict if another process holds the data dir.
Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options);

// Current schema version compiled into this binary.
int SchemaVersion();

}  // namespace kefu
