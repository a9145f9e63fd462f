#include "outbox/dispatcher.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

namespace kefu::outbox {

namespace {

constexpr Millis kMaxSleep = 3'600'000;    // wake at least hourly (clock changes)
constexpr Millis kStoreRetry = 1'000;      // after a failed store access
constexpr Millis kPruneEvery = 3'600'000;
constexpr int kPruneBatch = 1000;          // rows per write job, so intake never waits long

}  // namespace

Millis BackoffDelay(int attempts, Millis base, Millis max, double u) {
  int doublings = std::clamp(attempts - 1, 0, 40);
  double delay = std::min(static_cast<double>(max), static_cast<double>(base) * std::ldexp(1.0, doublings));
  return static_cast<Millis>(std::llround(delay * (0.8 + 0.4 * std::clamp(u, 0.0, 1.0))));
}

Dispatcher::Dispatcher(Store& store, const Clock& clock, Transport& transport, DispatcherOptions options)
    : store_(store), clock_(clock), transport_(transport), options_(std::move(options)) {
  options_.max_attempts = std::max(1, options_.max_attempts);
  options_.batch = std::max(1, options_.batch);
}

Dispatcher::~Dispatcher() { Stop(); }

void Dispatcher::Start() {
  {
    std::lock_guard lock(mu_);
    if (thread_.joinable()) return;
    stopping_ = false;
    thread_ = std::thread([this] { Loop(); });  // its first pass delivers what a previous run left
  }
  // Outside mu_: the listener runs on the writer thread and takes mu_.
  store_.SetOutboxListener([this] { Wake(); });
}

void Dispatcher::Stop() {
  {
    std::lock_guard lock(mu_);
    if (!thread_.joinable()) return;
    stopping_ = true;
  }
  store_.SetOutboxListener(nullptr);
  transport_.Cancel();
  cv_.notify_all();
  thread_.join();
}

void Dispatcher::Wake() {
  {
    std::lock_guard lock(mu_);
    wake_ = true;
  }
  cv_.notify_one();
}

DispatcherStats Dispatcher::Stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

double Dispatcher::Random() {
  std::lock_guard lock(rng_mu_);
  if (options_.random) return options_.random();
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
}

void Dispatcher::Loop() {
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      wake_ = false;
    }
    Millis sleep = kMaxSleep;
    if (const Millis now = clock_.Now(); now - last_prune_ >= kPruneEvery) {
      last_prune_ = now;
      auto pruned = Prune();
      if (!pruned) spdlog::warn("outbox: pruning: {}", pruned.error().message);
      else if (*pruned > 0) spdlog::info("outbox: deleted {} delivered or dead messages", *pruned);
    }
    auto attempted = RunOnce();
    if (!attempted) {
      spdlog::warn("outbox: {}", attempted.error().message);
      sleep = kStoreRetry;
    } else if (*attempted == options_.batch) {
      continue;  // more may be due
    } else {
      std::optional<Millis> next;
      auto read = store_.Read([&](ReadTx& tx) -> Status {
        KEFU_ASSIGN(next, tx.NextOutboxDue());
        return {};
      });
      if (!read) sleep = kStoreRetry;
      else if (next) sleep = std::clamp<Millis>(*next - clock_.Now(), 0, kMaxSleep);
    }
    std::unique_lock lock(mu_);
    if (sleep > 0) cv_.wait_for(lock, std::chrono::milliseconds(sleep), [&] { return stopping_ || wake_; });
  }
}

Result<int> Dispatcher::Prune() {
  if (options_.keep_days <= 0) return 0;
  const Millis before = clock_.Now() - static_cast<Millis>(options_.keep_days) * 86'400'000;
  int total = 0;
  for (;;) {
    int deleted = 0;
    KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
      KEFU_ASSIGN(deleted, tx.PruneOutbox(before, kPruneBatch));
      return {};
    }));
    total += deleted;
    if (deleted < kPruneBatch) return total;
  }
}

Result<int> Dispatcher::RunOnce() {
  Millis now = clock_.Now();
  std::vector<OutboxEntry> due;
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(due, tx.DueOutbox(now, options_.batch));
    return {};
  }));
  if (due.empty()) return 0;
  // Claim: count the attempt and set when to retry should this process die
  // while sending, before anything is sent.
  std::vector<OutboxEntry> claimed;
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    claimed.clear();
    KEFU_ASSIGN(auto rows, tx.DueOutbox(now, options_.batch));
    for (auto& e : rows) {
      e.attempts++;
      e.next_attempt_at = now + BackoffDelay(e.attempts, options_.backoff_base, options_.backoff_max, Random());
      KEFU_TRY(tx.UpdateOutbox(e));
      claimed.push_back(std::move(e));
    }
    return {};
  }));
  // Workers take the claims in order until none are left or a stop is asked for.
  std::vector<char> tried(claimed.size(), 0);
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (;;) {
      {
        std::lock_guard lock(mu_);
        if (stopping_) return;
      }
      const size_t i = next++;
      if (i >= claimed.size()) return;
      tried[i] = 1;
      auto delivered = Deliver(claimed[i]);
      if (!delivered) spdlog::warn("outbox: delivery {}: {}", claimed[i].id, delivered.error().message);
    }
  };
  {
    std::vector<std::jthread> helpers;
    const size_t workers = std::clamp<size_t>(static_cast<size_t>(options_.parallel), 1, claimed.size());
    for (size_t k = 1; k < workers; ++k) helpers.emplace_back(work);
    work();
  }
  const auto attempted = static_cast<int>(std::ranges::count(tried, 1));
  if (attempted == static_cast<int>(claimed.size())) return attempted;
  // Give back the claims not tried (a stop): due at once after a restart.
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    for (size_t j = 0; j < claimed.size(); ++j) {
      if (tried[j]) continue;
      OutboxEntry e = claimed[j];
      e.attempts--;
      e.next_attempt_at = clock_.Now();
      KEFU_TRY(tx.UpdateOutbox(e));
    }
    return {};
  }));
  return attempted;
}

Status Dispatcher::Deliver(OutboxEntry e) {
  std::optional<NotificationChannel> channel;
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    auto c = tx.GetChannel(e.channel_id);
    if (c) channel = std::move(*c);
    else if (c.error().code != ErrorCode::kNotFound) return Fail(c.error());
    return {};
  }));
  if (!channel) return Record(e, Outcome{false, true, false, "channel deleted"});
  auto msg = DecodePayload(e.payload);
  if (!msg) return Record(e, Outcome{false, true, false, "unreadable payload: " + msg.error().message});
  if (!channel->enabled && msg->kind != "test") return Record(e, Outcome{false, true, false, "channel disabled"});
  auto rendered = Render(*channel, *msg, e.id, clock_.Now(), options_.mail_from);
  if (!rendered) return Record(e, Outcome{false, false, false, rendered.error().message});
  Outcome out;
  if (auto* post = std::get_if<HttpPost>(&*rendered)) out = transport_.Post(*post);
  else out = transport_.Send(std::get<Email>(*rendered));
  return Record(e, out);
}

Status Dispatcher::Record(OutboxEntry& e, const Outcome& outcome) {
  Millis now = clock_.Now();
  if (outcome.ok) {
    e.state = DeliveryState::kDelivered;
    e.delivered_at = now;
    e.last_error.clear();
  } else if (outcome.interrupted) {
    e.state = DeliveryState::kFailed;
    e.next_attempt_at = now;
    e.last_error = "interrupted by shutdown: " + outcome.error;
  } else if (outcome.permanent || e.attempts >= options_.max_attempts) {
    e.state = DeliveryState::kDead;
    e.last_error = outcome.error;
  } else {
    e.state = DeliveryState::kFailed;
    e.next_attempt_at = now + BackoffDelay(e.attempts, options_.backoff_base, options_.backoff_max, Random());
    e.last_error = outcome.error;
  }
  // Recorded at once: the shorter the time between the receiver's answer and
  // this commit, the smaller the window for a second delivery.
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status { return tx.UpdateOutbox(e); }));
  {
    std::lock_guard lock(mu_);
    if (outcome.ok) stats_.delivered++;
    else stats_.failed++;
    if (e.state == DeliveryState::kDead) stats_.dead++;
  }
  if (outcome.ok) {
    spdlog::debug("outbox: delivered {} to channel {} (attempt {})", e.id, e.channel_id, e.attempts);
  } else if (e.state == DeliveryState::kDead) {
    spdlog::warn("outbox: gave up delivery {} to channel {} after {} attempt(s): {}", e.id, e.channel_id, e.attempts,
                 e.last_error);
  } else {
    spdlog::info("outbox: delivery {} to channel {} failed (attempt {}), retry in {} ms: {}", e.id, e.channel_id,
                 e.attempts, e.next_attempt_at - now, e.last_error);
  }
  return {};
}

}  // namespace kefu::outbox
