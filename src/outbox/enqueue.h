// Enqueueing notifications for delivery: called inside the WriteTx of the
// change that caused them, so a change that rolls back sends nothing and a
// committed change is never left unsent (the dispatcher delivers it, also
// after a restart).
#pragma once

#include "outbox/format.h"
#include "storage/store.h"

namespace kefu::outbox {

// One outbox row for each enabled channel of the owner that wants m.kind.
// An event already enqueued for a channel (same m.event_key) is skipped, so
// running the same trigger twice sends once. Returns the rows enqueued.
Result<int> EnqueueForOwner(WriteTx& tx, ChannelOwner owner_kind, Id owner_id, const Message& m, Millis now);

// One outbox row for this channel, whatever its filter (test messages).
// kConflict when the event is already enqueued for the channel.
Result<OutboxEntry> EnqueueForChannel(WriteTx& tx, const NotificationChannel& channel, const Message& m, Millis now);

}  // namespace kefu::outbox
