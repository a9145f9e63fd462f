#include "sla/timer_thread.h"

#include <algorithm>
#include <bit>
#include <chrono>

namespace kefu {
namespace {
constexpr Millis kMaxWaitMs = 3'600'000;
}  // namespace

void LatenessStats::Record(Millis lateness_ms) {
  const Millis ms = std::max<Millis>(lateness_ms, 0);
  const int bucket = std::min<int>(kBuckets - 1, std::bit_width(static_cast<std::uint64_t>(ms)));
  ++buckets[bucket];
  ++count;
  sum_ms += ms;
  max_ms = std::max(max_ms, ms);
}

Millis LatenessStats::PercentileBound(double p) const {
  if (count == 0) return 0;
  const auto rank = static_cast<std::uint64_t>(std::max(1.0, p / 100.0 * static_cast<double>(count) + 0.5));
  std::uint64_t seen = 0;
  for (int i = 0; i < kBuckets; ++i) {
    seen += buckets[i];
    if (seen >= rank) return i == 0 ? 0 : Millis{1} << i;
  }
  return max_ms;
}

TimerThread::TimerThread(const Clock& clock, Callback callback, Options options)
    : clock_(clock), callback_(std::move(callback)) {
  if (options.start_thread) thread_ = std::thread([this] { Loop(); });
}

TimerThread::~TimerThread() { Stop(); }

void TimerThread::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void TimerThread::Schedule(const TimerEntry& entry) {
  bool earlier = false;
  {
    std::lock_guard lock(mu_);
    const std::optional<Millis> next = queue_.NextDue();
    queue_.Schedule(entry);
    earlier = !next || entry.fire_at < *next;
    if (earlier) woken_ = true;
  }
  if (earlier) cv_.notify_all();
}

bool TimerThread::Cancel(const TimerKey& key) {
  std::lock_guard lock(mu_);
  return queue_.Cancel(key);  // the thread may wake for nothing; it then waits again
}

void TimerThread::Rebuild(std::span<const TimerEntry> entries) {
  TimerQueue built = TimerQueue::Build(entries);  // outside the lock: the slow part
  {
    std::lock_guard lock(mu_);
    queue_ = std::move(built);
    woken_ = true;
  }
  cv_.notify_all();
}

std::size_t TimerThread::size() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

std::optional<Millis> TimerThread::NextDue() const {
  std::lock_guard lock(mu_);
  return queue_.NextDue();
}

std::optional<TimerEntry> TimerThread::Find(const TimerKey& key) const {
  std::lock_guard lock(mu_);
  return queue_.Find(key);
}

void TimerThread::Poke() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

std::size_t TimerThread::RunDue() {
  std::vector<TimerEntry> buffer;
  std::unique_lock lock(mu_);
  return Deliver(lock, clock_.Now(), buffer);
}

LatenessStats TimerThread::Lateness() const {
  std::lock_guard lock(mu_);
  return lateness_;
}

std::size_t TimerThread::Deliver(std::unique_lock<std::mutex>& lock, Millis now, std::vector<TimerEntry>& buffer) {
  buffer.clear();
  queue_.PopDue(now, buffer);
  if (buffer.empty()) return 0;
  for (const TimerEntry& e : buffer) lateness_.Record(now - e.fire_at);
  lock.unlock();
  callback_(buffer, now);
  lock.lock();
  return buffer.size();
}

void TimerThread::Loop() {
  std::vector<TimerEntry> buffer;
  std::unique_lock lock(mu_);
  while (!stop_) {
    const Millis now = clock_.Now();
    if (Deliver(lock, now, buffer) > 0) continue;
    woken_ = false;
    const std::optional<Millis> next = queue_.NextDue();
    auto woken = [this] { return stop_ || woken_; };
    if (!next)
      cv_.wait(lock, woken);
    else
      cv_.wait_for(lock, std::chrono::milliseconds(std::clamp<Millis>(*next - now, 1, kMaxWaitMs)), woken);
  }
}

}  // namespace kefu
