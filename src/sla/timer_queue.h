// TimerQueue: the pending SLA warnings and breaches of every open complaint,
// at most one per clock, ordered by when they fire.
//
//   TimerQueue q;
//   q.Schedule({{ticket, SlaMetric::kFirstResponse}, due + 1, SlaFireKind::kBreach});  // replaces any earlier entry
//   q.Cancel({ticket, SlaMetric::kFirstResponse});
//   std::vector<TimerEntry> due;
//   q.PopDue(now, due);  // appends everything due at or before now, earliest first
//
// The structure is a 4-ary min-heap of {fire_at, slot} (16 bytes) over a slot
// array holding each entry's key and its heap position (24 bytes), with an
// open-addressing hash table of slot numbers (4 bytes a bucket, at most half
// full) to find an entry by key. About 60 bytes an entry at a million entries
// (MemoryBytes() measures it; docs/sla.md has the figures); Schedule, Cancel
// and each popped entry cost O(log n); Build heapifies in O(n). A 4-ary heap
// halves the depth of a binary one and keeps the four children of a node in
// one cache line; a timing wheel would make Schedule O(1) but needs a
// resolution and an overflow list for due times weeks away, which SLA timers
// mostly are. Entries with the same fire time pop in key order, so the order
// is a function of the contents alone (a bulk build pops like the incremental
// inserts that would give the same contents).
//
// Not thread-safe; TimerThread puts one behind a mutex. PopDue appends to a
// caller's vector so that a loop can reuse its buffer.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/clock.h"
#include "sla/clocks.h"

namespace kefu {

// Which clock a timer belongs to: a complaint, a metric and, for handoff
// clocks, the handoff id (0 for the others).
struct TimerKey {
  std::int64_t ticket_id = 0;
  SlaMetric metric = SlaMetric::kFirstResponse;
  std::int64_t ref = 0;
  friend auto operator<=>(const TimerKey&, const TimerKey&) = default;
};

struct TimerEntry {
  TimerKey key;
  Millis fire_at = 0;
  SlaFireKind kind = SlaFireKind::kBreach;
  std::uint8_t percent = 100;  // the warning's percent; 100 for a breach
  friend bool operator==(const TimerEntry&, const TimerEntry&) = default;
};

class TimerQueue {
 public:
  TimerQueue() = default;
  // The queue of `entries`; of several entries with one key the last wins.
  static TimerQueue Build(std::span<const TimerEntry> entries);

  // Schedules the entry, replacing the pending entry of its key if any
  // (a reschedule). Returns true if it replaced one.
  bool Schedule(const TimerEntry& entry);
  // Removes the pending entry of `key`; false if there was none.
  bool Cancel(const TimerKey& key);
  // Removes the entries with fire_at <= now and appends them to `out`,
  // ordered by (fire_at, key).
  void PopDue(Millis now, std::vector<TimerEntry>& out);
  // The earliest fire time, if any entry is pending.
  std::optional<Millis> NextDue() const;
  std::optional<TimerEntry> Find(const TimerKey& key) const;

  std::size_t size() const { return heap_.size(); }
  bool empty() const { return heap_.empty(); }
  void Reserve(std::size_t n);
  void Clear();
  // Bytes held by the queue's arrays (their capacity), without the object itself.
  std::size_t MemoryBytes() const;

 private:
  struct Node {
    Millis fire_at;
    std::uint32_t slot;
  };
  struct Slot {
    std::int64_t ticket_id;
    std::int64_t ref;
    std::uint32_t heap_index;  // or, while free, the next free slot
    SlaMetric metric;
    SlaFireKind kind;
    std::uint8_t percent;
  };
  static constexpr std::uint32_t kNone = 0xFFFFFFFF;

  TimerKey KeyOf(std::uint32_t slot) const;
  TimerEntry EntryOf(std::uint32_t slot, Millis fire_at) const;
  bool Less(const Node& a, const Node& b) const;
  void Place(std::size_t index, Node node);
  void SiftUp(std::size_t index);
  void SiftDown(std::size_t index);
  void RemoveAt(std::size_t index);
  std::uint32_t NewSlot(const TimerEntry& entry);

  // The hash table: buckets hold slot numbers, kNone when empty; linear
  // probing with backward-shift deletion (no tombstones).
  static std::uint64_t Hash(const TimerKey& key);
  std::size_t FindBucket(const TimerKey& key) const;  // the bucket holding key, or the empty one ending its probe
  void InsertBucket(std::uint32_t slot);
  void EraseBucket(std::size_t bucket);
  void GrowBuckets(std::size_t entries);

  std::vector<Node> heap_;
  std::vector<Slot> slots_;
  std::uint32_t free_slot_ = kNone;
  std::vector<std::uint32_t> buckets_;
};

}  // namespace kefu
