// Login throttling: after `max_failures` failed logins within `window` for
// one key (an account or an address), further attempts for that key are
// refused until the window has passed. Thread-safe; time from the Clock.
#pragma once

#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/clock.h"

namespace kefu {

class LoginThrottle {
 public:
  LoginThrottle(const Clock& clock, int max_failures, Millis window)
      : clock_(clock), max_failures_(max_failures), window_(window) {}

  // Seconds until the key may try again, or nullopt if it may try now.
  std::optional<int> RetryAfter(const std::string& key);
  void RecordFailure(const std::string& key);
  void Reset(const std::string& key);

 private:
  void Prune(std::deque<Millis>& q, Millis now) const;

  const Clock& clock_;
  int max_failures_;
  Millis window_;
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<Millis>> failures_;
};

}  // namespace kefu
