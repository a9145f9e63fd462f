#include "storage/sqlite/tx.h"

#include <algorithm>
#include <variant>

#include <fmt/format.h>

#include "storage/sqlite/rows.h"
#include "storage/sqlite/strings.h"

namespace kefu::sqlite {

namespace {

#define KEFU_TICKET_COLUMNS                                                                               \
  "t.id, t.number, t.subject, t.description, t.channel, t.source_ref, t.customer_id, t.category_id, "     \
  "t.severity, t.priority, t.state_id, t.state_type, t.team_id, t.assignee_id, t.tags, t.merged_into_id, " \
  "t.reopen_count, t.created_at, t.updated_at, t.first_response_at, t.resolved_at, t.closed_at, "         \
  "t.emotion, t.threats, t.language, t.red_case, t.queued_at, "                                           \
  "(SELECT group_concat(user_id) FROM ticket_collaborators c WHERE c.ticket_id = t.id)"
#define KEFU_TICKET_SELECT "SELECT " KEFU_TICKET_COLUMNS " FROM tickets t "

Ticket ReadTicket(const Stmt& s) {
  Ticket t;
  t.id = s.Int(0);
  t.number = s.Text(1);
  t.subject = s.Text(2);
  t.description = s.Text(3);
  t.channel = EnumOr(s.Text(4), Channel::kOther);
  t.source_ref = s.OptText(5);
  t.customer_id = s.Int(6);
  t.category_id = s.OptInt(7);
  t.severity = EnumOr(s.Text(8), Severity::kNormal);
  t.priority = static_cast<Priority>(std::clamp<std::int64_t>(s.Int(9), 0, 3));
  t.state_id = s.Int(10);
  t.state_type = EnumOr(s.Text(11), StateType::kNew);
  t.team_id = s.OptInt(12);
  t.assignee_id = s.OptInt(13);
  t.tags = SplitList(s.Text(14), '\n');
  t.merged_into_id = s.OptInt(15);
  t.reopen_count = static_cast<int>(s.Int(16));
  t.created_at = s.Int(17);
  t.updated_at = s.Int(18);
  t.first_response_at = s.OptInt(19);
  t.resolved_at = s.OptInt(20);
  t.closed_at = s.OptInt(21);
  t.emotion = static_cast<int>(std::clamp<std::int64_t>(s.Int(22), 0, 4));
  t.threats = ParseThreatList(s.Text(23));
  t.language = s.Text(24);
  t.red_case = s.Int(25) != 0;
  t.queued_at = s.OptInt(26);
  for (const auto& id : SplitList(s.Text(27), ',')) t.collaborator_ids.push_back(std::stoll(id));
  std::sort(t.collaborator_ids.begin(), t.collaborator_ids.end());
  return t;
}

constexpr const char* kCustomerSelect =
    "SELECT id, name, phone, email, external_id, tier, region, language, time_zone, organization, created_at, "
    "updated_at FROM customers ";

Customer ReadCustomer(const Stmt& s) {
  Customer c;
  c.id = s.Int(0);
  c.name = s.Text(1);
  c.phone = s.OptText(2);
  c.email = s.OptText(3);
  c.external_id = s.OptText(4);
  c.tier = EnumOr(s.Text(5), Tier::kRegular);
  c.region = s.Text(6);
  c.language = s.Text(7);
  c.time_zone = s.Text(8);
  c.organization = s.Text(9);
  c.created_at = s.Int(10);
  c.updated_at = s.Int(11);
  return c;
}

#define KEFU_USER_SELECT                                                                                   \
  "SELECT id, username, display_name, role, department_id, password_hash, disabled, language, time_zone, " \
  "created_at FROM users "

User ReadUser(const Stmt& s) {
  User u;
  u.id = s.Int(0);
  u.username = s.Text(1);
  u.display_name = s.Text(2);
  u.role = EnumOr(s.Text(3), Role::kAgent);
  u.department_id = s.OptInt(4);
  u.password_hash = s.Text(5);
  u.disabled = s.Int(6) != 0;
  u.language = s.Text(7);
  u.time_zone = s.Text(8);
  u.created_at = s.Int(9);
  return u;
}

#define KEFU_HANDOFF_SELECT                                                                              \
  "SELECT id, ticket_id, department_id, question, due_at, owner_id, state, answer, answered_at, answered_by, " \
  "created_by, created_at FROM handoffs "

Handoff ReadHandoff(const Stmt& s) {
  Handoff h;
  h.id = s.Int(0);
  h.ticket_id = s.Int(1);
  h.department_id = s.Int(2);
  h.question = s.Text(3);
  h.due_at = s.Int(4);
  h.owner_id = s.OptInt(5);
  h.state = EnumOr(s.Text(6), HandoffState::kOpen);
  h.answer = s.Text(7);
  h.answered_at = s.OptInt(8);
  h.answered_by = s.OptInt(9);
  h.created_by = s.OptInt(10);
  h.created_at = s.Int(11);
  return h;
}

Credential ReadCredential(const Stmt& s) {
  Credential c;
  c.id = s.Int(0);
  c.token_hash = s.Text(1);
  c.user_id = s.Int(2);
  c.api_token = s.Int(3) != 0;
  c.name = s.Text(4);
  c.scopes = SplitList(s.Text(5), ' ');
  c.csrf_token = s.Text(6);
  c.created_at = s.Int(7);
  c.expires_at = s.OptInt(8);
  c.revoked_at = s.OptInt(9);
  return c;
}

#define KEFU_CREDENTIAL_SELECT \
  "SELECT id, token_hash, user_id, api_token, name, scopes, csrf_token, created_at, expires_at, revoked_at FROM credentials "

// Builds the WHERE clause of a ticket query: SQL text with placeholders only,
// and the values to bind in order.
struct Where {
  std::string sql;
  std::vector<std::variant<std::int64_t, std::string>> args;
  void And(std::string clause) {
    sql += sql.empty() ? " WHERE " : " AND ";
    sql += clause;
  }
};

std::string Placeholders(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += i ? ",?" : "?";
  return s;
}

void AddScope(const TicketScope& scope, Where& w) {
  if (scope.all) return;
  std::vector<std::string> parts;
  if (!scope.team_ids.empty()) {
    parts.push_back("t.team_id IN (" + Placeholders(scope.team_ids.size()) + ")");
    for (Id id : scope.team_ids) w.args.emplace_back(id);
  }
  if (scope.user_id) {
    parts.push_back("t.assignee_id = ?");
    w.args.emplace_back(*scope.user_id);
    parts.push_back("EXISTS (SELECT 1 FROM ticket_collaborators c WHERE c.ticket_id = t.id AND c.user_id = ?)");
    w.args.emplace_back(*scope.user_id);
  }
  if (scope.department_id) {
    parts.push_back("EXISTS (SELECT 1 FROM handoffs h WHERE h.ticket_id = t.id AND h.department_id = ?)");
    w.args.emplace_back(*scope.department_id);
  }
  if (parts.empty()) {
    w.And("0");
    return;
  }
  std::string clause = "(";
  for (size_t i = 0; i < parts.size(); ++i) clause += (i ? " OR " : "") + parts[i];
  w.And(clause + ")");
}

// Sort columns (in order) and direction of each TicketSort.
struct SortSpec {
  std::vector<const char*> columns;
  bool descending;
};

SortSpec SpecOf(TicketSort s) {
  switch (s) {
    case TicketSort::kUpdatedDesc: return {{"t.updated_at", "t.id"}, true};
    case TicketSort::kUpdatedAsc: return {{"t.updated_at", "t.id"}, false};
    case TicketSort::kCreatedDesc: return {{"t.created_at", "t.id"}, true};
    case TicketSort::kCreatedAsc: return {{"t.created_at", "t.id"}, false};
    case TicketSort::kPriority: return {{"t.priority", "t.created_at", "t.id"}, false};
  }
  return {{"t.updated_at", "t.id"}, true};
}

void BindAll(sqlite3_stmt* s, const Where& w) {
  int i = 1;
  for (const auto& a : w.args) {
    if (auto* n = std::get_if<std::int64_t>(&a)) {
      sqlite3_bind_int64(s, i++, *n);
    } else {
      const auto& str = std::get<std::string>(a);
      sqlite3_bind_text(s, i++, str.data(), static_cast<int>(str.size()), SQLITE_TRANSIENT);
    }
  }
}

}  // namespace

Result<Ticket> SqliteReadTx::GetTicket(Id id) {
  KEFU_ASSIGN(auto s, db_.Prepare(KEFU_TICKET_SELECT "WHERE t.id = ?"));
  s.Bind(1, id);
  KEFU_ASSIGN(auto t, First<Ticket>(s, ReadTicket));
  if (!t) return Fail(Error::NotFound(fmt::format("complaint {} not found", id)));
  return *t;
}

Result<std::vector<Ticket>> SqliteReadTx::GetTickets(const std::vector<Id>& ids) {
  return CollectIn<Ticket>(db_, KEFU_TICKET_SELECT "WHERE t.id IN ", ids, ReadTicket);
}

Result<std::optional<Ticket>> SqliteReadTx::OneTicket(const char* sql, const std::string& key) {
  KEFU_ASSIGN(auto s, db_.Prepare(sql));
  s.Bind(1, key);
  return First<Ticket>(s, ReadTicket);
}

Result<std::optional<Ticket>> SqliteReadTx::FindTicketBySourceRef(const std::string& source_ref) {
  return OneTicket(KEFU_TICKET_SELECT "WHERE t.source_ref = ?", source_ref);
}

Result<std::optional<Ticket>> SqliteReadTx::FindTicketByNumber(const std::string& number) {
  return OneTicket(KEFU_TICKET_SELECT "WHERE t.number = ?", number);
}

Result<std::vector<Ticket>> SqliteReadTx::QueryTickets(const TicketQuery& q, bool count_only, std::int64_t* count) {
  Where w;
  AddScope(q.scope, w);
  if (!q.states.empty()) {
    w.And("t.state_type IN (" + Placeholders(q.states.size()) + ")");
    for (auto st : q.states) w.args.emplace_back(std::string(Name(st)));
  }
  auto eq = [&](const char* col, const auto& v) {
    if (!v) return;
    w.And(std::string(col) + " = ?");
    using V = std::decay_t<decltype(*v)>;
    if constexpr (std::is_enum_v<V>)
      w.args.emplace_back(std::string(Name(*v)));
    else
      w.args.emplace_back(static_cast<std::int64_t>(*v));
  };
  eq("t.team_id", q.team_id);
  eq("t.assignee_id", q.assignee_id);
  if (q.unassigned) w.And("t.assignee_id IS NULL");
  eq("t.channel", q.channel);
  eq("t.category_id", q.category_id);
  eq("t.severity", q.severity);
  if (q.priority) {
    w.And("t.priority = ?");
    w.args.emplace_back(static_cast<std::int64_t>(*q.priority));
  }
  eq("t.customer_id", q.customer_id);
  auto range = [&](const char* clause, const std::optional<Millis>& v) {
    if (!v) return;
    w.And(clause);
    w.args.emplace_back(*v);
  };
  range("t.created_at >= ?", q.created_from);
  range("t.created_at < ?", q.created_to);
  range("t.updated_at >= ?", q.updated_from);
  range("t.updated_at < ?", q.updated_to);
  if (!q.subject_contains.empty()) {
    w.And("instr(t.subject, ?) > 0");
    w.args.emplace_back(q.subject_contains);
  }
  if (count_only) {
    DynamicStmt ds;
    KEFU_ASSIGN(sqlite3_stmt * raw, db_.PrepareDynamic("SELECT count(*) FROM tickets t" + w.sql, ds));
    Stmt s(db_.raw(), raw);
    BindAll(raw, w);
    if (sqlite3_step(raw) != SQLITE_ROW) return Fail(db_.LastError("count tickets"));
    *count = sqlite3_column_int64(raw, 0);
    return std::vector<Ticket>{};
  }
  SortSpec spec = SpecOf(q.sort);
  if (q.after && q.after->size() == spec.columns.size()) {
    // Row-value comparison keeps keyset pagination on the index.
    std::string cols = "(", marks = "(";
    for (size_t i = 0; i < spec.columns.size(); ++i) {
      cols += std::string(i ? "," : "") + spec.columns[i];
      marks += i ? ",?" : "?";
      w.args.emplace_back((*q.after)[i]);
    }
    w.And(cols + ") " + (spec.descending ? "< " : "> ") + marks + ")");
  }
  std::string order = " ORDER BY ";
  for (size_t i = 0; i < spec.columns.size(); ++i)
    order += std::string(i ? ", " : "") + spec.columns[i] + (spec.descending ? " DESC" : " ASC");
  std::string sql = fmt::format("SELECT " KEFU_TICKET_COLUMNS " FROM tickets t{}{} LIMIT {}", w.sql, order,
                                std::clamp(q.limit, 1, 1000));
  DynamicStmt ds;
  KEFU_ASSIGN(sqlite3_stmt * raw, db_.PrepareDynamic(sql, ds));
  Stmt s(db_.raw(), raw);
  BindAll(raw, w);
  return Collect<Ticket>(s, ReadTicket);
}

Result<std::vector<Ticket>> SqliteReadTx::ListTickets(const TicketQuery& q) { return QueryTickets(q, false, nullptr); }

Result<std::int64_t> SqliteReadTx::CountTickets(const TicketQuery& q) {
  std::int64_t n = 0;
  KEFU_TRY(QueryTickets(q, true, &n));
  return n;
}

Result<std::vector<Ticket>> SqliteReadTx::TicketsAfter(Id after_id, int limit) {
  KEFU_ASSIGN(auto s, db_.Prepare(KEFU_TICKET_SELECT "WHERE t.id > ? ORDER BY t.id LIMIT ?"));
  s.Bind(1, after_id).Bind(2, limit);
  return Collect<Ticket>(s, ReadTicket);
}

Result<std::vector<Ticket>> SqliteReadTx::ListQueued(Id team_id, Millis queued_by, int limit) {
  // The state list is written out, not bound, so that the planner can use the
  // partial index tickets_queue (migration 7).
  KEFU_ASSIGN(auto s, db_.Prepare(KEFU_TICKET_SELECT
                                  "WHERE t.team_id = ? AND t.queued_at <= ? AND t.state_type IN ('new', 'open') "
                                  "ORDER BY t.queued_at, t.id LIMIT ?"));
  s.Bind(1, team_id).Bind(2, queued_by).Bind(3, limit);
  return Collect<Ticket>(s, ReadTicket);
}

Result<std::vector<Message>> SqliteReadTx::ListMessages(Id ticket_id) {
  KEFU_ASSIGN(auto s, db_.Prepare("SELECT id, ticket_id, kind, author_kind, author_id, channel, body, call_direction, "
                                  "call_duration_seconds, created_at FROM messages WHERE ticket_id = ? ORDER BY id"));
  s.Bind(1, ticket_id);
  return Collect<Message>(s, [](const Stmt& r) {
    Message m;
    m.id = r.Int(0);
    m.ticket_id = r.Int(1);
    m.kind = EnumOr(r.Text(2), MessageKind::kReply);
    m.author_kind = EnumOr(r.Text(3), AuthorKind::kAgent);
    m.author_id = r.OptInt(4);
    m.channel = EnumOr(r.Text(5), Channel::kOther);
    m.body = r.Text(6);
    if (auto d = r.OptText(7)) m.call_direction = Parse<CallDirection>(*d);
    m.call_duration_seconds = r.OptInt(8);
    m.created_at = r.Int(9);
    return m;
  });
}

Result<std::vector<TicketEvent>> SqliteReadTx::ListEvents(Id ticket_id) {
  KEFU_ASSIGN(auto s, db_.Prepare("SELECT id, ticket_id, at, actor_kind, actor_id, type, field, from_value, to_value, "
                                  "detail FROM ticket_events WHERE ticket_id = ? ORDER BY id"));
  s.Bind(1, ticket_id);
  return Collect<TicketEvent>(s, [](const Stmt& r) {
    TicketEvent e;
    e.id = r.Int(0);
    e.ticket_id = r.Int(1);
    e.at = r.Int(2);
    e.actor_kind = EnumOr(r.Text(3), AuthorKind::kSystem);
    e.actor_id = r.OptInt(4);
    e.type = r.Text(5);
    e.field = r.Text(6);
    e.from = r.Text(7);
    e.to = r.Text(8);
    e.detail = r.Text(9);
    return e;
  });
}

Result<std::vector<Handoff>> SqliteReadTx::ListHandoffs(Id ticket_id) {
  KEFU_ASSIGN(auto s, db_.Prepare(KEFU_HANDOFF_SELECT "WHERE ticket_id = ? ORDER BY id"));
  s.Bind(1, ticket_id);
  return Collect<Handoff>(s, ReadHandoff);
}

Result<std::vector<Handoff>> SqliteReadTx::QueryHandoffs(const HandoffQuery& q) {
  KEFU_ASSIGN(auto s, db_.Prepare(KEFU_HANDOFF_SELECT
                                  "WHERE (?1 IS NULL OR department_id = ?1) AND (?2 IS NULL OR state = ?2) "
                                  "ORDER BY due_at, id LIMIT ?3"));
  s.Bind(1, q.department_id);
  if (q.state) s.Bind(2, Name(*q.state));
  s.Bind(3, q.limit);
  return Collect<Handoff>(s, ReadHandoff);
}

Result<Handoff> SqliteReadTx::GetHandoff(Id id) {
  KEFU_ASSIGN(auto s, db_.Prepare(KEFU_HANDOFF_SELECT "WHERE id = ?"));
  s.Bind(1, id);
  KEFU_ASSIGN(auto h, First<Handoff>(s, ReadHandoff));
  if (!h) return Fail(Error::NotFound(fmt::format("hand-off {} not found", id)));
  return *h;
}

Result<std::vector<TicketLink>> SqliteReadTx::ListLinks(Id ticket_id) {
  KEFU_ASSIGN(auto s, db_.Prepare("SELECT id, ticket_id, other_id, kind, created_by, created_at FROM ticket_links "
                                  "WHERE ticket_id = ? ORDER BY id"));
  s.Bind(1, ticket_id);
  return Collect<TicketLink>(s, [](const Stmt& r) {
    TicketLink l;
    l.id = r.Int(0);
    l.ticket_id = r.Int(1);
    l.other_id = r.Int(2);
    l.kind = EnumOr(r.Text(3), LinkKind::kRelated);
    l.created_by = r.OptInt(4);
    l.created_at = r.Int(5);
    return l;
  });
}

Result<Customer> SqliteReadTx::GetCustomer(Id id) {
  static const std::string kSql = std::string(kCustomerSelect) + "WHERE id = ?";
  KEFU_ASSIGN(auto s, db_.Prepare(kSql.c_str()));
  s.Bind(1, id);
  KEFU_ASSIGN(auto c, First<Customer>(s, ReadCustomer));
  if (!c) return Fail(Error::NotFound(fmt::format("customer {} not found", id)));
  return *c;
}

Result<std::vector<Customer>> SqliteReadTx::GetCustomers(const std::vector<Id>& ids) {
  return CollectIn<Customer>(db_, std::string(kCustomerSelect) + "WHERE id IN ", ids, ReadCustomer);
}

Result<std::optional<Customer>> SqliteReadTx::OneCustomer(const char* sql, const std::string& key) {
  KEFU_ASSIGN(auto s, db_.Prepare(sql));
  s.Bind(1, key);
  return First<Customer>(s, ReadCustomer);
}

Result<std::optional<Customer>> SqliteReadTx::FindCustomerByPhone(const std::string& phone) {
  static const std::string kSql = std::string(kCustomerSelect) + "WHERE phone = ?";
  return OneCustomer(kSql.c_str(), phone);
}

Result<std::optional<Customer>> SqliteReadTx::FindCustomerByEmail(const std::string& email) {
  static const std::string kSql = std::string(kCustomerSelect) + "WHERE email = ?";
  return OneCustomer(kSql.c_str(), email);
}

Result<std::optional<Customer>> SqliteReadTx::FindCustomerByExternalId(const std::string& external_id) {
  static const std::string kSql = std::string(kCustomerSelect) + "WHERE external_id = ?";
  return OneCustomer(kSql.c_str(), external_id);
}

Result<std::vector<Customer>> SqliteReadTx::SearchCustomers(const std::string& prefix, int limit) {
  // Prefix ranges [p, p || U+10FFFF) use the indexes for any UTF-8 text.
  static const std::string kSql = std::string(kCustomerSelect) +
                                  "WHERE id IN (SELECT id FROM customers WHERE phone >= ?1 AND phone < ?2 "
                                  "UNION SELECT id FROM customers WHERE email >= ?1 AND email < ?2 "
                                  "UNION SELECT id FROM customers WHERE name >= ?1 AND name < ?2) "
                                  "ORDER BY name, id LIMIT ?3";
  KEFU_ASSIGN(auto s, db_.Prepare(kSql.c_str()));
  s.Bind(1, prefix).Bind(2, prefix + "\xf4\x8f\xbf\xbf").Bind(3, limit);
  return Collect<Customer>(s, ReadCustomer);
}

Status SqliteReadTx::LoadTeams(User& u) {
  KEFU_ASSIGN(auto s, db_.Prepare("SELECT team_id FROM user_teams WHERE user_id = ? ORDER BY team_id"));
  s.Bind(1, u.id);
  KEFU_ASSIGN(u.team_ids, Collect<Id>(s, [](const Stmt& r) { return r.Int(0); }));
  return {};
}

Result<User> SqliteReadTx::GetUser(Id id) {
  KEFU_ASSIGN(auto s, db_.Prepare(KEFU_USER_SELECT "WHERE id = ?"));
  s.Bind(1, id);
  KEFU_ASSIGN(auto u, First<User>(s, ReadUser));
  if (!u) return Fail(Error::NotFound(fmt::format("user {} not found", id)));
  KEFU_TRY(LoadTeams(*u));
  return *u;
}

Result<std::optional<User>> SqliteReadTx::FindUserByUsername(const std::string& username) {
  KEFU_ASSIGN(auto s, db_.Prepare(KEFU_USER_SELECT "WHERE username = ?"));
  s.Bind(1, username);
  KEFU_ASSIGN(auto u, First<User>(s, ReadUser));
  if (u) KEFU_TRY(LoadTeams(*u));
  return u;
}

Result<std::vector<User>> SqliteReadTx::ListUsers() {
  KEFU_ASSIGN(auto s, db_.Prepare(KEFU_USER_SELECT "ORDER BY id"));
  KEFU_ASSIGN(auto users, Collect<User>(s, ReadUser));
  KEFU_ASSIGN(auto t, db_.Prepare("SELECT user_id, team_id FROM user_teams ORDER BY user_id, team_id"));
  for (;;) {
    KEFU_ASSIGN(bool row, t.Step());
    if (!row) break;
    Id uid = t.Int(0);
    auto it = std::lower_bound(users.begin(), users.end(), uid, [](const User& u, Id v) { return u.id < v; });
    if (it != users.end() && it->id == uid) it->team_ids.push_back(t.Int(1));
  }
  return users;
}

Result<std::vector<Team>> SqliteReadTx::ListTeams() {
  KEFU_ASSIGN(auto s, db_.Prepare("SELECT id, name, region, created_at FROM teams ORDER BY id"));
  return Collect<Team>(s, [](const Stmt& r) { return Team{r.Int(0), r.Text(1), r.Text(2), r.Int(3)}; });
}

Result<std::vector<Department>> SqliteReadTx::ListDepartments() {
  KEFU_ASSIGN(auto s, db_.Prepare("SELECT id, key, name, name_en FROM departments ORDER BY id"));
  return Collect<Department>(s, [](const Stmt& r) { return Department{r.Int(0), r.Text(1), r.Text(2), r.Text(3)}; });
}

Result<std::vector<Category>> SqliteReadTx::ListCategories() {
  KEFU_ASSIGN(auto s, db_.Prepare("SELECT id, parent_id, key, name, name_en, active, sort FROM categories "
                                  "ORDER BY sort, id"));
  return Collect<Category>(s, [](const Stmt& r) {
    return Category{r.Int(0), r.OptInt(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5) != 0, static_cast<int>(r.Int(6))};
  });
}

Result<std::vector<TicketState>> SqliteReadTx::ListStates() {
  KEFU_ASSIGN(auto s, db_.Prepare("SELECT id, name, name_en, type, is_default FROM states ORDER BY id"));
  return Collect<TicketState>(s, [](const Stmt& r) {
    return TicketState{r.Int(0), r.Text(1), r.Text(2), EnumOr(r.Text(3), StateType::kOpen), r.Int(4) != 0};
  });
}

Result<std::optional<Credential>> SqliteReadTx::FindCredential(const std::string& token_hash) {
  KEFU_ASSIGN(auto s, db_.Prepare(KEFU_CREDENTIAL_SELECT "WHERE token_hash = ?"));
  s.Bind(1, token_hash);
  return First<Credential>(s, ReadCredential);
}

Result<std::vector<Credential>> SqliteReadTx::ListApiTokens(Id user_id) {
  KEFU_ASSIGN(auto s, db_.Prepare(KEFU_CREDENTIAL_SELECT "WHERE user_id = ? AND api_token = 1 ORDER BY id"));
  s.Bind(1, user_id);
  return Collect<Credential>(s, ReadCredential);
}

Result<std::vector<AuditEntry>> SqliteReadTx::ListAudit(std::optional<Id> before_id, int limit) {
  KEFU_ASSIGN(auto s, db_.Prepare("SELECT id, at, actor_id, action, target, detail, ip FROM audit_log "
                                  "WHERE (?1 IS NULL OR id < ?1) ORDER BY id DESC LIMIT ?2"));
  s.Bind(1, before_id).Bind(2, limit);
  return Collect<AuditEntry>(s, [](const Stmt& r) {
    return AuditEntry{r.Int(0), r.Int(1), r.OptInt(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6)};
  });
}

// ---- writes ----

Result<std::string> SqliteWriteTx::NextTicketNumber(const std::string& day) {
  KEFU_ASSIGN(auto s, db_.Prepare("INSERT INTO ticket_numbers(day, last) VALUES (?, 1) "
                                  "ON CONFLICT(day) DO UPDATE SET last = last + 1 RETURNING last"));
  s.Bind(1, day);
  KEFU_ASSIGN(bool row, s.Step());
  if (!row) return Fail(Error::Internal("ticket number allocation returned nothing"));
  return fmt::format("{}-{:05}", day, s.Int(0));
}

Result<Id> SqliteWriteTx::NextTicketId() {
  // Read once from the store, then kept by this writer, the only one, above
  // every id it inserts.
  if (!next_ticket_id_) {
    KEFU_ASSIGN(auto s, db_.Prepare("SELECT coalesce(max(id), 0) + 1 FROM tickets"));
    KEFU_ASSIGN(bool row, s.Step());
    if (!row) return Fail(Error::Internal("the next complaint id query returned nothing"));
    next_ticket_id_ = s.Int(0);
  }
  return *next_ticket_id_;
}

namespace {
void BindTicket(Stmt& s, const Ticket& t) {
  s.Bind(1, t.number).Bind(2, t.subject).Bind(3, t.description).Bind(4, Name(t.channel)).Bind(5, t.source_ref);
  s.Bind(6, t.customer_id).Bind(7, t.category_id).Bind(8, Name(t.severity));
  s.Bind(9, static_cast<std::int64_t>(t.priority)).Bind(10, t.state_id).Bind(11, Name(t.state_type));
  s.Bind(12, t.team_id).Bind(13, t.assignee_id).Bind(14, JoinList(t.tags, '\n')).Bind(15, t.merged_into_id);
  s.Bind(16, t.reopen_count).Bind(17, t.created_at).Bind(18, t.updated_at).Bind(19, t.first_response_at);
  s.Bind(20, t.resolved_at).Bind(21, t.closed_at).Bind(22, t.emotion).Bind(23, ThreatList(t.threats));
  s.Bind(24, t.language).Bind(25, t.red_case);
}

// queued_at (Ticket::queued_at) once team_id or assignee_id changed, from
// BindTicket's placeholders: the write's updated_at when the complaint is left
// in a team without an assignee, else null.
#define KEFU_QUEUED_AT_AFTER_CHANGE "CASE WHEN ?13 IS NULL AND ?12 IS NOT NULL THEN ?18 END"
}  // namespace

Status SqliteWriteTx::SaveCollaborators(const Ticket& t) {
  KEFU_ASSIGN(auto del, db_.Prepare("DELETE FROM ticket_collaborators WHERE ticket_id = ?"));
  KEFU_TRY(del.Bind(1, t.id).Run());
  for (Id uid : t.collaborator_ids) {
    KEFU_ASSIGN(auto ins, db_.Prepare("INSERT OR IGNORE INTO ticket_collaborators(ticket_id, user_id) VALUES (?, ?)"));
    KEFU_TRY(ins.Bind(1, t.id).Bind(2, uid).Run());
  }
  return {};
}

Status SqliteWriteTx::InsertTicket(Ticket& t) {
  KEFU_ASSIGN(auto s, db_.Prepare(
                          "INSERT INTO tickets(number, subject, description, channel, source_ref, customer_id, "
                          "category_id, severity, priority, state_id, state_type, team_id, assignee_id, tags, "
                          "merged_into_id, reopen_count, created_at, updated_at, first_response_at, resolved_at, "
                          "closed_at, emotion, threats, language, red_case, queued_at, id) "
                          "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  // A complaint created in a team without an assignee waits in its queue from its creation.
  t.queued_at = !t.assignee_id && t.team_id ? std::optional<Millis>(t.created_at) : std::nullopt;
  BindTicket(s, t);
  s.Bind(26, t.queued_at);
  s.Bind(27, t.id != 0 ? std::optional<Id>(t.id) : std::nullopt);
  KEFU_TRY(s.Run());
  t.id = db_.LastInsertId();
  if (!t.collaborator_ids.empty()) KEFU_TRY(SaveCollaborators(t));
  if (next_ticket_id_) next_ticket_id_ = std::max(*next_ticket_id_, t.id + 1);
  loads_.Move(std::nullopt, t.state_type, t.assignee_id, t.state_type);
  return {};
}

Result<std::optional<std::pair<std::optional<Id>, StateType>>> SqliteWriteTx::StoredLoadOf(Id ticket_id) {
  KEFU_ASSIGN(auto s, db_.Prepare("SELECT assignee_id, state_type FROM tickets WHERE id = ?"));
  s.Bind(1, ticket_id);
  KEFU_ASSIGN(bool row, s.Step());
  if (!row) return std::optional<std::pair<std::optional<Id>, StateType>>();
  return std::optional(std::pair(s.OptInt(0), EnumOr(s.Text(1), StateType::kOpen)));
}

Status SqliteWriteTx::KeepRedCasesWithCustomer(const Ticket& t) {
  KEFU_ASSIGN(auto s, db_.Prepare("UPDATE red_cases SET customer_id = ?1 WHERE ticket_id = ?2 AND customer_id IS NOT ?1"));
  s.Bind(1, t.customer_id).Bind(2, t.id);
  return s.Run();
}

Result<std::vector<std::int64_t>> SqliteWriteTx::CountOpenAssigned(const std::vector<Id>& user_ids) {
  if (!loads_.loaded()) return SqliteReadTx::CountOpenAssigned(user_ids);
  std::vector<std::int64_t> counts;
  counts.reserve(user_ids.size());
  for (Id user : user_ids) counts.push_back(loads_.Of(user));
  return counts;
}

Status SqliteWriteTx::UpdateTicket(const Ticket& t) {
  KEFU_ASSIGN(auto s, db_.Prepare(
                          "UPDATE tickets SET number=?1, subject=?2, description=?3, channel=?4, source_ref=?5, "
                          "customer_id=?6, category_id=?7, severity=?8, priority=?9, state_id=?10, state_type=?11, "
                          "team_id=?12, assignee_id=?13, tags=?14, merged_into_id=?15, reopen_count=?16, "
                          "created_at=?17, updated_at=?18, first_response_at=?19, resolved_at=?20, closed_at=?21, "
                          "emotion=?22, threats=?23, language=?24, red_case=?25, "
                          "queued_at=CASE WHEN team_id IS ?12 AND assignee_id IS ?13 THEN queued_at "
                          "ELSE " KEFU_QUEUED_AT_AFTER_CHANGE " END WHERE id=?26"));
  KEFU_ASSIGN(auto before, StoredLoadOf(t.id));
  BindTicket(s, t);
  s.Bind(26, t.id);
  KEFU_TRY(s.Run());
  if (db_.Changes() == 0) return Fail(Error::NotFound(fmt::format("complaint {} not found", t.id)));
  if (before) loads_.Move(before->first, before->second, t.assignee_id, t.state_type);
  KEFU_TRY(KeepRedCasesWithCustomer(t));
  return SaveCollaborators(t);
}

Status SqliteWriteTx::UpdateTicket(const Ticket& t, const Ticket& stored) {
  // The columns in BindTicket's order (placeholder ?N is column N).
  static constexpr const char* kColumns[] = {
      "number",      "subject",      "description", "channel",        "source_ref",        "customer_id",
      "category_id", "severity",     "priority",    "state_id",       "state_type",        "team_id",
      "assignee_id", "tags",         "merged_into_id", "reopen_count", "created_at",        "updated_at",
      "first_response_at", "resolved_at", "closed_at", "emotion",     "threats",           "language",
      "red_case"};
  const Ticket& a = t;
  const Ticket& b = stored;
  const bool differs[] = {
      a.number != b.number, a.subject != b.subject, a.description != b.description, a.channel != b.channel,
      a.source_ref != b.source_ref, a.customer_id != b.customer_id, a.category_id != b.category_id,
      a.severity != b.severity, a.priority != b.priority, a.state_id != b.state_id, a.state_type != b.state_type,
      a.team_id != b.team_id, a.assignee_id != b.assignee_id, a.tags != b.tags, a.merged_into_id != b.merged_into_id,
      a.reopen_count != b.reopen_count, a.created_at != b.created_at, a.updated_at != b.updated_at,
      a.first_response_at != b.first_response_at, a.resolved_at != b.resolved_at, a.closed_at != b.closed_at,
      a.emotion != b.emotion, a.threats != b.threats, a.language != b.language, a.red_case != b.red_case};
  static_assert(std::size(kColumns) == std::size(differs));
  std::string sql;
  for (size_t i = 0; i < std::size(kColumns); ++i)
    if (differs[i]) sql += fmt::format("{}{}=?{}", sql.empty() ? "UPDATE tickets SET " : ", ", kColumns[i], i + 1);
  if (a.team_id != b.team_id || a.assignee_id != b.assignee_id) sql += ", queued_at=" KEFU_QUEUED_AT_AFTER_CHANGE;
  if (!sql.empty()) {
    // What the load of the agents was counted from is read, not taken from the caller.
    std::optional<std::pair<std::optional<Id>, StateType>> before;
    if (a.state_type != b.state_type || a.assignee_id != b.assignee_id) {
      KEFU_ASSIGN(before, StoredLoadOf(t.id));
    }
    // Only the changed columns' indexes are rewritten.
    sql += " WHERE id=?26";
    DynamicStmt ds;
    KEFU_ASSIGN(sqlite3_stmt * raw, db_.PrepareDynamic(sql, ds));
    Stmt s(db_.raw(), raw);
    BindTicket(s, t);
    s.Bind(26, t.id);
    KEFU_TRY(s.Run());
    if (db_.Changes() == 0) return Fail(Error::NotFound(fmt::format("complaint {} not found", t.id)));
    if (a.customer_id != b.customer_id) KEFU_TRY(KeepRedCasesWithCustomer(t));
    // A column left out of the write keeps its stored value.
    if (before)
      loads_.Move(before->first, before->second, a.assignee_id != b.assignee_id ? t.assignee_id : before->first,
                  a.state_type != b.state_type ? t.state_type : before->second);
  }
  return a.collaborator_ids == b.collaborator_ids ? Status{} : SaveCollaborators(t);
}

Status SqliteWriteTx::InsertMessage(Message& m) {
  KEFU_ASSIGN(auto s, db_.Prepare("INSERT INTO messages(ticket_id, kind, author_kind, author_id, channel, body, "
                                  "call_direction, call_duration_seconds, created_at) VALUES (?,?,?,?,?,?,?,?,?)"));
  s.Bind(1, m.ticket_id).Bind(2, Name(m.kind)).Bind(3, Name(m.author_kind)).Bind(4, m.author_id);
  s.Bind(5, Name(m.channel)).Bind(6, m.body);
  if (m.call_direction) s.Bind(7, Name(*m.call_direction));
  s.Bind(8, m.call_duration_seconds).Bind(9, m.created_at);
  KEFU_TRY(s.Run());
  m.id = db_.LastInsertId();
  return {};
}

Status SqliteWriteTx::InsertEvent(TicketEvent& e) {
  KEFU_ASSIGN(auto s, db_.Prepare("INSERT INTO ticket_events(ticket_id, at, actor_kind, actor_id, type, field, "
                                  "from_value, to_value, detail) VALUES (?,?,?,?,?,?,?,?,?)"));
  s.Bind(1, e.ticket_id).Bind(2, e.at).Bind(3, Name(e.actor_kind)).Bind(4, e.actor_id).Bind(5, e.type);
  s.Bind(6, e.field).Bind(7, e.from).Bind(8, e.to).Bind(9, e.detail);
  KEFU_TRY(s.Run());
  e.id = db_.LastInsertId();
  return {};
}

Status SqliteWriteTx::InsertHandoff(Handoff& h) {
  KEFU_ASSIGN(auto s, db_.Prepare("INSERT INTO handoffs(ticket_id, department_id, question, due_at, owner_id, state, "
                                  "answer, answered_at, answered_by, created_by, created_at) "
                                  "VALUES (?,?,?,?,?,?,?,?,?,?,?)"));
  s.Bind(1, h.ticket_id).Bind(2, h.department_id).Bind(3, h.question).Bind(4, h.due_at).Bind(5, h.owner_id);
  s.Bind(6, Name(h.state)).Bind(7, h.answer).Bind(8, h.answered_at).Bind(9, h.answered_by);
  s.Bind(10, h.created_by).Bind(11, h.created_at);
  KEFU_TRY(s.Run());
  h.id = db_.LastInsertId();
  return {};
}

Status SqliteWriteTx::UpdateHandoff(const Handoff& h) {
  KEFU_ASSIGN(auto s, db_.Prepare("UPDATE handoffs SET question=?, due_at=?, owner_id=?, state=?, answer=?, "
                                  "answered_at=?, answered_by=? WHERE id=?"));
  s.Bind(1, h.question).Bind(2, h.due_at).Bind(3, h.owner_id).Bind(4, Name(h.state)).Bind(5, h.answer);
  s.Bind(6, h.answered_at).Bind(7, h.answered_by).Bind(8, h.id);
  return s.Run();
}

Status SqliteWriteTx::InsertLink(TicketLink& l) {
  KEFU_ASSIGN(auto s, db_.Prepare("INSERT INTO ticket_links(ticket_id, other_id, kind, created_by, created_at) "
                                  "VALUES (?,?,?,?,?)"));
  s.Bind(1, l.ticket_id).Bind(2, l.other_id).Bind(3, Name(l.kind)).Bind(4, l.created_by).Bind(5, l.created_at);
  KEFU_TRY(s.Run());
  l.id = db_.LastInsertId();
  return {};
}

Status SqliteWriteTx::DeleteLink(Id link_id) {
  KEFU_ASSIGN(auto s, db_.Prepare("DELETE FROM ticket_links WHERE id = ?"));
  return s.Bind(1, link_id).Run();
}

namespace {
void BindCustomer(Stmt& s, const Customer& c) {
  s.Bind(1, c.name).Bind(2, c.phone).Bind(3, c.email).Bind(4, c.external_id).Bind(5, Name(c.tier));
  s.Bind(6, c.region).Bind(7, c.language).Bind(8, c.time_zone).Bind(9, c.organization);
  s.Bind(10, c.created_at).Bind(11, c.updated_at);
}
}  // namespace

Status SqliteWriteTx::InsertCustomer(Customer& c) {
  KEFU_ASSIGN(auto s, db_.Prepare("INSERT INTO customers(name, phone, email, external_id, tier, region, language, "
                                  "time_zone, organization, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)"));
  BindCustomer(s, c);
  KEFU_TRY(s.Run());
  c.id = db_.LastInsertId();
  return {};
}

Status SqliteWriteTx::UpdateCustomer(const Customer& c) {
  KEFU_ASSIGN(auto s, db_.Prepare("UPDATE customers SET name=?1, phone=?2, email=?3, external_id=?4, tier=?5, "
                                  "region=?6, language=?7, time_zone=?8, organization=?9, created_at=?10, "
                                  "updated_at=?11 WHERE id=?12"));
  BindCustomer(s, c);
  s.Bind(12, c.id);
  return s.Run();
}

Status SqliteWriteTx::SaveUserTeams(const User& u) {
  KEFU_ASSIGN(auto del, db_.Prepare("DELETE FROM user_teams WHERE user_id = ?"));
  KEFU_TRY(del.Bind(1, u.id).Run());
  for (Id tid : u.team_ids) {
    KEFU_ASSIGN(auto ins, db_.Prepare("INSERT OR IGNORE INTO user_teams(user_id, team_id) VALUES (?, ?)"));
    KEFU_TRY(ins.Bind(1, u.id).Bind(2, tid).Run());
  }
  return {};
}

Status SqliteWriteTx::InsertUser(User& u) {
  KEFU_ASSIGN(auto s, db_.Prepare("INSERT INTO users(username, display_name, role, department_id, password_hash, "
                                  "disabled, language, time_zone, created_at) VALUES (?,?,?,?,?,?,?,?,?)"));
  s.Bind(1, u.username).Bind(2, u.display_name).Bind(3, Name(u.role)).Bind(4, u.department_id);
  s.Bind(5, u.password_hash).Bind(6, u.disabled).Bind(7, u.language).Bind(8, u.time_zone).Bind(9, u.created_at);
  KEFU_TRY(s.Run());
  u.id = db_.LastInsertId();
  return SaveUserTeams(u);
}

Status SqliteWriteTx::UpdateUser(const User& u) {
  KEFU_ASSIGN(auto s, db_.Prepare("UPDATE users SET username=?, display_name=?, role=?, department_id=?, "
                                  "password_hash=?, disabled=?, language=?, time_zone=? WHERE id=?"));
  s.Bind(1, u.username).Bind(2, u.display_name).Bind(3, Name(u.role)).Bind(4, u.department_id);
  s.Bind(5, u.password_hash).Bind(6, u.disabled).Bind(7, u.language).Bind(8, u.time_zone).Bind(9, u.id);
  KEFU_TRY(s.Run());
  return SaveUserTeams(u);
}

Status SqliteWriteTx::InsertTeam(Team& t) {
  KEFU_ASSIGN(auto s, db_.Prepare("INSERT INTO teams(name, region, created_at) VALUES (?,?,?)"));
  KEFU_TRY(s.Bind(1, t.name).Bind(2, t.region).Bind(3, t.created_at).Run());
  t.id = db_.LastInsertId();
  return {};
}

Status SqliteWriteTx::UpdateTeam(const Team& t) {
  KEFU_ASSIGN(auto s, db_.Prepare("UPDATE teams SET name=?, region=? WHERE id=?"));
  return s.Bind(1, t.name).Bind(2, t.region).Bind(3, t.id).Run();
}

Status SqliteWriteTx::InsertDepartment(Department& d) {
  KEFU_ASSIGN(auto s, db_.Prepare("INSERT INTO departments(key, name, name_en) VALUES (?,?,?)"));
  KEFU_TRY(s.Bind(1, d.key).Bind(2, d.name).Bind(3, d.name_en).Run());
  d.id = db_.LastInsertId();
  return {};
}

Status SqliteWriteTx::UpdateDepartment(const Department& d) {
  KEFU_ASSIGN(auto s, db_.Prepare("UPDATE departments SET key=?, name=?, name_en=? WHERE id=?"));
  return s.Bind(1, d.key).Bind(2, d.name).Bind(3, d.name_en).Bind(4, d.id).Run();
}

Status SqliteWriteTx::InsertCategory(Category& c) {
  KEFU_ASSIGN(auto s, db_.Prepare("INSERT INTO categories(parent_id, key, name, name_en, active, sort) "
                                  "VALUES (?,?,?,?,?,?)"));
  KEFU_TRY(s.Bind(1, c.parent_id).Bind(2, c.key).Bind(3, c.name).Bind(4, c.name_en).Bind(5, c.active)
               .Bind(6, c.sort).Run());
  c.id = db_.LastInsertId();
  return {};
}

Status SqliteWriteTx::UpdateCategory(const Category& c) {
  KEFU_ASSIGN(auto s, db_.Prepare("UPDATE categories SET parent_id=?, key=?, name=?, name_en=?, active=?, sort=? "
                                  "WHERE id=?"));
  return s.Bind(1, c.parent_id).Bind(2, c.key).Bind(3, c.name).Bind(4, c.name_en).Bind(5, c.active)
      .Bind(6, c.sort).Bind(7, c.id).Run();
}

Status SqliteWriteTx::InsertState(TicketState& st) {
  KEFU_ASSIGN(auto s, db_.Prepare("INSERT INTO states(name, name_en, type, is_default) VALUES (?,?,?,?)"));
  KEFU_TRY(s.Bind(1, st.name).Bind(2, st.name_en).Bind(3, Name(st.type)).Bind(4, st.is_default).Run());
  st.id = db_.LastInsertId();
  return {};
}

Status SqliteWriteTx::InsertCredential(Credential& c) {
  KEFU_ASSIGN(auto s, db_.Prepare("INSERT INTO credentials(token_hash, user_id, api_token, name, scopes, csrf_token, "
                                  "created_at, expires_at, revoked_at) VALUES (?,?,?,?,?,?,?,?,?)"));
  s.Bind(1, c.token_hash).Bind(2, c.user_id).Bind(3, c.api_token).Bind(4, c.name).Bind(5, JoinList(c.scopes, ' '));
  s.Bind(6, c.csrf_token).Bind(7, c.created_at).Bind(8, c.expires_at).Bind(9, c.revoked_at);
  KEFU_TRY(s.Run());
  c.id = db_.LastInsertId();
  return {};
}

Status SqliteWriteTx::RevokeCredential(Id id, Millis at) {
  KEFU_ASSIGN(auto s, db_.Prepare("UPDATE credentials SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"));
  return s.Bind(1, at).Bind(2, id).Run();
}

Status SqliteWriteTx::InsertAudit(AuditEntry& a) {
  KEFU_ASSIGN(auto s, db_.Prepare("INSERT INTO audit_log(at, actor_id, action, target, detail, ip) "
                                  "VALUES (?,?,?,?,?,?)"));
  s.Bind(1, a.at).Bind(2, a.actor_id).Bind(3, a.action).Bind(4, a.target).Bind(5, a.detail).Bind(6, a.ip);
  KEFU_TRY(s.Run());
  a.id = db_.LastInsertId();
  return {};
}

}  // namespace kefu::sqlite
