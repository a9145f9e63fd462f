// SQLite storage of triage records: rules, lexicon, grade history, red cases,
// routing profiles, customer risk, notifications, settings and models.
#include <algorithm>

#include <fmt/format.h>

#include "storage/sqlite/rows.h"
#include "storage/sqlite/strings.h"
#include "storage/sqlite/tx.h"

namespace kefu::sqlite {

namespace {

std::vector<Id> IdList(const std::string& s) {
  std::vector<Id> out;
  for (const auto& part : SplitList(s, ',')) out.push_back(std::stoll(part));
  return out;
}

std::string JoinIds(const std::vector<Id>& ids) {
  std::string out;
  for (Id id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

#define KEFU_RULE_SELECT \
  "SELECT id, name, position, enabled, version, body, updated_by, created_at, updated_at, deleted FROM triage_rules "

StoredRule ReadRule(const Stmt& s) {
  StoredRule r;
  r.id = s.Int(0);
  r.name = s.Text(1);
  r.position = static_cast<int>(s.Int(2));
  r.enabled = s.Int(3) != 0;
  r.version = static_cast<int>(s.Int(4));
  r.body = s.Text(5);
  r.updated_by = s.OptInt(6);
  r.created_at = s.Int(7);
  r.updated_at = s.Int(8);
  r.deleted = s.Int(9) != 0;
  return r;
}

#define KEFU_RED_CASE_SELECT                                                                                    \
  "SELECT id, ticket_id, state, reason, source, owner_id, members, cadence_minutes, opened_at, opened_by, "    \
  "last_update_at, next_update_due, missed_updates, closed_at, closed_by, close_reason FROM red_cases "

RedCase ReadRedCase(const Stmt& s) {
  RedCase r;
  r.id = s.Int(0);
  r.ticket_id = s.Int(1);
  r.state = EnumOr(s.Text(2), RedCaseState::kOpen);
  r.reason = s.Text(3);
  r.source = s.Text(4);
  r.owner_id = s.OptInt(5);
  r.member_ids = IdList(s.Text(6));
  r.cadence_minutes = static_cast<int>(s.Int(7));
  r.opened_at = s.Int(8);
  r.opened_by = s.OptInt(9);
  r.last_update_at = s.OptInt(10);
  r.next_update_due = s.Int(11);
  r.missed_updates = static_cast<int>(s.Int(12));
  r.closed_at = s.OptInt(13);
  r.closed_by = s.OptInt(14);
  r.close_reason = s.Text(15);
  return r;
}

CustomerRisk ReadRisk(const Stmt& s) {
  return CustomerRisk{s.Int(0), static_cast<int>(s.Int(1)), s.Text(2), s.Int(3), s.Int(4) != 0};
}

Notification ReadNotification(const Stmt& s) {
  Notification n;
  n.id = s.Int(0);
  n.user_id = s.Int(1);
  n.kind = s.Text(2);
  n.ticket_id = s.OptInt(3);
  n.title = s.Text(4);
  n.body = s.Text(5);
  n.created_at = s.Int(6);
  n.read_at = s.OptInt(7);
  return n;
}

// The open states are, in text order, exactly the range from 'new' to
// 'pending_internal' (closed < merged < new < open < pending_customer <
// pending_internal < resolved), so counting seeks each agent once on
// tickets_open_load instead of once per state. A test walks every state
// through the count.
constexpr const char* kCountOpenAssigned =
    "SELECT COUNT(*) FROM tickets WHERE assignee_id = ? AND state_type BETWEEN 'new' AND 'pending_internal'";

}  // namespace

Result<std::vector<StoredRule>> SqliteReadTx::ListRules() {
  KEFU_ASSIGN(auto s, db_.Prepare(KEFU_RULE_SELECT "WHERE deleted = 0 ORDER BY position, id"));
  return Collect<StoredRule>(s, ReadRule);
}

Result<StoredRule> SqliteReadTx::GetRule(Id id) {
  KEFU_ASSIGN(auto s, db_.Prepare(KEFU_RULE_SELECT "WHERE id = ? AND deleted = 0"));
  s.Bind(1, id);
  KEFU_ASSIGN(auto r, First<StoredRule>(s, ReadRule));
  if (!r) return Fail(Error::NotFound(fmt::format("rule {} not found", id)));
  return *r;
}

Result<std::vector<RuleVersion>> SqliteReadTx::ListRuleVersions(Id rule_id) {
  KEFU_ASSIGN(auto s, db_.Prepare("SELECT rule_id, version, name, enabled, body, changed_by, changed_at "
                                  "FROM triage_rule_versions WHERE rule_id = ? ORDER BY version DESC"));
  s.Bind(1, rule_id);
  return Collect<RuleVersion>(s, [](const Stmt& r) {
    return RuleVersion{r.Int(0), static_cast<int>(r.Int(1)), r.Text(2), r.Int(3) != 0, r.Text(4), r.OptInt(5), r.Int(6)};
  });
}

Result<std::vector<LexiconRow>> SqliteReadTx::ListLexicon() {
  KEFU_ASSIGN(auto s, db_.Prepare("SELECT id, kind, term, weight, language, created_by, created_at "
                                  "FROM lexicon_entries ORDER BY id"));
  return Collect<LexiconRow>(s, [](const Stmt& r) {
    return LexiconRow{r.Int(0), r.Text(1), r.Text(2), r.Real(3), r.Text(4), r.OptInt(5), r.Int(6)};
  });
}

Result<std::vector<TriageRecord>> SqliteReadTx::ListTriageRecords(Id ticket_id) {
  KEFU_ASSIGN(auto s, db_.Prepare("SELECT id, ticket_id, message_id, at, trigger, emotion, threats, cues, language, "
                                  "suggestions, fired_rules FROM triage_records WHERE ticket_id = ? ORDER BY id"));
  s.Bind(1, ticket_id);
  return Collect<TriageRecord>(s, [](const Stmt& r) {
    TriageRecord t;
    t.id = r.Int(0);
    t.ticket_id = r.Int(1);
    t.message_id = r.OptInt(2);
    t.at = r.Int(3);
    t.trigger = r.Text(4);
    t.emotion = static_cast<int>(r.Int(5));
    t.threats = ParseThreatList(r.Text(6));
    t.cues = r.Text(7);
    t.language = r.Text(8);
    t.suggestions = r.Text(9);
    t.fired_rules = r.Text(10);
    return t;
  });
}

Result<RedCase> SqliteReadTx::GetRedCase(Id id) {
  KEFU_ASSIGN(auto s, db_.Prepare(KEFU_RED_CASE_SELECT "WHERE id = ?"));
  s.Bind(1, id);
  KEFU_ASSIGN(auto r, First<RedCase>(s, ReadRedCase));
  if (!r) return Fail(Error::NotFound(fmt::format("red case {} not found", id)));
  return *r;
}

Result<std::optional<RedCase>> SqliteReadTx::FindOpenRedCase(Id ticket_id) {
  KEFU_ASSIGN(auto s, db_.Prepare(KEFU_RED_CASE_SELECT "WHERE ticket_id = ? AND state = 'open'"));
  s.Bind(1, ticket_id);
  return First<RedCase>(s, ReadRedCase);
}

Result<std::vector<RedCase>> SqliteReadTx::ListOpenRedCases() {
  KEFU_ASSIGN(auto s, db_.Prepare(KEFU_RED_CASE_SELECT "WHERE state = 'open' ORDER BY next_update_due, id"));
  return Collect<RedCase>(s, ReadRedCase);
}

Result<std::vector<RedCase>> SqliteReadTx::RedCasesOfTicket(Id ticket_id) {
  KEFU_ASSIGN(auto s, db_.Prepare(KEFU_RED_CASE_SELECT "WHERE ticket_id = ? ORDER BY id"));
  s.Bind(1, ticket_id);
  return Collect<RedCase>(s, ReadRedCase);
}

Result<std::vector<RedCase>> SqliteReadTx::OverdueRedCases(Millis at) {
  KEFU_ASSIGN(auto s, db_.Prepare(KEFU_RED_CASE_SELECT
                                  "WHERE state = 'open' AND next_update_due <= ? ORDER BY next_update_due, id"));
  s.Bind(1, at);
  return Collect<RedCase>(s, ReadRedCase);
}

Result<std::int64_t> SqliteReadTx::CountRedCasesOfCustomer(Id customer_id, Millis since) {
  KEFU_ASSIGN(auto s, db_.Prepare("SELECT COUNT(*) FROM red_cases WHERE customer_id = ? AND opened_at >= ?"));
  s.Bind(1, customer_id).Bind(2, since);
  KEFU_ASSIGN(auto n, First<std::int64_t>(s, [](const Stmt& r) { return r.Int(0); }));
  return n.value_or(0);
}

Result<std::vector<CustomerComplaint>> SqliteReadTx::CustomerComplaints(Id customer_id, Millis since, int limit) {
  KEFU_ASSIGN(auto s, db_.Prepare("SELECT id, created_at, category_id, state_type, reopen_count, emotion FROM tickets "
                                  "WHERE customer_id = ? AND created_at >= ? AND state_type <> 'merged' "
                                  "ORDER BY created_at DESC LIMIT ?"));
  s.Bind(1, customer_id).Bind(2, since).Bind(3, limit);
  // Read on every triage: room for most customers' histories at once, and the state without a copy.
  std::vector<CustomerComplaint> out;
  out.reserve(32);
  for (;;) {
    KEFU_ASSIGN(bool row, s.Step());
    if (!row) return out;
    out.push_back(CustomerComplaint{s.Int(0), s.Int(1), s.OptInt(2), EnumOr(s.TextView(3), StateType::kOpen),
                                    static_cast<int>(s.Int(4)), static_cast<int>(s.Int(5))});
  }
}

Result<std::vector<RedCaseUpdate>> SqliteReadTx::ListRedCaseUpdates(Id red_case_id) {
  KEFU_ASSIGN(auto s, db_.Prepare("SELECT id, red_case_id, author_id, body, at FROM red_case_updates "
                                  "WHERE red_case_id = ? ORDER BY id"));
  s.Bind(1, red_case_id);
  return Collect<RedCaseUpdate>(
      s, [](const Stmt& r) { return RedCaseUpdate{r.Int(0), r.Int(1), r.OptInt(2), r.Text(3), r.Int(4)}; });
}

Result<std::vector<AgentProfile>> SqliteReadTx::ListAgentProfiles() {
  KEFU_ASSIGN(auto s, db_.Prepare("SELECT user_id, skills, capacity, presence, presence_at, last_assigned_at "
                                  "FROM agent_profiles ORDER BY user_id"));
  return Collect<AgentProfile>(s, [](const Stmt& r) {
    return AgentProfile{r.Int(0), SplitList(r.Text(1), '\n'), static_cast<int>(r.Int(2)),
                        EnumOr(r.Text(3), Presence::kOffline), r.Int(4), r.Int(5)};
  });
}

Result<std::vector<TeamRouting>> SqliteReadTx::ListTeamRouting() {
  KEFU_ASSIGN(auto s, db_.Prepare("SELECT team_id, mode, skills, fallback_team_id, overflow_minutes, "
                                  "last_assigned_user FROM team_routing ORDER BY team_id"));
  return Collect<TeamRouting>(s, [](const Stmt& r) {
    return TeamRouting{r.Int(0), EnumOr(r.Text(1), RoutingMode::kManual), SplitList(r.Text(2), '\n'), r.OptInt(3),
                       static_cast<int>(r.Int(4)), r.OptInt(5)};
  });
}

Result<std::vector<std::int64_t>> SqliteReadTx::CountOpenAssigned(const std::vector<Id>& user_ids) {
  // One cached statement run per agent: an IN list of the agents would have
  // SQLite build a temporary table for it on every run, which costs more than
  // the counting.
  std::vector<std::int64_t> counts;
  counts.reserve(user_ids.size());
  for (Id user : user_ids) {
    KEFU_ASSIGN(auto s, db_.Prepare(kCountOpenAssigned));
    s.Bind(1, user);
    KEFU_ASSIGN(bool row, s.Step());
    counts.push_back(row ? s.Int(0) : 0);
  }
  return counts;
}

Result<std::optional<CustomerRisk>> SqliteReadTx::GetCustomerRisk(Id customer_id) {
  KEFU_ASSIGN(auto s, db_.Prepare("SELECT customer_id, score, reasons, updated_at, alerted FROM customer_risk "
                                  "WHERE customer_id = ?"));
  s.Bind(1, customer_id);
  return First<CustomerRisk>(s, ReadRisk);
}

Result<std::vector<CustomerRisk>> SqliteReadTx::ListCustomerRisk(int min_score, int limit) {
  KEFU_ASSIGN(auto s, db_.Prepare("SELECT customer_id, score, reasons, updated_at, alerted FROM customer_risk "
                                  "WHERE score >= ? ORDER BY score DESC, customer_id LIMIT ?"));
  s.Bind(1, min_score).Bind(2, limit);
  return Collect<CustomerRisk>(s, ReadRisk);
}

Result<std::vector<Notification>> SqliteReadTx::ListNotifications(Id user_id, bool unread_only,
                                                                  std::optional<Id> before_id, int limit) {
  KEFU_ASSIGN(auto s, db_.Prepare("SELECT id, user_id, kind, ticket_id, title, body, created_at, read_at "
                                  "FROM notifications WHERE user_id = ?1 AND (?2 = 0 OR read_at IS NULL) "
                                  "AND (?3 IS NULL OR id < ?3) ORDER BY id DESC LIMIT ?4"));
  s.Bind(1, user_id).Bind(2, unread_only).Bind(3, before_id).Bind(4, limit);
  return Collect<Notification>(s, ReadNotification);
}

Result<std::int64_t> SqliteReadTx::CountUnreadNotifications(Id user_id) {
  KEFU_ASSIGN(auto s, db_.Prepare("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL"));
  s.Bind(1, user_id);
  KEFU_ASSIGN(auto n, First<std::int64_t>(s, [](const Stmt& r) { return r.Int(0); }));
  return n.value_or(0);
}

Result<std::optional<std::string>> SqliteReadTx::GetSetting(const std::string& key) {
  KEFU_ASSIGN(auto s, db_.Prepare("SELECT value FROM settings WHERE key = ?"));
  s.Bind(1, key);
  return First<std::string>(s, [](const Stmt& r) { return r.Text(0); });
}

Result<std::optional<StoredModel>> SqliteReadTx::GetModel(const std::string& kind) {
  KEFU_ASSIGN(auto s, db_.Prepare("SELECT kind, trained_at, examples, body FROM triage_models WHERE kind = ?"));
  s.Bind(1, kind);
  return First<StoredModel>(
      s, [](const Stmt& r) { return StoredModel{r.Text(0), r.Int(1), static_cast<int>(r.Int(2)), r.Text(3)}; });
}

Result<std::vector<std::pair<std::string, Id>>> SqliteReadTx::CategoryExamples(int limit) {
  // The cause counts unless the last word on it was the system's.
  KEFU_ASSIGN(auto s, db_.Prepare(
                          "SELECT t.subject || char(10) || t.description, t.category_id FROM tickets t "
                          "WHERE t.category_id IS NOT NULL AND t.state_type != 'merged' AND NOT EXISTS ("
                          "  SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.field = 'category' "
                          "  AND e.actor_kind = 'system' AND NOT EXISTS ("
                          "    SELECT 1 FROM ticket_events a WHERE a.ticket_id = t.id AND a.id > e.id "
                          "    AND a.actor_kind = 'agent' AND (a.field = 'category' OR a.type = 'category_confirmed'))) "
                          "ORDER BY t.id DESC LIMIT ?"));
  s.Bind(1, limit);
  return Collect<std::pair<std::string, Id>>(s, [](const Stmt& r) { return std::pair{r.Text(0), r.Int(1)}; });
}

// --- writes ---

Status SqliteWriteTx::InsertRule(StoredRule& r) {
  KEFU_ASSIGN(auto s, db_.Prepare("INSERT INTO triage_rules(name, position, enabled, version, body, updated_by, "
                                  "created_at, updated_at, deleted) VALUES (?,?,?,?,?,?,?,?,?)"));
  s.Bind(1, r.name).Bind(2, r.position).Bind(3, r.enabled).Bind(4, r.version).Bind(5, r.body);
  s.Bind(6, r.updated_by).Bind(7, r.created_at).Bind(8, r.updated_at).Bind(9, r.deleted);
  KEFU_TRY(s.Run());
  r.id = db_.LastInsertId();
  return {};
}

Status SqliteWriteTx::UpdateRule(const StoredRule& r) {
  KEFU_ASSIGN(auto s, db_.Prepare("UPDATE triage_rules SET name=?, position=?, enabled=?, version=?, body=?, "
                                  "updated_by=?, updated_at=?, deleted=? WHERE id=?"));
  s.Bind(1, r.name).Bind(2, r.position).Bind(3, r.enabled).Bind(4, r.version).Bind(5, r.body);
  s.Bind(6, r.updated_by).Bind(7, r.updated_at).Bind(8, r.deleted).Bind(9, r.id);
  KEFU_TRY(s.Run());
  if (db_.Changes() == 0) return Fail(Error::NotFound(fmt::format("rule {} not found", r.id)));
  return {};
}

Status SqliteWriteTx::InsertRuleVersion(const RuleVersion& v) {
  KEFU_ASSIGN(auto s, db_.Prepare("INSERT INTO triage_rule_versions(rule_id, version, name, enabled, body, "
                                  "changed_by, changed_at) VALUES (?,?,?,?,?,?,?)"));
  s.Bind(1, v.rule_id).Bind(2, v.version).Bind(3, v.name).Bind(4, v.enabled).Bind(5, v.body);
  s.Bind(6, v.changed_by).Bind(7, v.changed_at);
  return s.Run();
}

Status SqliteWriteTx::InsertLexicon(LexiconRow& l) {
  KEFU_ASSIGN(auto s, db_.Prepare("INSERT INTO lexicon_entries(kind, term, weight, language, created_by, created_at) "
                                  "VALUES (?,?,?,?,?,?)"));
  s.Bind(1, l.kind).Bind(2, l.term).Bind(3, l.weight).Bind(4, l.language).Bind(5, l.created_by).Bind(6, l.created_at);
  auto st = s.Run();
  if (!st && st.error().code == ErrorCode::kConflict)
    return Fail(Error{ErrorCode::kConflict, "this term is already in the lexicon", "term"});
  KEFU_TRY(st);
  l.id = db_.LastInsertId();
  return {};
}

Status SqliteWriteTx::DeleteLexicon(Id id) {
  KEFU_ASSIGN(auto s, db_.Prepare("DELETE FROM lexicon_entries WHERE id = ?"));
  KEFU_TRY(s.Bind(1, id).Run());
  if (db_.Changes() == 0) return Fail(Error::NotFound(fmt::format("lexicon entry {} not found", id)));
  return {};
}

Status SqliteWriteTx::InsertTriageRecord(TriageRecord& r) {
  KEFU_ASSIGN(auto s, db_.Prepare("INSERT INTO triage_records(ticket_id, message_id, at, trigger, emotion, threats, "
                                  "cues, language, suggestions, fired_rules) VALUES (?,?,?,?,?,?,?,?,?,?)"));
  s.Bind(1, r.ticket_id).Bind(2, r.message_id).Bind(3, r.at).Bind(4, r.trigger).Bind(5, r.emotion);
  s.Bind(6, ThreatList(r.threats)).Bind(7, r.cues).Bind(8, r.language).Bind(9, r.suggestions).Bind(10, r.fired_rules);
  KEFU_TRY(s.Run());
  r.id = db_.LastInsertId();
  return {};
}

namespace {
void BindRedCase(Stmt& s, const RedCase& r) {
  s.Bind(1, r.ticket_id).Bind(2, Name(r.state)).Bind(3, r.reason).Bind(4, r.source).Bind(5, r.owner_id);
  s.Bind(6, JoinIds(r.member_ids)).Bind(7, r.cadence_minutes).Bind(8, r.opened_at).Bind(9, r.opened_by);
  s.Bind(10, r.last_update_at).Bind(11, r.next_update_due).Bind(12, r.missed_updates).Bind(13, r.closed_at);
  s.Bind(14, r.closed_by).Bind(15, r.close_reason);
}
}  // namespace

Status SqliteWriteTx::InsertRedCase(RedCase& r) {
  KEFU_ASSIGN(auto s, db_.Prepare("INSERT INTO red_cases(ticket_id, state, reason, source, owner_id, members, "
                                  "cadence_minutes, opened_at, opened_by, last_update_at, next_update_due, "
                                  "missed_updates, closed_at, closed_by, close_reason, customer_id) "
                                  "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
                                  "(SELECT customer_id FROM tickets WHERE id = ?1))"));
  BindRedCase(s, r);
  KEFU_TRY(s.Run());
  r.id = db_.LastInsertId();
  return {};
}

Status SqliteWriteTx::UpdateRedCase(const RedCase& r) {
  KEFU_ASSIGN(auto s, db_.Prepare("UPDATE red_cases SET ticket_id=?1, state=?2, reason=?3, source=?4, owner_id=?5, "
                                  "members=?6, cadence_minutes=?7, opened_at=?8, opened_by=?9, last_update_at=?10, "
                                  "next_update_due=?11, missed_updates=?12, closed_at=?13, closed_by=?14, "
                                  "close_reason=?15 WHERE id=?16"));
  BindRedCase(s, r);
  s.Bind(16, r.id);
  KEFU_TRY(s.Run());
  if (db_.Changes() == 0) return Fail(Error::NotFound(fmt::format("red case {} not found", r.id)));
  return {};
}

Status SqliteWriteTx::InsertRedCaseUpdate(RedCaseUpdate& u) {
  KEFU_ASSIGN(auto s, db_.Prepare("INSERT INTO red_case_updates(red_case_id, author_id, body, at) VALUES (?,?,?,?)"));
  s.Bind(1, u.red_case_id).Bind(2, u.author_id).Bind(3, u.body).Bind(4, u.at);
  KEFU_TRY(s.Run());
  u.id = db_.LastInsertId();
  return {};
}

Status SqliteWriteTx::PutAgentProfile(const AgentProfile& a) {
  KEFU_ASSIGN(auto s, db_.Prepare("INSERT OR REPLACE INTO agent_profiles(user_id, skills, capacity, presence, "
                                  "presence_at, last_assigned_at) VALUES (?,?,?,?,?,?)"));
  s.Bind(1, a.user_id).Bind(2, JoinList(a.skills, '\n')).Bind(3, a.capacity).Bind(4, Name(a.presence));
  s.Bind(5, a.presence_at).Bind(6, a.last_assigned_at);
  return s.Run();
}

Status SqliteWriteTx::SetLastAssigned(Id user_id, Millis at) {
  KEFU_ASSIGN(auto s, db_.Prepare("UPDATE agent_profiles SET last_assigned_at = ? WHERE user_id = ?"));
  return s.Bind(1, at).Bind(2, user_id).Run();
}

Status SqliteWriteTx::PutTeamRouting(const TeamRouting& t) {
  KEFU_ASSIGN(auto s, db_.Prepare("INSERT OR REPLACE INTO team_routing(team_id, mode, skills, fallback_team_id, "
                                  "overflow_minutes, last_assigned_user) VALUES (?,?,?,?,?,?)"));
  s.Bind(1, t.team_id).Bind(2, Name(t.mode)).Bind(3, JoinList(t.skills, '\n')).Bind(4, t.fallback_team_id);
  s.Bind(5, t.overflow_minutes).Bind(6, t.last_assigned_user);
  return s.Run();
}

Status SqliteWriteTx::PutCustomerRisk(const CustomerRisk& r) {
  // An upsert rewrites the stored row in place: no delete and insert, nor a new look-up of the customer.
  KEFU_ASSIGN(auto s, db_.Prepare("INSERT INTO customer_risk(customer_id, score, reasons, updated_at, alerted) "
                                  "VALUES (?,?,?,?,?) ON CONFLICT(customer_id) DO UPDATE SET score = excluded.score, "
                                  "reasons = excluded.reasons, updated_at = excluded.updated_at, "
                                  "alerted = excluded.alerted"));
  s.Bind(1, r.customer_id).Bind(2, r.score).Bind(3, r.reasons).Bind(4, r.updated_at).Bind(5, r.alerted);
  return s.Run();
}

Status SqliteWriteTx::InsertNotification(Notification& n) {
  KEFU_ASSIGN(auto s, db_.Prepare("INSERT INTO notifications(user_id, kind, ticket_id, title, body, created_at, "
                                  "read_at) VALUES (?,?,?,?,?,?,?)"));
  s.Bind(1, n.user_id).Bind(2, n.kind).Bind(3, n.ticket_id).Bind(4, n.title).Bind(5, n.body).Bind(6, n.created_at);
  s.Bind(7, n.read_at);
  KEFU_TRY(s.Run());
  n.id = db_.LastInsertId();
  return {};
}

Status SqliteWriteTx::MarkNotificationsRead(Id user_id, const std::vector<Id>& ids, Millis at) {
  if (ids.empty()) {
    KEFU_ASSIGN(auto s, db_.Prepare("UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL"));
    return s.Bind(1, at).Bind(2, user_id).Run();
  }
  for (Id id : ids) {
    KEFU_ASSIGN(auto s, db_.Prepare("UPDATE notifications SET read_at = ? "
                                    "WHERE id = ? AND user_id = ? AND read_at IS NULL"));
    KEFU_TRY(s.Bind(1, at).Bind(2, id).Bind(3, user_id).Run());
  }
  return {};
}

Status SqliteWriteTx::PutSetting(const std::string& key, const std::string& value) {
  KEFU_ASSIGN(auto s, db_.Prepare("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)"));
  return s.Bind(1, key).Bind(2, value).Run();
}

Status SqliteWriteTx::PutModel(const StoredModel& m) {
  KEFU_ASSIGN(auto s, db_.Prepare("INSERT OR REPLACE INTO triage_models(kind, trained_at, examples, body) "
                                  "VALUES (?,?,?,?)"));
  return s.Bind(1, m.kind).Bind(2, m.trained_at).Bind(3, m.examples).Bind(4, m.body).Run();
}

}  // namespace kefu::sqlite
