#include "auth/throttle.h"

namespace kefu {

void LoginThrottle::Prune(std::deque<Millis>& q, Millis now) const {
  while (!q.empty() && q.front() <= now - window_) q.pop_front();
}

std::optional<int> LoginThrottle::RetryAfter(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = failures_.find(key);
  if (it == failures_.end()) return std::nullopt;
  Millis now = clock_.Now();
  Prune(it->second, now);
  if (static_cast<int>(it->second.size()) < max_failures_) {
    if (it->second.empty()) failures_.erase(it);
    return std::nullopt;
  }
  Millis wait = it->second.front() + window_ - now;
  return static_cast<int>((wait + 999) / 1000);
}

void LoginThrottle::RecordFailure(const std::string& key) {
  std::lock_guard lock(mu_);
  auto& q = failures_[key];
  Prune(q, clock_.Now());
  q.push_back(clock_.Now());
  if (failures_.size() > 100000) failures_.clear();  // bound memory under an address-spraying attack
}

void LoginThrottle::Reset(const std::string& key) {
  std::lock_guard lock(mu_);
  failures_.erase(key);
}

}  // namespace kefu
