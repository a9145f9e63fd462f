// Migrations of the SQLite store applied to a store an earlier kefu wrote.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "storage/sqlite/db.h"
#include "storage/sqlite/migrations.h"
#include "test_support.h"

namespace kefu {
namespace {

// Writes the store of `dir` as kefu did at schema `version`, then `rows`
// (statements of that schema).
void WriteStoreAtVersion(const std::string& dir, int version, const char* rows) {
  sqlite::Db db;
  ASSERT_TRUE(db.Open(dir + "/kefu.db", false));
  ASSERT_TRUE(db.Exec("BEGIN"));
  ASSERT_TRUE(db.Exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                      "applied_at INTEGER NOT NULL)"));
  for (const auto& m : sqlite::Migrations()) {
    if (m.version > version) break;
    ASSERT_TRUE(db.Exec(m.sql)) << m.name;
    auto applied = db.Prepare("INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, 0)");
    ASSERT_TRUE(applied);
    ASSERT_TRUE(applied->Bind(1, m.version).Bind(2, m.name).Run());
  }
  ASSERT_TRUE(db.Exec(rows));
  ASSERT_TRUE(db.Exec("COMMIT"));
}

// Opens the store of `dir`, which applies the migrations it lacks.
Result<std::unique_ptr<Store>> OpenMigrated(const std::string& dir) {
  SqliteOptions o;
  o.data_dir = dir;
  return OpenSqliteStore(o);
}

// Complaints of a version 6 store: waiting since created, moved to the team
// lately, unassigned lately, assigned, in no team, waiting for the customer.
constexpr const char* kVersion6Complaints = R"sql(
INSERT INTO teams(id, name, created_at) VALUES (1, '华东', 0), (2, '华南', 0);
INSERT INTO users(id, username, display_name, role, password_hash, created_at) VALUES (1, 'agent', '王芳', 'agent', '', 0);
INSERT INTO customers(id, name, tier, created_at, updated_at) VALUES (1, '张伟', 'regular', 0, 0);
INSERT INTO states(id, name, type) VALUES (1, '新建', 'new'), (2, '待客户回复', 'pending_customer');
INSERT INTO tickets(id, number, subject, description, channel, customer_id, severity, priority, state_id, state_type,
                    team_id, assignee_id, created_at, updated_at) VALUES
  (1, '20260101-00001', 'created', '', 'web', 1, 'normal', 2, 1, 'new', 1, NULL, 1000, 9500),
  (2, '20260101-00002', 'moved in', '', 'web', 1, 'normal', 2, 1, 'new', 1, NULL, 2000, 9000),
  (3, '20260101-00003', 'unassigned', '', 'web', 1, 'normal', 2, 1, 'new', 1, NULL, 3000, 9500),
  (4, '20260101-00004', 'assigned', '', 'web', 1, 'normal', 2, 1, 'new', 1, 1, 4000, 4000),
  (5, '20260101-00005', 'no team', '', 'web', 1, 'normal', 2, 1, 'new', NULL, NULL, 5000, 5000),
  (6, '20260101-00006', 'pending', '', 'web', 1, 'normal', 2, 2, 'pending_customer', 1, NULL, 6000, 6000);
INSERT INTO ticket_events(ticket_id, at, actor_kind, type, field, from_value, to_value) VALUES
  (1, 1000, 'system', 'created', 'state', '', '新建'),
  (1, 9500, 'agent', 'field_changed', 'priority', 'normal', 'high'),
  (2, 2000, 'system', 'field_changed', 'team', '', '华南'),
  (2, 9000, 'agent', 'field_changed', 'team', '华南', '华东'),
  (3, 3000, 'system', 'field_changed', 'team', '', '华东'),
  (3, 4000, 'agent', 'field_changed', 'assignee', '', 'agent'),
  (3, 7000, 'agent', 'field_changed', 'assignee', 'agent', ''),
  (3, 9500, 'agent', 'field_changed', 'priority', 'normal', 'high'),
  (4, 4000, 'agent', 'field_changed', 'assignee', '', 'agent');
)sql";

TEST(Migration7, QueuedAtIsBackfilledFromTheLatestMoveOrUnassignmentElseTheCreation) {
  const std::string dir = testing::MakeTempDir();
  WriteStoreAtVersion(dir, 6, kVersion6Complaints);
  {
    auto store = OpenMigrated(dir);
    ASSERT_TRUE(store) << store.error().message;
    ASSERT_TRUE((*store)->Read([&](ReadTx& tx) -> Status {
      const std::map<Id, std::optional<Millis>> expected = {
          {1, 1000}, {2, 9000}, {3, 7000}, {4, std::nullopt}, {5, std::nullopt}, {6, 6000}};
      for (const auto& [id, queued_at] : expected) {
        KEFU_ASSIGN(Ticket t, tx.GetTicket(id));
        EXPECT_EQ(t.queued_at, queued_at) << t.subject;
      }
      KEFU_ASSIGN(auto queued, tx.ListQueued(1, 9000, 10));
      std::vector<Id> ids;
      for (const auto& t : queued) ids.push_back(t.id);
      EXPECT_EQ(ids, (std::vector<Id>{1, 3, 2})) << "longest waiting first; not the pending one";
      return {};
    }));
  }
  std::filesystem::remove_all(dir);
}

// A version 7 store's outbox: one delivery waiting, one delivered.
constexpr const char* kVersion7Outbox = R"sql(
INSERT INTO notification_channels(id, owner_kind, owner_id, kind, target, created_at, updated_at)
  VALUES (1, 'team', 1, 'webhook', 'https://hooks.example.com/kefu', 0, 0);
INSERT INTO outbox(id, event_key, channel_id, payload, state, attempts, next_attempt_at, last_error, created_at,
                   delivered_at) VALUES
  (7, 'red_case:1:1', 1, '{"title":"红案"}', 'failed', 2, 5000, 'HTTP 503', 1000, NULL),
  (9, 'red_case:2:1', 1, '{"title":"催办"}', 'delivered', 1, 2000, '', 1500, 2100);
)sql";

TEST(Migration8, TheRebuiltOutboxKeepsItsDeliveriesAndStillRefusesAnUnknownState) {
  const std::string dir = testing::MakeTempDir();
  WriteStoreAtVersion(dir, 7, kVersion7Outbox);
  {
    auto store = OpenMigrated(dir);
    ASSERT_TRUE(store) << store.error().message;
    ASSERT_TRUE((*store)->Read([&](ReadTx& tx) -> Status {
      KEFU_ASSIGN(OutboxEntry waiting, tx.GetOutbox(7));
      EXPECT_EQ(waiting.event_key, "red_case:1:1");
      EXPECT_EQ(waiting.state, DeliveryState::kFailed);
      EXPECT_EQ(waiting.attempts, 2);
      EXPECT_EQ(waiting.last_error, "HTTP 503");
      KEFU_ASSIGN(OutboxEntry delivered, tx.GetOutbox(9));
      EXPECT_EQ(delivered.delivered_at, 2100);
      KEFU_ASSIGN(auto due, tx.DueOutbox(5000, 10));
      EXPECT_EQ(due.size(), 1u);
      EXPECT_EQ(due.empty() ? 0 : due[0].id, 7) << "the failed one is due, the delivered one is not";
      return {};
    }));
    OutboxEntry again;
    again.event_key = "red_case:1:1";
    again.channel_id = 1;
    again.payload = "{}";
    again.next_attempt_at = 6000;
    again.created_at = 6000;
    ASSERT_TRUE((*store)->Write([&](WriteTx& tx) -> Status {
      KEFU_ASSIGN(bool enqueued, tx.InsertOutbox(again));
      EXPECT_FALSE(enqueued) << "an event is still enqueued once per channel";
      return {};
    }));
  }
  sqlite::Db db;
  ASSERT_TRUE(db.Open(dir + "/kefu.db", false));
  EXPECT_FALSE(db.Exec("UPDATE outbox SET state = 'sent' WHERE id = 7"));
  EXPECT_TRUE(db.Exec("UPDATE outbox SET state = 'dead' WHERE id = 7"));
  std::filesystem::remove_all(dir);
}

// A version 8 store with red cases on complaints of two customers.
constexpr const char* kVersion8RedCases = R"sql(
INSERT INTO customers(id, name, tier, created_at, updated_at) VALUES
  (1, '张伟', 'vip', 0, 0), (2, '李娜', 'regular', 0, 0);
INSERT INTO states(id, name, type) VALUES (1, '新建', 'new');
INSERT INTO tickets(id, number, subject, description, channel, customer_id, severity, priority, state_id, state_type,
                    created_at, updated_at) VALUES
  (1, '20260101-00001', 'a', '', 'web', 1, 'normal', 2, 1, 'new', 1000, 1000),
  (2, '20260101-00002', 'b', '', 'web', 1, 'normal', 2, 1, 'new', 2000, 2000),
  (3, '20260101-00003', 'c', '', 'web', 2, 'normal', 2, 1, 'new', 3000, 3000);
INSERT INTO red_cases(ticket_id, state, reason, source, cadence_minutes, opened_at, next_update_due) VALUES
  (1, 'closed', 'media', 'manual', 1440, 1000, 0),
  (2, 'open', 'legal', 'manual', 1440, 5000, 0),
  (3, 'open', 'severe', 'manual', 1440, 3000, 0);
)sql";

// The count of a customer's red cases reads the customer kept on each red
// case: filled in from the complaints, and moved along with a complaint that
// moves to another customer.
TEST(Migration9, RedCasesAreCountedPerCustomerAndFollowAComplaintToAnotherCustomer) {
  const std::string dir = testing::MakeTempDir();
  WriteStoreAtVersion(dir, 8, kVersion8RedCases);
  auto store = OpenMigrated(dir);
  ASSERT_TRUE(store) << store.error().message;
  auto counts = [&](Millis since) {
    std::vector<std::int64_t> out;
    EXPECT_TRUE((*store)->Read([&](ReadTx& tx) -> Status {
      for (Id customer : {1, 2}) {
        KEFU_ASSIGN(auto n, tx.CountRedCasesOfCustomer(customer, since));
        out.push_back(n);
      }
      return {};
    }));
    return out;
  };
  EXPECT_EQ(counts(0), (std::vector<std::int64_t>{2, 1}));
  EXPECT_EQ(counts(2000), (std::vector<std::int64_t>{1, 1})) << "opened since";
  ASSERT_TRUE((*store)->Write([&](WriteTx& tx) -> Status {
    KEFU_ASSIGN(Ticket stored, tx.GetTicket(2));
    Ticket moved = stored;
    moved.customer_id = 2;
    return tx.UpdateTicket(moved, stored);
  }));
  EXPECT_EQ(counts(0), (std::vector<std::int64_t>{1, 2}));
  ASSERT_TRUE((*store)->Write([&](WriteTx& tx) -> Status {
    KEFU_ASSIGN(Ticket back, tx.GetTicket(2));
    back.customer_id = 1;
    return tx.UpdateTicket(back);
  }));
  EXPECT_EQ(counts(0), (std::vector<std::int64_t>{2, 1}));
  ASSERT_TRUE((*store)->Write([&](WriteTx& tx) -> Status {
    RedCase r;
    r.ticket_id = 3;
    r.state = RedCaseState::kClosed;
    r.reason = "again";
    r.source = "manual";
    r.cadence_minutes = 1440;
    r.opened_at = 6000;
    return tx.InsertRedCase(r);
  }));
  EXPECT_EQ(counts(0), (std::vector<std::int64_t>{2, 2})) << "a new red case takes its complaint's customer";
  store->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace kefu
