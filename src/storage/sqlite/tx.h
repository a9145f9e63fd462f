// SQLite implementations of ReadTx / WriteTx over one connection.
// Private to storage/sqlite.
#pragma once

#include <utility>

#include "storage/sqlite/db.h"
#include "storage/sqlite/open_loads.h"
#include "storage/store.h"

namespace kefu::sqlite {

class SqliteReadTx : public virtual ReadTx {
 public:
  explicit SqliteReadTx(Db& db) : db_(db) {}

  Result<Ticket> GetTicket(Id id) override;
  Result<std::vector<Ticket>> GetTickets(const std::vector<Id>& ids) override;
  Result<std::optional<Ticket>> FindTicketBySourceRef(const std::string& source_ref) override;
  Result<std::optional<Ticket>> FindTicketByNumber(const std::string& number) override;
  Result<std::vector<Ticket>> ListTickets(const TicketQuery& q) override;
  Result<std::int64_t> CountTickets(const TicketQuery& q) override;
  Result<std::vector<Ticket>> TicketsAfter(Id after_id, int limit) override;
  Result<std::vector<Ticket>> ListQueued(Id team_id, Millis queued_by, int limit) override;
  Result<std::vector<Message>> ListMessages(Id ticket_id) override;
  Result<std::vector<TicketEvent>> ListEvents(Id ticket_id) override;
  Result<std::vector<Handoff>> ListHandoffs(Id ticket_id) override;
  Result<std::vector<Handoff>> QueryHandoffs(const HandoffQuery& q) override;
  Result<Handoff> GetHandoff(Id id) override;
  Result<std::vector<TicketLink>> ListLinks(Id ticket_id) override;

  Result<Customer> GetCustomer(Id id) override;
  Result<std::vector<Customer>> GetCustomers(const std::vector<Id>& ids) override;
  Result<std::optional<Customer>> FindCustomerByPhone(const std::string& phone) override;
  Result<std::optional<Customer>> FindCustomerByEmail(const std::string& email) override;
  Result<std::optional<Customer>> FindCustomerByExternalId(const std::string& external_id) override;
  Result<std::vector<Customer>> SearchCustomers(const std::string& prefix, int limit) override;

  Result<User> GetUser(Id id) override;
  Result<std::optional<User>> FindUserByUsername(const std::string& username) override;
  Result<std::vector<User>> ListUsers() override;
  Result<std::vector<Team>> ListTeams() override;
  Result<std::vector<Department>> ListDepartments() override;
  Result<std::vector<Category>> ListCategories() override;
  Result<std::vector<TicketState>> ListStates() override;

  Result<std::optional<Credential>> FindCredential(const std::string& token_hash) override;
  Result<std::vector<Credential>> ListApiTokens(Id user_id) override;
  Result<std::vector<AuditEntry>> ListAudit(std::optional<Id> before_id, int limit) override;

  Result<std::vector<StoredRule>> ListRules() override;
  Result<StoredRule> GetRule(Id id) override;
  Result<std::vector<RuleVersion>> ListRuleVersions(Id rule_id) override;
  Result<std::vector<LexiconRow>> ListLexicon() override;
  Result<std::vector<TriageRecord>> ListTriageRecords(Id ticket_id) override;
  Result<RedCase> GetRedCase(Id id) override;
  Result<std::optional<RedCase>> FindOpenRedCase(Id ticket_id) override;
  Result<std::vector<RedCase>> ListOpenRedCases() override;
  Result<std::vector<RedCase>> RedCasesOfTicket(Id ticket_id) override;
  Result<std::vector<RedCase>> OverdueRedCases(Millis at) override;
  Result<std::int64_t> CountRedCasesOfCustomer(Id customer_id, Millis since) override;
  Result<std::vector<CustomerComplaint>> CustomerComplaints(Id customer_id, Millis since, int limit) override;
  Result<std::vector<RedCaseUpdate>> ListRedCaseUpdates(Id red_case_id) override;
  Result<std::vector<AgentProfile>> ListAgentProfiles() override;
  Result<std::vector<TeamRouting>> ListTeamRouting() override;
  Result<std::vector<std::int64_t>> CountOpenAssigned(const std::vector<Id>& user_ids) override;
  Result<std::optional<CustomerRisk>> GetCustomerRisk(Id customer_id) override;
  Result<std::vector<CustomerRisk>> ListCustomerRisk(int min_score, int limit) override;
  Result<std::vector<Notification>> ListNotifications(Id user_id, bool unread_only, std::optional<Id> before_id,
                                                      int limit) override;
  Result<std::int64_t> CountUnreadNotifications(Id user_id) override;
  Result<std::optional<std::string>> GetSetting(const std::string& key) override;
  Result<std::optional<StoredModel>> GetModel(const std::string& kind) override;
  Result<std::vector<std::pair<std::string, Id>>> CategoryExamples(int limit) override;

  // Notification outbox (outbox_tx.cpp)
  Result<std::vector<NotificationChannel>> ListChannels(ChannelOwner owner_kind, Id owner_id) override;
  Result<NotificationChannel> GetChannel(Id id) override;
  Result<std::vector<OutboxEntry>> ListOutbox(const OutboxQuery& q) override;
  Result<OutboxEntry> GetOutbox(Id id) override;
  Result<std::vector<OutboxEntry>> DueOutbox(Millis at, int limit) override;
  Result<std::optional<Millis>> NextOutboxDue() override;
  Result<std::vector<StoredCalendar>> ListCalendars() override;
  Result<std::vector<CalendarBinding>> ListCalendarBindings() override;
  Result<std::vector<StoredSlaPolicy>> ListSlaPolicies() override;
  Result<std::optional<std::string>> GetSlaPolicyBody(Id policy_id, int version) override;
  Result<std::optional<TicketSla>> GetTicketSla(Id ticket_id) override;
  Result<std::vector<TicketSla>> GetTicketSlas(const std::vector<Id>& ticket_ids) override;
  Result<std::vector<std::pair<Id, std::string>>> SlaTimersAfter(Id after_ticket, int limit) override;
  Result<std::vector<TicketSla>> ListTicketSla(const SlaListQuery& q) override;
  Result<std::vector<std::string>> SlaClocksUpdated(Millis from, Millis to) override;

 protected:
  Db& db_;

 private:
  Result<std::vector<Ticket>> QueryTickets(const TicketQuery& q, bool count_only, std::int64_t* count);
  Result<std::optional<Ticket>> OneTicket(const char* sql, const std::string& key);
  Result<std::optional<Customer>> OneCustomer(const char* sql, const std::string& key);
  Status LoadTeams(User& u);
};

class SqliteWriteTx final : public SqliteReadTx, public WriteTx {
 public:
  explicit SqliteWriteTx(Db& db) : SqliteReadTx(db) {}

  Result<std::string> NextTicketNumber(const std::string& day) override;
  Result<Id> NextTicketId() override;
  Status InsertTicket(Ticket& t) override;
  Status UpdateTicket(const Ticket& t) override;
  Status UpdateTicket(const Ticket& t, const Ticket& stored) override;
  // From the writer's own count once it is loaded (OpenLoads).
  Result<std::vector<std::int64_t>> CountOpenAssigned(const std::vector<Id>& user_ids) override;
  // The store loads, marks, undoes and commits it with its transactions.
  OpenLoads& open_loads() { return loads_; }
  Status InsertMessage(Message& m) override;
  Status InsertEvent(TicketEvent& e) override;
  Status InsertHandoff(Handoff& h) override;
  Status UpdateHandoff(const Handoff& h) override;
  Status InsertLink(TicketLink& l) override;
  Status DeleteLink(Id link_id) override;
  Status InsertCustomer(Customer& c) override;
  Status UpdateCustomer(const Customer& c) override;
  Status InsertUser(User& u) override;
  Status UpdateUser(const User& u) override;
  Status InsertTeam(Team& t) override;
  Status UpdateTeam(const Team& t) override;
  Status InsertDepartment(Department& d) override;
  Status UpdateDepartment(const Department& d) override;
  Status InsertCategory(Category& c) override;
  Status UpdateCategory(const Category& c) override;
  Status InsertState(TicketState& s) override;
  Status InsertCredential(Credential& c) override;
  Status RevokeCredential(Id id, Millis at) override;
  Status InsertAudit(AuditEntry& a) override;

  Status InsertRule(StoredRule& r) override;
  Status UpdateRule(const StoredRule& r) override;
  Status InsertRuleVersion(const RuleVersion& v) override;
  Status InsertLexicon(LexiconRow& l) override;
  Status DeleteLexicon(Id id) override;
  Status InsertTriageRecord(TriageRecord& r) override;
  Status InsertRedCase(RedCase& r) override;
  Status UpdateRedCase(const RedCase& r) override;
  Status InsertRedCaseUpdate(RedCaseUpdate& u) override;
  Status PutAgentProfile(const AgentProfile& a) override;
  Status SetLastAssigned(Id user_id, Millis at) override;
  Status PutTeamRouting(const TeamRouting& t) override;
  Status PutCustomerRisk(const CustomerRisk& r) override;
  Status InsertNotification(Notification& n) override;
  Status MarkNotificationsRead(Id user_id, const std::vector<Id>& ids, Millis at) override;
  Status PutSetting(const std::string& key, const std::string& value) override;
  Status PutModel(const StoredModel& m) override;

  // Notification outbox (outbox_tx.cpp)
  Status InsertChannel(NotificationChannel& c) override;
  Status UpdateChannel(const NotificationChannel& c) override;
  Status DeleteChannel(Id id, Millis at) override;
  Result<bool> InsertOutbox(OutboxEntry& e) override;
  Status UpdateOutbox(const OutboxEntry& e) override;
  Result<int> PruneOutbox(Millis before, int limit) override;
  // Whether InsertOutbox enqueued anything since the last call (the store
  // wakes the dispatcher after such a commit).
  bool TakeOutboxEnqueued() { return std::exchange(outbox_enqueued_, false); }
  Status PutCalendar(const StoredCalendar& c) override;
  Status DeleteCalendar(const std::string& id) override;
  Status PutCalendarBinding(const CalendarBinding& b) override;
  Status InsertSlaPolicy(StoredSlaPolicy& p) override;
  Status UpdateSlaPolicy(const StoredSlaPolicy& p) override;
  Status PutTicketSla(const TicketSla& s) override;

 private:
  Status SaveCollaborators(const Ticket& t);
  Status SaveUserTeams(const User& u);
  // The stored assignee and state of a complaint, for OpenLoads (none: no such complaint).
  Result<std::optional<std::pair<std::optional<Id>, StateType>>> StoredLoadOf(Id ticket_id);
  // Sets the customer kept on the complaint's red cases (migration 9) to the complaint's.
  Status KeepRedCasesWithCustomer(const Ticket& t);
  bool outbox_enqueued_ = false;
  std::optional<Id> next_ticket_id_;  // NextTicketId's, once read
  OpenLoads loads_;
};

}  // namespace kefu::sqlite
