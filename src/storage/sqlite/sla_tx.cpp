// SQLite storage of service levels: business calendars and their bindings to
// teams and regions, SLA policies, and the service levels of each complaint.
#include <fmt/format.h>

#include "storage/sqlite/rows.h"
#include "storage/sqlite/tx.h"

namespace kefu::sqlite {

Result<std::vector<StoredCalendar>> SqliteReadTx::ListCalendars() {
  KEFU_ASSIGN(auto s, db_.Prepare("SELECT id, spec, updated_at FROM calendars ORDER BY id"));
  return Collect<StoredCalendar>(s, [](const Stmt& r) { return StoredCalendar{r.Text(0), r.Text(1), r.Int(2)}; });
}

Result<std::vector<CalendarBinding>> SqliteReadTx::ListCalendarBindings() {
  KEFU_ASSIGN(auto s, db_.Prepare("SELECT scope, value, calendar_id FROM calendar_bindings ORDER BY scope, value"));
  return Collect<CalendarBinding>(s, [](const Stmt& r) { return CalendarBinding{r.Text(0), r.Text(1), r.Text(2)}; });
}

Status SqliteWriteTx::PutCalendar(const StoredCalendar& c) {
  KEFU_ASSIGN(auto s, db_.Prepare("INSERT INTO calendars(id, spec, updated_at) VALUES (?, ?, ?) "
                                  "ON CONFLICT(id) DO UPDATE SET spec = excluded.spec, updated_at = excluded.updated_at"));
  return s.Bind(1, c.id).Bind(2, c.spec).Bind(3, c.updated_at).Run();
}

Status SqliteWriteTx::DeleteCalendar(const std::string& id) {
  KEFU_ASSIGN(auto s, db_.Prepare("DELETE FROM calendars WHERE id = ?"));
  KEFU_TRY(s.Bind(1, id).Run());
  if (db_.Changes() == 0) return Fail(Error::NotFound(fmt::format("calendar {} not found", id)));
  return {};
}

Status SqliteWriteTx::PutCalendarBinding(const CalendarBinding& b) {
  if (b.calendar_id.empty()) {
    KEFU_ASSIGN(auto s, db_.Prepare("DELETE FROM calendar_bindings WHERE scope = ? AND value = ?"));
    return s.Bind(1, b.scope).Bind(2, b.value).Run();
  }
  KEFU_ASSIGN(auto s, db_.Prepare("INSERT OR REPLACE INTO calendar_bindings(scope, value, calendar_id) VALUES (?,?,?)"));
  return s.Bind(1, b.scope).Bind(2, b.value).Bind(3, b.calendar_id).Run();
}

namespace {

#define KEFU_SLA_POLICY_SELECT \
  "SELECT id, name, position, enabled, version, body, created_at, updated_at, deleted FROM sla_policies "

StoredSlaPolicy ReadPolicy(const Stmt& s) {
  return StoredSlaPolicy{s.Int(0),    s.Text(1),   static_cast<int>(s.Int(2)), s.Int(3) != 0, static_cast<int>(s.Int(4)),
                         s.Text(5),   s.Int(6),    s.Int(7),                   s.Int(8) != 0};
}

#define KEFU_TICKET_SLA_SELECT                                                                                  \
  "SELECT ticket_id, policy_id, policy_version, calendar_id, clocks, fired, timers, next_due_at, breached, team_id, " \
  "updated_at FROM ticket_sla "

TicketSla ReadTicketSla(const Stmt& s) {
  TicketSla t;
  t.ticket_id = s.Int(0);
  t.policy_id = s.OptInt(1);
  t.policy_version = static_cast<int>(s.Int(2));
  t.calendar_id = s.Text(3);
  t.clocks = s.Text(4);
  t.fired = s.Text(5);
  t.timers = s.Text(6);
  t.next_due_at = s.OptInt(7);
  t.breached = s.Int(8) != 0;
  t.team_id = s.OptInt(9);
  t.updated_at = s.Int(10);
  return t;
}

}  // namespace

Result<std::vector<StoredSlaPolicy>> SqliteReadTx::ListSlaPolicies() {
  KEFU_ASSIGN(auto s, db_.Prepare(KEFU_SLA_POLICY_SELECT "WHERE deleted = 0 ORDER BY position, id"));
  return Collect<StoredSlaPolicy>(s, ReadPolicy);
}

Result<std::optional<std::string>> SqliteReadTx::GetSlaPolicyBody(Id policy_id, int version) {
  KEFU_ASSIGN(auto s, db_.Prepare("SELECT body FROM sla_policy_versions WHERE policy_id = ? AND version = ?"));
  s.Bind(1, policy_id).Bind(2, version);
  return First<std::string>(s, [](const Stmt& r) { return r.Text(0); });
}

Result<std::optional<TicketSla>> SqliteReadTx::GetTicketSla(Id ticket_id) {
  KEFU_ASSIGN(auto s, db_.Prepare(KEFU_TICKET_SLA_SELECT "WHERE ticket_id = ?"));
  s.Bind(1, ticket_id);
  return First<TicketSla>(s, ReadTicketSla);
}

Result<std::vector<TicketSla>> SqliteReadTx::GetTicketSlas(const std::vector<Id>& ticket_ids) {
  return CollectIn<TicketSla>(db_, KEFU_TICKET_SLA_SELECT "WHERE ticket_id IN ", ticket_ids, ReadTicketSla);
}

Result<std::vector<std::pair<Id, std::string>>> SqliteReadTx::SlaTimersAfter(Id after_ticket, int limit) {
  KEFU_ASSIGN(auto s, db_.Prepare("SELECT ticket_id, timers FROM ticket_sla WHERE timers != '' AND ticket_id > ? "
                                  "ORDER BY ticket_id LIMIT ?"));
  s.Bind(1, after_ticket).Bind(2, limit);
  return Collect<std::pair<Id, std::string>>(s, [](const Stmt& r) { return std::pair{r.Int(0), r.Text(1)}; });
}

Result<std::vector<TicketSla>> SqliteReadTx::ListTicketSla(const SlaListQuery& q) {
  std::string sql = KEFU_TICKET_SLA_SELECT "WHERE ";
  sql += q.breached ? "breached = 1" : "next_due_at IS NOT NULL AND next_due_at <= ? AND breached = 0";
  if (q.team_id) sql += " AND team_id = ?";
  sql += " ORDER BY next_due_at LIMIT ?";
  DynamicStmt ds;
  KEFU_ASSIGN(sqlite3_stmt * raw, db_.PrepareDynamic(sql, ds));
  Stmt s(db_.raw(), raw);
  int i = 1;
  if (!q.breached) s.Bind(i++, q.due_before.value_or(0));
  if (q.team_id) s.Bind(i++, *q.team_id);
  s.Bind(i, q.limit);
  return Collect<TicketSla>(s, ReadTicketSla);
}

Result<std::vector<std::string>> SqliteReadTx::SlaClocksUpdated(Millis from, Millis to) {
  KEFU_ASSIGN(auto s, db_.Prepare("SELECT clocks FROM ticket_sla WHERE updated_at >= ? AND updated_at < ?"));
  s.Bind(1, from).Bind(2, to);
  return Collect<std::string>(s, [](const Stmt& r) { return r.Text(0); });
}

Status SqliteWriteTx::InsertSlaPolicy(StoredSlaPolicy& p) {
  KEFU_ASSIGN(auto s, db_.Prepare("INSERT INTO sla_policies(name, position, enabled, version, body, created_at, "
                                  "updated_at, deleted) VALUES (?,?,?,?,?,?,?,0)"));
  s.Bind(1, p.name).Bind(2, p.position).Bind(3, p.enabled).Bind(4, p.version).Bind(5, p.body);
  KEFU_TRY(s.Bind(6, p.created_at).Bind(7, p.updated_at).Run());
  p.id = db_.LastInsertId();
  KEFU_ASSIGN(auto v, db_.Prepare("INSERT INTO sla_policy_versions(policy_id, version, body) VALUES (?,?,?)"));
  return v.Bind(1, p.id).Bind(2, p.version).Bind(3, p.body).Run();
}

Status SqliteWriteTx::UpdateSlaPolicy(const StoredSlaPolicy& p) {
  KEFU_ASSIGN(auto s, db_.Prepare("UPDATE sla_policies SET name = ?, position = ?, enabled = ?, version = ?, body = ?, "
                                  "updated_at = ?, deleted = ? WHERE id = ?"));
  s.Bind(1, p.name).Bind(2, p.position).Bind(3, p.enabled).Bind(4, p.version).Bind(5, p.body);
  KEFU_TRY(s.Bind(6, p.updated_at).Bind(7, p.deleted).Bind(8, p.id).Run());
  if (db_.Changes() == 0) return Fail(Error::NotFound(fmt::format("SLA policy {} not found", p.id)));
  KEFU_ASSIGN(auto v, db_.Prepare("INSERT OR IGNORE INTO sla_policy_versions(policy_id, version, body) VALUES (?,?,?)"));
  return v.Bind(1, p.id).Bind(2, p.version).Bind(3, p.body).Run();
}

Status SqliteWriteTx::PutTicketSla(const TicketSla& t) {
  KEFU_ASSIGN(auto s, db_.Prepare("INSERT OR REPLACE INTO ticket_sla(ticket_id, policy_id, policy_version, calendar_id, "
                                  "clocks, fired, timers, next_due_at, breached, team_id, updated_at) "
                                  "VALUES (?,?,?,?,?,?,?,?,?,?,?)"));
  s.Bind(1, t.ticket_id).Bind(2, t.policy_id).Bind(3, t.policy_version).Bind(4, t.calendar_id).Bind(5, t.clocks);
  s.Bind(6, t.fired).Bind(7, t.timers).Bind(8, t.next_due_at).Bind(9, t.breached).Bind(10, t.team_id);
  return s.Bind(11, t.updated_at).Run();
}

}  // namespace kefu::sqlite
