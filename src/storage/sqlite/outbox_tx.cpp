// SQLite storage of notification channels and the outbox of their deliveries.
#include <fmt/format.h>

#include "storage/sqlite/rows.h"
#include "storage/sqlite/strings.h"
#include "storage/sqlite/tx.h"

namespace kefu::sqlite {

namespace {

#define KEFU_CHANNEL_SELECT \
  "SELECT id, owner_kind, owner_id, kind, name, target, secret, kinds, enabled, created_at, updated_at " \
  "FROM notification_channels "

NotificationChannel ReadChannel(const Stmt& s) {
  NotificationChannel c;
  c.id = s.Int(0);
  c.owner_kind = EnumOr(s.Text(1), ChannelOwner::kUser);
  c.owner_id = s.Int(2);
  c.kind = EnumOr(s.Text(3), ChannelKind::kWebhook);
  c.name = s.Text(4);
  c.target = s.Text(5);
  c.secret = s.OptText(6);
  c.kinds = SplitList(s.Text(7), ',');
  c.enabled = s.Int(8) != 0;
  c.created_at = s.Int(9);
  c.updated_at = s.Int(10);
  return c;
}

#define KEFU_OUTBOX_SELECT \
  "SELECT id, event_key, channel_id, payload, state, attempts, next_attempt_at, last_error, created_at, " \
  "delivered_at FROM outbox "

OutboxEntry ReadOutbox(const Stmt& s) {
  OutboxEntry e;
  e.id = s.Int(0);
  e.event_key = s.Text(1);
  e.channel_id = s.Int(2);
  e.payload = s.Text(3);
  e.state = EnumOr(s.Text(4), DeliveryState::kDead);
  e.attempts = static_cast<int>(s.Int(5));
  e.next_attempt_at = s.Int(6);
  e.last_error = s.Text(7);
  e.created_at = s.Int(8);
  e.delivered_at = s.OptInt(9);
  return e;
}

}  // namespace

Result<std::vector<NotificationChannel>> SqliteReadTx::ListChannels(ChannelOwner owner_kind, Id owner_id) {
  KEFU_ASSIGN(auto s, db_.Prepare(KEFU_CHANNEL_SELECT "WHERE owner_kind = ? AND owner_id = ? AND deleted = 0 ORDER BY id"));
  s.Bind(1, Name(owner_kind)).Bind(2, owner_id);
  return Collect<NotificationChannel>(s, ReadChannel);
}

Result<NotificationChannel> SqliteReadTx::GetChannel(Id id) {
  KEFU_ASSIGN(auto s, db_.Prepare(KEFU_CHANNEL_SELECT "WHERE id = ? AND deleted = 0"));
  s.Bind(1, id);
  KEFU_ASSIGN(auto c, First<NotificationChannel>(s, ReadChannel));
  if (!c) return Fail(Error::NotFound(fmt::format("channel {} not found", id)));
  return *c;
}

Result<std::vector<OutboxEntry>> SqliteReadTx::ListOutbox(const OutboxQuery& q) {
  KEFU_ASSIGN(auto s, db_.Prepare(KEFU_OUTBOX_SELECT "WHERE (?1 IS NULL OR state = ?1) AND (?2 IS NULL OR channel_id = ?2) "
                                                     "AND (?3 IS NULL OR id < ?3) ORDER BY id DESC LIMIT ?4"));
  std::optional<std::string> state;
  if (q.state) state = std::string(Name(*q.state));
  s.Bind(1, state).Bind(2, q.channel_id).Bind(3, q.before_id).Bind(4, q.limit);
  return Collect<OutboxEntry>(s, ReadOutbox);
}

Result<OutboxEntry> SqliteReadTx::GetOutbox(Id id) {
  KEFU_ASSIGN(auto s, db_.Prepare(KEFU_OUTBOX_SELECT "WHERE id = ?"));
  s.Bind(1, id);
  KEFU_ASSIGN(auto e, First<OutboxEntry>(s, ReadOutbox));
  if (!e) return Fail(Error::NotFound(fmt::format("outbox entry {} not found", id)));
  return *e;
}

Result<std::vector<OutboxEntry>> SqliteReadTx::DueOutbox(Millis at, int limit) {
  KEFU_ASSIGN(auto s, db_.Prepare(KEFU_OUTBOX_SELECT "WHERE state IN ('pending', 'failed') AND next_attempt_at <= ? "
                                                     "ORDER BY next_attempt_at, id LIMIT ?"));
  s.Bind(1, at).Bind(2, limit);
  return Collect<OutboxEntry>(s, ReadOutbox);
}

Result<std::optional<Millis>> SqliteReadTx::NextOutboxDue() {
  KEFU_ASSIGN(auto s, db_.Prepare("SELECT min(next_attempt_at) FROM outbox WHERE state IN ('pending', 'failed')"));
  KEFU_ASSIGN(auto row, First<std::optional<Millis>>(s, [](const Stmt& r) { return r.OptInt(0); }));
  return row ? *row : std::nullopt;
}

Status SqliteWriteTx::InsertChannel(NotificationChannel& c) {
  KEFU_ASSIGN(auto s, db_.Prepare("INSERT INTO notification_channels(owner_kind, owner_id, kind, name, target, secret, "
                                  "kinds, enabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  s.Bind(1, Name(c.owner_kind)).Bind(2, c.owner_id).Bind(3, Name(c.kind)).Bind(4, c.name).Bind(5, c.target);
  s.Bind(6, c.secret).Bind(7, JoinList(c.kinds, ',')).Bind(8, c.enabled).Bind(9, c.created_at).Bind(10, c.updated_at);
  KEFU_TRY(s.Run());
  c.id = db_.LastInsertId();
  return {};
}

Status SqliteWriteTx::UpdateChannel(const NotificationChannel& c) {
  KEFU_ASSIGN(auto s, db_.Prepare("UPDATE notification_channels SET kind = ?, name = ?, target = ?, secret = ?, "
                                  "kinds = ?, enabled = ?, updated_at = ? WHERE id = ? AND deleted = 0"));
  s.Bind(1, Name(c.kind)).Bind(2, c.name).Bind(3, c.target).Bind(4, c.secret).Bind(5, JoinList(c.kinds, ','));
  s.Bind(6, c.enabled).Bind(7, c.updated_at).Bind(8, c.id);
  KEFU_TRY(s.Run());
  if (db_.Changes() == 0) return Fail(Error::NotFound(fmt::format("channel {} not found", c.id)));
  return {};
}

Status SqliteWriteTx::DeleteChannel(Id id, Millis at) {
  {
    // The secret goes with the channel; the row stays for the delivery log.
    KEFU_ASSIGN(auto s, db_.Prepare("UPDATE notification_channels SET deleted = 1, enabled = 0, secret = NULL, "
                                    "updated_at = ? WHERE id = ? AND deleted = 0"));
    s.Bind(1, at).Bind(2, id);
    KEFU_TRY(s.Run());
    if (db_.Changes() == 0) return Fail(Error::NotFound(fmt::format("channel {} not found", id)));
  }
  KEFU_ASSIGN(auto s, db_.Prepare("UPDATE outbox SET state = 'dead', last_error = 'channel deleted' "
                                  "WHERE channel_id = ? AND state IN ('pending', 'failed')"));
  s.Bind(1, id);
  return s.Run();
}

Result<bool> SqliteWriteTx::InsertOutbox(OutboxEntry& e) {
  KEFU_ASSIGN(auto s, db_.Prepare("INSERT INTO outbox(event_key, channel_id, payload, state, attempts, next_attempt_at, "
                                  "last_error, created_at, delivered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                  "ON CONFLICT (event_key, channel_id) DO NOTHING"));
  s.Bind(1, e.event_key).Bind(2, e.channel_id).Bind(3, e.payload).Bind(4, Name(e.state)).Bind(5, e.attempts);
  s.Bind(6, e.next_attempt_at).Bind(7, e.last_error).Bind(8, e.created_at).Bind(9, e.delivered_at);
  KEFU_TRY(s.Run());
  if (db_.Changes() == 0) return false;
  e.id = db_.LastInsertId();
  outbox_enqueued_ = true;
  return true;
}

Status SqliteWriteTx::UpdateOutbox(const OutboxEntry& e) {
  KEFU_ASSIGN(auto s, db_.Prepare("UPDATE outbox SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ?, "
                                  "delivered_at = ? WHERE id = ?"));
  s.Bind(1, Name(e.state)).Bind(2, e.attempts).Bind(3, e.next_attempt_at).Bind(4, e.last_error);
  s.Bind(5, e.delivered_at).Bind(6, e.id);
  KEFU_TRY(s.Run());
  if (db_.Changes() == 0) return Fail(Error::NotFound(fmt::format("outbox entry {} not found", e.id)));
  return {};
}

Result<int> SqliteWriteTx::PruneOutbox(Millis before, int limit) {
  KEFU_ASSIGN(auto s, db_.Prepare("DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE state IN "
                                  "('delivered', 'dead') AND created_at <= ? ORDER BY id LIMIT ?)"));
  s.Bind(1, before).Bind(2, limit);
  KEFU_TRY(s.Run());
  return db_.Changes();
}

}  // namespace kefu::sqlite
