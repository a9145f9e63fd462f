// TimerThread: fires SLA timers when they are due. It owns a TimerQueue
// behind a mutex and a thread that sleeps on a condition variable until the
// earliest fire time (no polling), is woken early when an earlier entry is
// scheduled, and hands every due entry to the callback exactly once.
//
//   TimerThread timers(clock, [&](std::span<const TimerEntry> due, Millis now) {
//     for (const TimerEntry& e : due) sla_service.OnTimer(e, now);  // may Schedule the next one
//   });
//   timers.Rebuild(entries_from_the_store);  // at start-up
//   timers.Schedule({{ticket, SlaMetric::kResolution}, fire.at, fire.kind, 100});
//
// Time comes from the injected Clock. With a ManualClock, tests construct it
// with `start_thread = false` and call RunDue() after moving the clock: it
// processes what is due at the clock's now on the calling thread, so tests
// need no sleeps. With the thread running, Poke() makes it re-read the clock.
//
// Thread-safe. The callback runs on the timer thread (or the caller of
// RunDue) without the lock held, so it may call Schedule and Cancel; it must
// not throw, and must not call Stop or destroy the TimerThread. Waits are
// capped at an hour so that a wall clock stepped backwards or forwards is
// noticed within that time.
#pragma once

#include <array>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <thread>

#include "core/clock.h"
#include "sla/timer_queue.h"

namespace kefu {

// How late fired timers were: the clock's time when the entry was popped for
// the callback minus its fire_at, in milliseconds.
struct LatenessStats {
  // Bucket 0 holds 0 ms; bucket i (1..22) holds [2^(i-1), 2^i) ms; bucket 23 the rest.
  static constexpr int kBuckets = 24;
  std::uint64_t count = 0;
  Millis max_ms = 0;
  Millis sum_ms = 0;
  std::array<std::uint64_t, kBuckets> buckets{};

  void Record(Millis lateness_ms);
  // The upper bound (exclusive, in ms) of the bucket holding the p-th
  // percentile, 0 < p <= 100; 0 when nothing was recorded or it is 0 ms.
  Millis PercentileBound(double p) const;
};

class TimerThread {
 public:
  using Callback = std::function<void(std::span<const TimerEntry> due, Millis now)>;
  struct Options {
    bool start_thread = true;  // false: only RunDue fires timers (tests with a ManualClock)
  };

  TimerThread(const Clock& clock, Callback callback, Options options);
  TimerThread(const Clock& clock, Callback callback) : TimerThread(clock, std::move(callback), Options{}) {}
  ~TimerThread();  // Stop()
  TimerThread(const TimerThread&) = delete;
  TimerThread& operator=(const TimerThread&) = delete;

  // Schedules or reschedules (same key) an entry; wakes the thread if it is
  // now the earliest.
  void Schedule(const TimerEntry& entry);
  bool Cancel(const TimerKey& key);
  // Replaces everything with `entries` (TimerQueue::Build).
  void Rebuild(std::span<const TimerEntry> entries);

  std::size_t size() const;
  std::optional<Millis> NextDue() const;
  std::optional<TimerEntry> Find(const TimerKey& key) const;

  // Makes the thread re-read the clock now.
  void Poke();
  // Fires, on the calling thread, every entry due at the clock's now; returns
  // how many. Entries the callback schedules at or before that instant wait
  // for the next call (or the thread).
  std::size_t RunDue();

  LatenessStats Lateness() const;
  // Stops and joins the thread; pending entries stay in the queue. Idempotent.
  void Stop();

 private:
  void Loop();
  // Pops what is due at now and delivers it; `lock` is held on entry and exit.
  std::size_t Deliver(std::unique_lock<std::mutex>& lock, Millis now, std::vector<TimerEntry>& buffer);

  const Clock& clock_;
  Callback callback_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  TimerQueue queue_;
  LatenessStats lateness_;
  bool stop_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace kefu
