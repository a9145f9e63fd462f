#include "outbox/enqueue.h"

namespace kefu::outbox {

namespace {

OutboxEntry NewEntry(Id channel_id, const Message& m, Millis now) {
  OutboxEntry e;
  e.event_key = m.event_key;
  e.channel_id = channel_id;
  e.payload = EncodePayload(m);
  e.state = DeliveryState::kPending;
  e.next_attempt_at = now;
  e.created_at = now;
  return e;
}

}  // namespace

Result<int> EnqueueForOwner(WriteTx& tx, ChannelOwner owner_kind, Id owner_id, const Message& m, Millis now) {
  KEFU_ASSIGN(auto channels, tx.ListChannels(owner_kind, owner_id));
  int enqueued = 0;
  for (const auto& c : channels) {
    if (!c.Wants(m.kind)) continue;
    OutboxEntry e = NewEntry(c.id, m, now);
    KEFU_ASSIGN(bool inserted, tx.InsertOutbox(e));
    if (inserted) ++enqueued;
  }
  return enqueued;
}

Result<OutboxEntry> EnqueueForChannel(WriteTx& tx, const NotificationChannel& channel, const Message& m, Millis now) {
  OutboxEntry e = NewEntry(channel.id, m, now);
  KEFU_ASSIGN(bool inserted, tx.InsertOutbox(e));
  if (!inserted) return Fail(Error::Conflict("this message is already in the outbox"));
  return e;
}

}  // namespace kefu::outbox
