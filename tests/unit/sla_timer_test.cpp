// SLA timers: the TimerQueue (sla/timer_queue.h) against a simple model, its
// memory at a million entries, and the TimerThread (sla/timer_thread.h) with
// a ManualClock (no sleeps) and, briefly, the system clock.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <random>
#include <set>

#include "core/clock.h"
#include "sla/timer_queue.h"
#include "sla/timer_thread.h"

namespace kefu {
namespace {

TimerEntry Entry(std::int64_t ticket, Millis at, SlaMetric metric = SlaMetric::kFirstResponse, std::int64_t ref = 0) {
  return {{ticket, metric, ref}, at, SlaFireKind::kBreach, 100};
}

std::vector<TimerEntry> PopAll(TimerQueue& q) {
  std::vector<TimerEntry> out;
  q.PopDue(BusinessCalendar::kNever, out);
  return out;
}

std::vector<std::int64_t> Tickets(const std::vector<TimerEntry>& entries) {
  std::vector<std::int64_t> ids;
  for (const auto& e : entries) ids.push_back(e.key.ticket_id);
  return ids;
}

TEST(SlaTimerQueue, PopsInFireTimeOrder) {
  TimerQueue q;
  for (auto [ticket, at] : std::initializer_list<std::pair<int, int>>{{1, 500}, {2, 100}, {3, 300}, {4, 200}, {5, 400}})
    q.Schedule(Entry(ticket, at));
  EXPECT_EQ(q.size(), 5u);
  EXPECT_EQ(q.NextDue(), 100);
  EXPECT_EQ(Tickets(PopAll(q)), (std::vector<std::int64_t>{2, 4, 3, 5, 1}));
  EXPECT_TRUE(q.empty());
  EXPECT_FALSE(q.NextDue());
}

TEST(SlaTimerQueue, EntriesDueAtTheSameInstantPopInKeyOrder) {
  TimerQueue q;
  q.Schedule(Entry(9, 100, SlaMetric::kHandoff, 2));
  q.Schedule(Entry(9, 100, SlaMetric::kHandoff, 1));
  q.Schedule(Entry(3, 100, SlaMetric::kResolution));
  q.Schedule(Entry(3, 100, SlaMetric::kFirstResponse));
  auto popped = PopAll(q);
  ASSERT_EQ(popped.size(), 4u);
  EXPECT_EQ(popped[0].key, (TimerKey{3, SlaMetric::kFirstResponse, 0}));
  EXPECT_EQ(popped[1].key, (TimerKey{3, SlaMetric::kResolution, 0}));
  EXPECT_EQ(popped[2].key, (TimerKey{9, SlaMetric::kHandoff, 1}));
  EXPECT_EQ(popped[3].key, (TimerKey{9, SlaMetric::kHandoff, 2}));
}

TEST(SlaTimerQueue, ScheduleOfTheSameKeyReplacesTheEntry) {
  TimerQueue q;
  q.Schedule(Entry(1, 100));
  q.Schedule(Entry(2, 200));
  EXPECT_TRUE(q.Schedule({{1, SlaMetric::kFirstResponse, 0}, 300, SlaFireKind::kWarning, 75}));  // later
  EXPECT_EQ(q.size(), 2u);
  EXPECT_EQ(q.NextDue(), 200);
  EXPECT_EQ(q.Find({1, SlaMetric::kFirstResponse, 0}),
            (TimerEntry{{1, SlaMetric::kFirstResponse, 0}, 300, SlaFireKind::kWarning, 75}));
  EXPECT_TRUE(q.Schedule(Entry(2, 50)));  // earlier
  EXPECT_EQ(q.NextDue(), 50);
  EXPECT_EQ(Tickets(PopAll(q)), (std::vector<std::int64_t>{2, 1}));
}

TEST(SlaTimerQueue, KeysDifferByMetricAndRef) {
  TimerQueue q;
  EXPECT_FALSE(q.Schedule(Entry(1, 100, SlaMetric::kHandoff, 1)));
  EXPECT_FALSE(q.Schedule(Entry(1, 100, SlaMetric::kHandoff, 2)));
  EXPECT_FALSE(q.Schedule(Entry(1, 100, SlaMetric::kResolution)));
  EXPECT_EQ(q.size(), 3u);
}

TEST(SlaTimerQueue, CancelRemovesOnlyThatKey) {
  TimerQueue q;
  for (int i = 1; i <= 5; ++i) q.Schedule(Entry(i, i * 100));
  EXPECT_TRUE(q.Cancel({1, SlaMetric::kFirstResponse, 0}));
  EXPECT_TRUE(q.Cancel({4, SlaMetric::kFirstResponse, 0}));
  EXPECT_FALSE(q.Cancel({4, SlaMetric::kFirstResponse, 0}));
  EXPECT_FALSE(q.Cancel({2, SlaMetric::kResolution, 0}));
  EXPECT_FALSE(q.Find({1, SlaMetric::kFirstResponse, 0}));
  EXPECT_EQ(Tickets(PopAll(q)), (std::vector<std::int64_t>{2, 3, 5}));
  EXPECT_FALSE(TimerQueue{}.Cancel({1, SlaMetric::kFirstResponse, 0}));
}

TEST(SlaTimerQueue, PopDueReturnsExactlyTheEntriesDueAtOrBeforeNow) {
  TimerQueue q;
  for (int i = 1; i <= 10; ++i) q.Schedule(Entry(i, i * 10));
  std::vector<TimerEntry> out;
  q.PopDue(5, out);
  EXPECT_TRUE(out.empty());
  q.PopDue(30, out);  // 30 itself is due
  EXPECT_EQ(Tickets(out), (std::vector<std::int64_t>{1, 2, 3}));
  q.PopDue(39, out);  // appends
  EXPECT_EQ(out.size(), 3u);
  q.PopDue(40, out);
  EXPECT_EQ(Tickets(out), (std::vector<std::int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(q.size(), 6u);
  EXPECT_EQ(q.NextDue(), 50);
}

TEST(SlaTimerQueue, RandomOperationsAgreeWithAnOrderedMapModel) {
  std::mt19937_64 rng(5);
  TimerQueue q;
  std::map<TimerKey, Millis> model;
  Millis now = 0;
  std::vector<TimerEntry> out;
  for (int op = 0; op < 200'000; ++op) {
    const TimerKey key{static_cast<std::int64_t>(rng() % 3000), static_cast<SlaMetric>(rng() % 5),
                       static_cast<std::int64_t>(rng() % 3)};
    switch (rng() % 8) {
      case 0: case 1: case 2: case 3: {
        const Millis at = now + static_cast<Millis>(rng() % 10'000);
        EXPECT_EQ(q.Schedule({key, at}), model.contains(key));
        model[key] = at;
        break;
      }
      case 4: case 5:
        EXPECT_EQ(q.Cancel(key), model.erase(key) == 1);
        break;
      default: {
        now += static_cast<Millis>(rng() % 200);
        out.clear();
        q.PopDue(now, out);
        std::set<std::pair<Millis, TimerKey>> expected;
        for (auto it = model.begin(); it != model.end();) {
          if (it->second <= now) {
            expected.insert({it->second, it->first});
            it = model.erase(it);
          } else {
            ++it;
          }
        }
        ASSERT_EQ(out.size(), expected.size());
        std::size_t i = 0;
        for (const auto& [at, k] : expected) {
          EXPECT_EQ(out[i].fire_at, at);
          EXPECT_EQ(out[i].key, k);
          ++i;
        }
      }
    }
    ASSERT_EQ(q.size(), model.size());
  }
}

std::vector<TimerEntry> RandomEntries(std::size_t n, std::uint64_t seed, std::int64_t tickets) {
  std::mt19937_64 rng(seed);
  std::vector<TimerEntry> v;
  v.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    v.push_back({{static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(tickets)),
                  static_cast<SlaMetric>(rng() % 5), static_cast<std::int64_t>(rng() % 2)},
                 static_cast<Millis>(rng() % 1'000'000),
                 rng() % 2 ? SlaFireKind::kWarning : SlaFireKind::kBreach,
                 static_cast<std::uint8_t>(rng() % 100)});
  return v;
}

TEST(SlaTimerQueue, BulkBuildEqualsIncrementalSchedule) {
  const auto entries = RandomEntries(50'000, 7, 5'000);  // many repeated keys: the last one wins
  TimerQueue incremental;
  for (const auto& e : entries) incremental.Schedule(e);
  TimerQueue built = TimerQueue::Build(entries);
  EXPECT_EQ(built.size(), incremental.size());
  EXPECT_LT(built.size(), entries.size());
  EXPECT_EQ(built.NextDue(), incremental.NextDue());
  // Both keep working after the build.
  built.Schedule(Entry(1'000'000, 5));
  incremental.Schedule(Entry(1'000'000, 5));
  EXPECT_EQ(PopAll(built), PopAll(incremental));
  EXPECT_TRUE(TimerQueue::Build({}).empty());
}

TEST(SlaTimerQueue, MillionEntriesTakeWellUnder100BytesEach) {
  // An estimate from the arrays' capacities, not a timing.
  const auto entries = RandomEntries(1'000'000, 11, 1'000'000'000);
  TimerQueue q = TimerQueue::Build(entries);
  const double bytes = static_cast<double>(q.MemoryBytes()) / static_cast<double>(q.size());
  RecordProperty("bytes_per_entry", std::to_string(bytes));
  EXPECT_GT(q.size(), 999'000u);
  EXPECT_LT(bytes, 64.0);
  // Grown one by one, the arrays have doubling slack (at worst, just after a
  // doubling, 96 bytes an entry; Reserve avoids it).
  TimerQueue grown;
  for (std::int64_t i = 0; i < 1'000'000; ++i) grown.Schedule(Entry(i, i));
  const double grown_bytes = static_cast<double>(grown.MemoryBytes()) / static_cast<double>(grown.size());
  RecordProperty("bytes_per_entry_grown", std::to_string(grown_bytes));
  EXPECT_LT(grown_bytes, 64.0);
  // The heap still pops in fire-time order.
  std::vector<TimerEntry> out;
  q.PopDue(1'000, out);
  EXPECT_FALSE(out.empty());
  EXPECT_TRUE(std::ranges::is_sorted(out, {}, &TimerEntry::fire_at));
}

// --- TimerThread -------------------------------------------------------------

// Collects what the callback receives and lets a test wait for a count.
struct Fired {
  std::mutex mu;
  std::condition_variable cv;
  std::map<TimerKey, int> times;
  std::vector<TimerEntry> order;

  TimerThread::Callback Callback() {
    return [this](std::span<const TimerEntry> due, Millis) {
      std::lock_guard lock(mu);
      for (const auto& e : due) {
        ++times[e.key];
        order.push_back(e);
      }
      cv.notify_all();
    };
  }
  bool WaitFor(std::size_t n) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, std::chrono::seconds(20), [&] { return order.size() >= n; });
  }
  std::size_t count() {
    std::lock_guard lock(mu);
    return order.size();
  }
};

TEST(SlaTimerThread, RunDueWithManualClockFiresEachEntryOnceInOrder) {
  ManualClock clock(1'000);
  Fired fired;
  TimerThread timers(clock, fired.Callback(), {.start_thread = false});
  for (int i = 1; i <= 100; ++i) timers.Schedule(Entry(i, 1'000 + (i * 37) % 500));
  EXPECT_EQ(timers.RunDue(), 0u);  // nothing due at 1000 except i with offset 0: none
  for (Millis t = 1'000; t <= 1'600; t += 50) {
    clock.Set(t);
    timers.RunDue();
  }
  EXPECT_EQ(timers.RunDue(), 0u);
  EXPECT_EQ(fired.order.size(), 100u);
  for (const auto& [key, n] : fired.times) EXPECT_EQ(n, 1);
  EXPECT_TRUE(std::ranges::is_sorted(fired.order, {}, &TimerEntry::fire_at));
  EXPECT_EQ(timers.size(), 0u);
}

TEST(SlaTimerThread, CancelledAndRescheduledEntriesFireOnlyAsLastScheduled) {
  ManualClock clock(0);
  Fired fired;
  TimerThread timers(clock, fired.Callback(), {.start_thread = false});
  timers.Schedule(Entry(1, 100));
  timers.Schedule(Entry(2, 100));
  timers.Schedule(Entry(1, 300));  // reschedule
  EXPECT_TRUE(timers.Cancel({2, SlaMetric::kFirstResponse, 0}));
  clock.Set(200);
  EXPECT_EQ(timers.RunDue(), 0u);
  clock.Set(300);
  EXPECT_EQ(timers.RunDue(), 1u);
  EXPECT_EQ(fired.order.at(0).fire_at, 300);
}

TEST(SlaTimerThread, CallbackMayScheduleTheNextTimerOfTheSameClock) {
  ManualClock clock(0);
  std::vector<TimerEntry> seen;
  TimerThread* self = nullptr;
  TimerThread timers(
      clock,
      [&](std::span<const TimerEntry> due, Millis) {
        for (const auto& e : due) {
          seen.push_back(e);
          if (e.kind == SlaFireKind::kWarning) self->Schedule({e.key, e.fire_at + 100, SlaFireKind::kBreach, 100});
        }
      },
      {.start_thread = false});
  self = &timers;
  timers.Schedule({{1, SlaMetric::kResolution, 0}, 100, SlaFireKind::kWarning, 75});
  clock.Set(150);
  EXPECT_EQ(timers.RunDue(), 1u);
  EXPECT_EQ(timers.NextDue(), 200);
  clock.Set(200);
  EXPECT_EQ(timers.RunDue(), 1u);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].kind, SlaFireKind::kBreach);
}

TEST(SlaTimerThread, ThreadWithManualClockFiresOncePerEntryAndNeverTwice) {
  ManualClock clock(0);
  Fired fired;
  TimerThread timers(clock, fired.Callback());
  constexpr int kEntries = 2'000;
  std::vector<TimerEntry> entries;
  for (int i = 0; i < kEntries; ++i) entries.push_back(Entry(i, 1 + i % 97));
  timers.Rebuild(entries);
  // The test thread and the timer thread both try to deliver; each entry goes once.
  for (Millis t = 0; t <= 100; t += 3) {
    clock.Set(t);
    timers.Poke();
    timers.RunDue();
  }
  ASSERT_TRUE(fired.WaitFor(kEntries));
  timers.Poke();
  EXPECT_EQ(timers.RunDue(), 0u);
  timers.Stop();
  EXPECT_EQ(fired.count(), static_cast<std::size_t>(kEntries));
  for (const auto& [key, n] : fired.times) EXPECT_EQ(n, 1) << key.ticket_id;
  EXPECT_EQ(timers.Lateness().count, static_cast<std::uint64_t>(kEntries));
}

TEST(SlaTimerThread, EarlierEntryWakesTheSleepingThread) {
  SystemClock clock;
  Fired fired;
  TimerThread timers(clock, fired.Callback());
  const Millis now = clock.Now();
  timers.Schedule(Entry(1, now + 3'600'000));  // the thread sleeps for an hour…
  timers.Schedule(Entry(2, now + 20));          // …until this one wakes it
  ASSERT_TRUE(fired.WaitFor(1));
  EXPECT_EQ(fired.order.at(0).key.ticket_id, 2);
  EXPECT_EQ(timers.size(), 1u);
  EXPECT_GE(fired.order.at(0).fire_at, now);
}

TEST(SlaTimerThread, LatenessIsRecordedPerEntry) {
  ManualClock clock(0);
  Fired fired;
  TimerThread timers(clock, fired.Callback(), {.start_thread = false});
  timers.Schedule(Entry(1, 100));
  timers.Schedule(Entry(2, 300));
  timers.Schedule(Entry(3, 350));
  clock.Set(350);
  timers.RunDue();
  LatenessStats s = timers.Lateness();
  EXPECT_EQ(s.count, 3u);
  EXPECT_EQ(s.max_ms, 250);
  EXPECT_EQ(s.sum_ms, 250 + 50 + 0);
  EXPECT_EQ(s.buckets[0], 1u);  // 0 ms
  EXPECT_EQ(s.buckets[6], 1u);  // 50 ms is in [32, 64)
  EXPECT_EQ(s.buckets[8], 1u);  // 250 ms is in [128, 256)
  EXPECT_EQ(s.PercentileBound(50), 64);
  EXPECT_EQ(s.PercentileBound(100), 256);
}

}  // namespace
}  // namespace kefu
