#include "sla/timer_queue.h"

#include <algorithm>
#include <bit>
#include <stdexcept>

namespace kefu {
namespace {
constexpr std::size_t kArity = 4;
constexpr std::size_t kMinBuckets = 16;
}  // namespace

TimerQueue TimerQueue::Build(std::span<const TimerEntry> entries) {
  TimerQueue q;
  q.Reserve(entries.size());
  for (const TimerEntry& e : entries) {
    const std::size_t bucket = q.FindBucket(e.key);
    if (q.buckets_[bucket] != kNone) {  // a later entry of the same key wins
      const std::uint32_t slot = q.buckets_[bucket];
      Slot& s = q.slots_[slot];
      s.kind = e.kind;
      s.percent = e.percent;
      q.heap_[s.heap_index].fire_at = e.fire_at;
      continue;
    }
    const std::uint32_t slot = q.NewSlot(e);
    q.slots_[slot].heap_index = static_cast<std::uint32_t>(q.heap_.size());
    q.heap_.push_back({e.fire_at, slot});
    q.buckets_[bucket] = slot;  // the empty bucket that ended the probe
  }
  // Floyd's heap construction: sift down every inner node, last first.
  if (q.heap_.size() > 1)
    for (std::size_t i = (q.heap_.size() - 2) / kArity + 1; i-- > 0;) q.SiftDown(i);
  return q;
}

bool TimerQueue::Schedule(const TimerEntry& entry) {
  GrowBuckets(heap_.size() + 1);
  const std::size_t bucket = FindBucket(entry.key);
  if (buckets_[bucket] != kNone) {
    Slot& s = slots_[buckets_[bucket]];
    s.kind = entry.kind;
    s.percent = entry.percent;
    const std::size_t i = s.heap_index;
    const Millis old = heap_[i].fire_at;
    heap_[i].fire_at = entry.fire_at;
    if (entry.fire_at < old)
      SiftUp(i);
    else
      SiftDown(i);
    return true;
  }
  const std::uint32_t slot = NewSlot(entry);
  heap_.push_back({entry.fire_at, slot});
  slots_[slot].heap_index = static_cast<std::uint32_t>(heap_.size() - 1);
  buckets_[bucket] = slot;
  SiftUp(heap_.size() - 1);
  return false;
}

bool TimerQueue::Cancel(const TimerKey& key) {
  if (heap_.empty()) return false;
  const std::size_t bucket = FindBucket(key);
  if (buckets_[bucket] == kNone) return false;
  RemoveAt(slots_[buckets_[bucket]].heap_index);
  return true;
}

void TimerQueue::PopDue(Millis now, std::vector<TimerEntry>& out) {
  while (!heap_.empty() && heap_.front().fire_at <= now) {
    out.push_back(EntryOf(heap_.front().slot, heap_.front().fire_at));
    RemoveAt(0);
  }
}

std::optional<Millis> TimerQueue::NextDue() const {
  if (heap_.empty()) return std::nullopt;
  return heap_.front().fire_at;
}

std::optional<TimerEntry> TimerQueue::Find(const TimerKey& key) const {
  if (heap_.empty()) return std::nullopt;
  const std::uint32_t slot = buckets_[FindBucket(key)];
  if (slot == kNone) return std::nullopt;
  return EntryOf(slot, heap_[slots_[slot].heap_index].fire_at);
}

void TimerQueue::Reserve(std::size_t n) {
  heap_.reserve(n);
  slots_.reserve(n);
  GrowBuckets(n);
}

void TimerQueue::Clear() {
  heap_.clear();
  slots_.clear();
  free_slot_ = kNone;
  std::ranges::fill(buckets_, kNone);
}

std::size_t TimerQueue::MemoryBytes() const {
  return heap_.capacity() * sizeof(Node) + slots_.capacity() * sizeof(Slot) +
         buckets_.capacity() * sizeof(std::uint32_t);
}

TimerKey TimerQueue::KeyOf(std::uint32_t slot) const {
  const Slot& s = slots_[slot];
  return {s.ticket_id, s.metric, s.ref};
}

TimerEntry TimerQueue::EntryOf(std::uint32_t slot, Millis fire_at) const {
  const Slot& s = slots_[slot];
  return {KeyOf(slot), fire_at, s.kind, s.percent};
}

bool TimerQueue::Less(const Node& a, const Node& b) const {
  if (a.fire_at != b.fire_at) return a.fire_at < b.fire_at;
  return KeyOf(a.slot) < KeyOf(b.slot);
}

void TimerQueue::Place(std::size_t index, Node node) {
  heap_[index] = node;
  slots_[node.slot].heap_index = static_cast<std::uint32_t>(index);
}

void TimerQueue::SiftUp(std::size_t index) {
  const Node node = heap_[index];
  while (index > 0) {
    const std::size_t parent = (index - 1) / kArity;
    if (!Less(node, heap_[parent])) break;
    Place(index, heap_[parent]);
    index = parent;
  }
  Place(index, node);
}

void TimerQueue::SiftDown(std::size_t index) {
  const Node node = heap_[index];
  const std::size_t n = heap_.size();
  while (true) {
    const std::size_t first = index * kArity + 1;
    if (first >= n) break;
    std::size_t best = first;
    const std::size_t end = std::min(first + kArity, n);
    for (std::size_t c = first + 1; c < end; ++c)
      if (Less(heap_[c], heap_[best])) best = c;
    if (!Less(heap_[best], node)) break;
    Place(index, heap_[best]);
    index = best;
  }
  Place(index, node);
}

void TimerQueue::RemoveAt(std::size_t index) {
  const std::uint32_t slot = heap_[index].slot;
  EraseBucket(FindBucket(KeyOf(slot)));
  slots_[slot].heap_index = free_slot_;
  free_slot_ = slot;
  const Node last = heap_.back();
  heap_.pop_back();
  if (index == heap_.size()) return;
  Place(index, last);
  if (index > 0 && Less(last, heap_[(index - 1) / kArity]))
    SiftUp(index);
  else
    SiftDown(index);
}

std::uint32_t TimerQueue::NewSlot(const TimerEntry& e) {
  const Slot s{e.key.ticket_id, e.key.ref, kNone, e.key.metric, e.kind, e.percent};
  if (free_slot_ != kNone) {
    const std::uint32_t slot = free_slot_;
    free_slot_ = slots_[slot].heap_index;
    slots_[slot] = s;
    return slot;
  }
  if (slots_.size() >= kNone - 1) throw std::length_error("TimerQueue: too many entries");
  slots_.push_back(s);
  return static_cast<std::uint32_t>(slots_.size() - 1);
}

std::uint64_t TimerQueue::Hash(const TimerKey& key) {
  // splitmix64's finalizer over the three fields.
  std::uint64_t h = static_cast<std::uint64_t>(key.ticket_id) * 0x9E3779B97F4A7C15ULL;
  h ^= static_cast<std::uint64_t>(key.ref) + 0x632BE59BD9B4E019ULL + (h << 6) + (h >> 2);
  h ^= static_cast<std::uint64_t>(key.metric) << 56;
  h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
  h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
  return h ^ (h >> 31);
}

std::size_t TimerQueue::FindBucket(const TimerKey& key) const {
  const std::size_t mask = buckets_.size() - 1;
  for (std::size_t b = Hash(key) & mask;; b = (b + 1) & mask) {
    const std::uint32_t slot = buckets_[b];
    if (slot == kNone) return b;
    const Slot& s = slots_[slot];
    if (s.ticket_id == key.ticket_id && s.ref == key.ref && s.metric == key.metric) return b;
  }
}

void TimerQueue::InsertBucket(std::uint32_t slot) {
  const std::size_t mask = buckets_.size() - 1;
  std::size_t b = Hash(KeyOf(slot)) & mask;
  while (buckets_[b] != kNone) b = (b + 1) & mask;
  buckets_[b] = slot;
}

void TimerQueue::EraseBucket(std::size_t hole) {
  // Backward-shift deletion: move later members of the probe run into the
  // hole when the hole lies between their home bucket and where they sit.
  const std::size_t mask = buckets_.size() - 1;
  for (std::size_t b = (hole + 1) & mask; buckets_[b] != kNone; b = (b + 1) & mask) {
    const std::size_t home = Hash(KeyOf(buckets_[b])) & mask;
    if (((b - home) & mask) >= ((b - hole) & mask)) {
      buckets_[hole] = buckets_[b];
      hole = b;
    }
  }
  buckets_[hole] = kNone;
}

void TimerQueue::GrowBuckets(std::size_t entries) {
  if (!buckets_.empty() && entries * 2 <= buckets_.size()) return;  // keep the table at most half full
  const std::size_t size = std::max(kMinBuckets, std::bit_ceil(entries * 2));
  buckets_.assign(size, kNone);
  for (const Node& n : heap_) InsertBucket(n.slot);
}

}  // namespace kefu
