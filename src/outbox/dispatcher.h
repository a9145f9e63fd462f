// The outbox dispatcher: a thread that delivers what the outbox holds.
//
// It sleeps on a condition variable until the store reports a commit that
// enqueued something (Store::SetOutboxListener) or until the earliest
// next_attempt_at of a waiting row — no polling. Each pass claims the due
// rows (counting the attempt and setting the time of the retry in the store
// before sending, so an attempt cut short by a crash is retried after a
// restart), sends them through the Transport a few at a time (so that one
// receiver that is slow to answer does not hold up the others), and records
// each outcome right after it: delivered, failed (retried with exponential backoff and jitter),
// or dead after max_attempts or a permanent error. Delivery is at least once;
// see docs/notifications.md for the window in which a receiver can see a
// message twice and how the X-Kefu-Delivery header / Message-ID let it tell.
// Once an hour it also deletes delivered and dead rows older than keep_days.
//
//   Dispatcher d(store, clock, *transport, options);
//   d.Start();   // ... d.Stop() before the store closes.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <random>
#include <thread>

#include "outbox/transport.h"
#include "storage/store.h"

namespace kefu::outbox {

struct DispatcherOptions {
  int max_attempts = 8;
  Millis backoff_base = 30'000;    // delay after the first failed attempt
  Millis backoff_max = 3'600'000;  // cap of the delay
  int batch = 16;                  // rows claimed per pass
  int parallel = 4;                // deliveries of a pass in flight at once
  std::string mail_from;           // sender address of emails
  // Delivered and dead messages are deleted this many days after they were
  // enqueued (checked hourly); 0 keeps them for good.
  int keep_days = 30;
  // A uniform number in [0, 1) for the jitter; a seeded generator when empty.
  std::function<double()> random;
};

// The delay before the next attempt after `attempts` (≥ 1) failed ones:
// min(max, base·2^(attempts−1)), times a jitter factor 0.8 + 0.4·u for u in [0, 1).
Millis BackoffDelay(int attempts, Millis base, Millis max, double u);

struct DispatcherStats {
  std::uint64_t delivered = 0;
  std::uint64_t failed = 0;  // attempts that failed (retried or not)
  std::uint64_t dead = 0;
};

// Thread-safe: Wake, Stop and Stats from any thread. RunOnce is for the
// dispatcher's own thread, or for tests that do not Start it.
class Dispatcher {
 public:
  Dispatcher(Store& store, const Clock& clock, Transport& transport, DispatcherOptions options);
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Starts the thread and listens to the store's commits.
  void Start();
  // Stops listening, interrupts a send in progress, joins the thread.
  void Stop();
  void Wake();
  // Claims the rows due now (at most options.batch), delivers them and
  // records each outcome. Returns how many were attempted.
  Result<int> RunOnce();
  // Deletes the delivered and dead messages older than options.keep_days, in
  // short write jobs. Returns how many.
  Result<int> Prune();
  DispatcherStats Stats() const;

 private:
  void Loop();
  Status Deliver(OutboxEntry e);
  Status Record(OutboxEntry& e, const Outcome& outcome);
  double Random();

  Store& store_;
  const Clock& clock_;
  Transport& transport_;
  DispatcherOptions options_;
  std::mutex rng_mu_;
  std::mt19937_64 rng_{std::random_device{}()};

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool wake_ = false;
  bool stopping_ = false;
  std::thread thread_;
  DispatcherStats stats_;
  Millis last_prune_ = 0;  // the dispatcher thread's
};

}  // namespace kefu::outbox
