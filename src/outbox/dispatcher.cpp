#include "outbox/dispatcher.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include <spdlog/spdlog.h>

namespace kefu::outbox {

namespace {

constexpr Millis kMaxSleep = 3'600'000;    // wake at least hourly (clock changes)
constexpr Millis kStoreRetry = 1'000;      // after a failed store access

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
  int attempted = 0;
  for (size_t i = 0; i < claimed.size(); ++i) {
    bool stopping = false;
    {
      std::lock_guard lock(mu_);
      stopping = stopping_;
    }
    if (stopping) {
      // Give back the claims not tried: due at once after a restart.
      KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
        for (size_t j = i; j < claimed.size(); ++j) {
          OutboxEntry e = claimed[j];
          e.attempts--;
          e.next_attempt_at = clock_.Now();
          KEFU_TRY(tx.UpdateOutbox(e));
        }
        return {};
      }));
      break;
    }
    auto delivered = Deliver(claimed[i]);
    if (!delivered) spdlog::warn("outbox: delivery {}: {}", claimed[i].id, delivered.error().message);
    ++attempted;
  }
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
