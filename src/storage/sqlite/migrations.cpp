#include "storage/sqlite/migrations.h"

#include <array>

namespace kefu::sqlite {

namespace {

// Times are INTEGER UTC milliseconds. Enums are stored by wire name, except
// priority, stored as its rank (0 = urgent) so that it sorts.
constexpr const char* kInitial = R"sql(
CREATE TABLE teams (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  region TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE TABLE departments (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT ''
);
CREATE TABLE categories (
  id INTEGER PRIMARY KEY,
  parent_id INTEGER REFERENCES categories(id),
  key TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1,
  sort INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE states (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  name_en TEXT NOT NULL DEFAULT '',
  type TEXT NOT NULL,
  is_default INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL,
  department_id INTEGER REFERENCES departments(id),
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  language TEXT NOT NULL DEFAULT 'zh-CN',
  time_zone TEXT NOT NULL DEFAULT 'Asia/Shanghai',
  created_at INTEGER NOT NULL
);
CREATE TABLE user_teams (
  user_id INTEGER NOT NULL REFERENCES users(id),
  team_id INTEGER NOT NULL REFERENCES teams(id),
  PRIMARY KEY (user_id, team_id)
) WITHOUT ROWID;
CREATE TABLE credentials (
  id INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users(id),
  api_token INTEGER NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  scopes TEXT NOT NULL DEFAULT '',
  csrf_token TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  revoked_at INTEGER
);
CREATE INDEX credentials_user ON credentials(user_id, api_token);
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor_id INTEGER,
  action TEXT NOT NULL,
  target TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '{}',
  ip TEXT NOT NULL DEFAULT ''
);
CREATE TABLE customers (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  phone TEXT,
  email TEXT,
  external_id TEXT,
  tier TEXT NOT NULL,
  region TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL DEFAULT '',
  time_zone TEXT NOT NULL DEFAULT '',
  organization TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX customers_phone ON customers(phone) WHERE phone IS NOT NULL;
CREATE UNIQUE INDEX customers_email ON customers(email) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX customers_external ON customers(external_id) WHERE external_id IS NOT NULL;
CREATE INDEX customers_name ON customers(name);
CREATE TABLE ticket_numbers (
  day TEXT PRIMARY KEY,
  last INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE tickets (
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  subject TEXT NOT NULL,
  description TEXT NOT NULL,
  channel TEXT NOT NULL,
  source_ref TEXT UNIQUE,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  category_id INTEGER REFERENCES categories(id),
  severity TEXT NOT NULL,
  priority INTEGER NOT NULL,
  state_id INTEGER NOT NULL REFERENCES states(id),
  state_type TEXT NOT NULL,
  team_id INTEGER REFERENCES teams(id),
  assignee_id INTEGER REFERENCES users(id),
  tags TEXT NOT NULL DEFAULT '',
  merged_into_id INTEGER REFERENCES tickets(id),
  reopen_count INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  first_response_at INTEGER,
  resolved_at INTEGER,
  closed_at INTEGER
);
CREATE INDEX tickets_updated ON tickets(updated_at, id);
CREATE INDEX tickets_created ON tickets(created_at, id);
CREATE INDEX tickets_team_updated ON tickets(team_id, updated_at, id);
CREATE INDEX tickets_assignee_updated ON tickets(assignee_id, updated_at, id);
CREATE INDEX tickets_state_updated ON tickets(state_type, updated_at, id);
CREATE INDEX tickets_customer ON tickets(customer_id, created_at);
CREATE TABLE ticket_collaborators (
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  PRIMARY KEY (ticket_id, user_id)
) WITHOUT ROWID;
CREATE INDEX collaborators_user ON ticket_collaborators(user_id);
CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  kind TEXT NOT NULL,
  author_kind TEXT NOT NULL,
  author_id INTEGER,
  channel TEXT NOT NULL,
  body TEXT NOT NULL,
  call_direction TEXT,
  call_duration_seconds INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX messages_ticket ON messages(ticket_id, id);
CREATE TABLE ticket_events (
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  at INTEGER NOT NULL,
  actor_kind TEXT NOT NULL,
  actor_id INTEGER,
  type TEXT NOT NULL,
  field TEXT NOT NULL DEFAULT '',
  from_value TEXT NOT NULL DEFAULT '',
  to_value TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_ticket ON ticket_events(ticket_id, id);
CREATE TABLE handoffs (
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  department_id INTEGER NOT NULL REFERENCES departments(id),
  question TEXT NOT NULL,
  due_at INTEGER NOT NULL,
  owner_id INTEGER REFERENCES users(id),
  state TEXT NOT NULL,
  answer TEXT NOT NULL DEFAULT '',
  answered_at INTEGER,
  answered_by INTEGER,
  created_by INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX handoffs_ticket ON handoffs(ticket_id);
CREATE INDEX handoffs_department ON handoffs(department_id, state, due_at);
CREATE TABLE ticket_links (
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  other_id INTEGER NOT NULL REFERENCES tickets(id),
  kind TEXT NOT NULL,
  created_by INTEGER,
  created_at INTEGER NOT NULL,
  UNIQUE (ticket_id, other_id, kind)
);
CREATE INDEX links_other ON ticket_links(other_id);
)sql";


// Triage: grades and threats on the complaint, rules, lexicon extensions,
// grade history, red cases, routing profiles, customer risk, notifications.
constexpr const char* kTriage = R"sql(
ALTER TABLE tickets ADD COLUMN emotion INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN threats TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN red_case INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ticket_events ADD COLUMN detail TEXT NOT NULL DEFAULT '';
CREATE INDEX tickets_open_load ON tickets(assignee_id, state_type);
CREATE INDEX tickets_unassigned ON tickets(team_id, state_type, created_at) WHERE assignee_id IS NULL;
CREATE TABLE triage_rules (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  position INTEGER NOT NULL,
  enabled INTEGER NOT NULL,
  version INTEGER NOT NULL,
  body TEXT NOT NULL,
  updated_by INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE triage_rule_versions (
  rule_id INTEGER NOT NULL REFERENCES triage_rules(id),
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  body TEXT NOT NULL,
  changed_by INTEGER,
  changed_at INTEGER NOT NULL,
  PRIMARY KEY (rule_id, version)
) WITHOUT ROWID;
CREATE TABLE lexicon_entries (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  term TEXT NOT NULL,
  weight REAL NOT NULL,
  language TEXT NOT NULL DEFAULT '',
  created_by INTEGER,
  created_at INTEGER NOT NULL,
  UNIQUE (kind, term, language)
);
CREATE TABLE triage_records (
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  message_id INTEGER,
  at INTEGER NOT NULL,
  trigger TEXT NOT NULL,
  emotion INTEGER NOT NULL,
  threats TEXT NOT NULL DEFAULT '',
  cues TEXT NOT NULL DEFAULT '[]',
  language TEXT NOT NULL DEFAULT '',
  suggestions TEXT NOT NULL DEFAULT '[]',
  fired_rules TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX triage_records_ticket ON triage_records(ticket_id, id);
CREATE TABLE red_cases (
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  state TEXT NOT NULL,
  reason TEXT NOT NULL,
  source TEXT NOT NULL,
  owner_id INTEGER REFERENCES users(id),
  members TEXT NOT NULL DEFAULT '',
  cadence_minutes INTEGER NOT NULL,
  opened_at INTEGER NOT NULL,
  opened_by INTEGER,
  last_update_at INTEGER,
  next_update_due INTEGER NOT NULL,
  missed_updates INTEGER NOT NULL DEFAULT 0,
  closed_at INTEGER,
  closed_by INTEGER,
  close_reason TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX red_cases_open_ticket ON red_cases(ticket_id) WHERE state = 'open';
CREATE INDEX red_cases_due ON red_cases(state, next_update_due);
CREATE TABLE red_case_updates (
  id INTEGER PRIMARY KEY,
  red_case_id INTEGER NOT NULL REFERENCES red_cases(id),
  author_id INTEGER,
  body TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX red_case_updates_case ON red_case_updates(red_case_id, id);
CREATE TABLE agent_profiles (
  user_id INTEGER PRIMARY KEY REFERENCES users(id),
  skills TEXT NOT NULL DEFAULT '',
  capacity INTEGER NOT NULL,
  presence TEXT NOT NULL,
  presence_at INTEGER NOT NULL,
  last_assigned_at INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE team_routing (
  team_id INTEGER PRIMARY KEY REFERENCES teams(id),
  mode TEXT NOT NULL,
  skills TEXT NOT NULL DEFAULT '',
  fallback_team_id INTEGER REFERENCES teams(id),
  overflow_minutes INTEGER NOT NULL DEFAULT 0,
  last_assigned_user INTEGER
);
CREATE TABLE customer_risk (
  customer_id INTEGER PRIMARY KEY REFERENCES customers(id),
  score INTEGER NOT NULL,
  reasons TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  alerted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX customer_risk_score ON customer_risk(score DESC, customer_id);
CREATE TABLE notifications (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  kind TEXT NOT NULL,
  ticket_id INTEGER,
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  read_at INTEGER
);
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE triage_models (
  kind TEXT PRIMARY KEY,
  trained_at INTEGER NOT NULL,
  examples INTEGER NOT NULL,
  body BLOB NOT NULL
) WITHOUT ROWID;
)sql";

// Business calendars and which team or region works on which.
constexpr const char* kCalendars = R"sql(
CREATE TABLE calendars (
  id TEXT PRIMARY KEY,
  spec TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE calendar_bindings (
  scope TEXT NOT NULL CHECK (scope IN ('team', 'region', 'default')),
  value TEXT NOT NULL,
  calendar_id TEXT NOT NULL REFERENCES calendars(id),
  PRIMARY KEY (scope, value)
) WITHOUT ROWID;
)sql";

// Notification channels (email, group-chat robots, signed webhooks) and the
// outbox of their deliveries (docs/notifications.md).
constexpr const char* kOutbox = R"sql(
CREATE TABLE notification_channels (
  id INTEGER PRIMARY KEY,
  owner_kind TEXT NOT NULL CHECK (owner_kind IN ('user', 'team')),
  owner_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  target TEXT NOT NULL,
  secret TEXT,
  kinds TEXT NOT NULL DEFAULT '',
  enabled INTEGER NOT NULL DEFAULT 1,
  deleted INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX notification_channels_owner ON notification_channels(owner_kind, owner_id) WHERE deleted = 0;
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  event_key TEXT NOT NULL,
  channel_id INTEGER NOT NULL REFERENCES notification_channels(id),
  payload TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  delivered_at INTEGER,
  UNIQUE (event_key, channel_id)
);
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE state IN ('pending', 'failed');
CREATE INDEX outbox_state ON outbox(state, id);
)sql";

// SLA policies, their versions, and the service levels of each complaint.
constexpr const char* kSla = R"sql(
CREATE TABLE sla_policies (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  position INTEGER NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  version INTEGER NOT NULL DEFAULT 1,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE sla_policy_versions (
  policy_id INTEGER NOT NULL REFERENCES sla_policies(id),
  version INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (policy_id, version)
) WITHOUT ROWID;
CREATE TABLE ticket_sla (
  ticket_id INTEGER PRIMARY KEY REFERENCES tickets(id),
  policy_id INTEGER,
  policy_version INTEGER NOT NULL DEFAULT 0,
  calendar_id TEXT NOT NULL DEFAULT '',
  clocks TEXT NOT NULL DEFAULT '[]',
  fired TEXT NOT NULL DEFAULT '',
  timers TEXT NOT NULL DEFAULT '',
  next_due_at INTEGER,
  breached INTEGER NOT NULL DEFAULT 0,
  team_id INTEGER,
  updated_at INTEGER NOT NULL
);
CREATE INDEX ticket_sla_due ON ticket_sla(next_due_at) WHERE next_due_at IS NOT NULL;
CREATE INDEX ticket_sla_breached ON ticket_sla(team_id) WHERE breached = 1;
CREATE INDEX ticket_sla_timers ON ticket_sla(ticket_id) WHERE timers != '';
)sql";

// What triage reads of a customer's history, from the index alone.
constexpr const char* kTriageReads = R"sql(
CREATE INDEX tickets_customer_history ON tickets(customer_id, created_at, state_type, category_id, reopen_count, emotion);
DROP INDEX tickets_customer;
)sql";

// Since when each complaint has waited unassigned in its team's queue
// (Ticket::queued_at), so that overflow finds the longest waiting from an
// index instead of reading the history of the oldest created. Existing
// complaints count from their latest move to a team or unassignment, else
// from their creation.
constexpr const char* kQueuedAt = R"sql(
ALTER TABLE tickets ADD COLUMN queued_at INTEGER;
UPDATE tickets SET queued_at = max(created_at, coalesce(
    (SELECT max(e.at) FROM ticket_events e
     WHERE e.ticket_id = tickets.id AND (e.field = 'team' OR (e.field = 'assignee' AND e.to_value = ''))),
    created_at))
  WHERE assignee_id IS NULL AND team_id IS NOT NULL;
CREATE INDEX tickets_queue ON tickets(team_id, queued_at) WHERE queued_at IS NOT NULL AND state_type IN ('new', 'open');
)sql";

// The outbox's state CHECK as comparisons: SQLite builds a temporary table for
// an IN list of more than two values every time a CHECK runs, which cost about
// 1.5 µs on each insert and update of a delivery. SQLite cannot change a CHECK
// in place, so the table is rebuilt with its rows, ids and indexes.
constexpr const char* kOutboxCheck = R"sql(
CREATE TABLE outbox_rebuilt (
  id INTEGER PRIMARY KEY,
  event_key TEXT NOT NULL,
  channel_id INTEGER NOT NULL REFERENCES notification_channels(id),
  payload TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state = 'pending' OR state = 'delivered' OR state = 'failed' OR state = 'dead'),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  delivered_at INTEGER,
  UNIQUE (event_key, channel_id)
);
INSERT INTO outbox_rebuilt(id, event_key, channel_id, payload, state, attempts, next_attempt_at, last_error,
                           created_at, delivered_at)
  SELECT id, event_key, channel_id, payload, state, attempts, next_attempt_at, last_error, created_at, delivered_at
  FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_rebuilt RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE state IN ('pending', 'failed');
CREATE INDEX outbox_state ON outbox(state, id);
)sql";

// A customer's red cases are counted for their churn risk on every triage:
// the customer is kept on the red case (the complaint's, kept in step when a
// complaint moves to another customer) and indexed with the opening time, so
// that the count reads only that customer's red cases. A complaint's red
// cases are found by an index too (the one of open red cases holds only those).
constexpr const char* kRedCaseCustomers = R"sql(
ALTER TABLE red_cases ADD COLUMN customer_id INTEGER REFERENCES customers(id);
UPDATE red_cases SET customer_id = (SELECT customer_id FROM tickets WHERE tickets.id = red_cases.ticket_id);
CREATE INDEX red_cases_customer ON red_cases(customer_id, opened_at);
CREATE INDEX red_cases_ticket ON red_cases(ticket_id, id);
)sql";

constexpr std::array kMigrations = {
    Migration{1, "initial schema", kInitial},
    Migration{2, "triage", kTriage},
    Migration{3, "notification outbox", kOutbox},
    Migration{4, "business calendars", kCalendars},
    Migration{5, "service levels", kSla},
    Migration{6, "covering index of customer history", kTriageReads},
    Migration{7, "queue entry time of unassigned complaints", kQueuedAt},
    Migration{8, "outbox state check without an IN list", kOutboxCheck},
    Migration{9, "red cases by customer", kRedCaseCustomers},
};

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

}  // namespace kefu::sqlite
