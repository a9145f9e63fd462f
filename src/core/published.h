// A value built from the store and shared with the threads that read it:
// the rules triage runs on, the SLA policies, the business calendars.
//
// Readers take the published value without waiting for a rebuild. Rebuilds
// run one at a time, each from the value published before it, so that a
// rebuild that read the store before another's save can never publish over
// the rebuild that read it after (a save rebuilds once its write committed).
//
//   Published<Policies> policies;
//   KEFU_TRY(policies.Rebuild([&](std::shared_ptr<const Policies> now) -> Result<std::shared_ptr<const Policies>> {
//     return ReadPoliciesFromTheStore();  // or `now` with one part made anew
//   }));
//   std::shared_ptr<const Policies> p = policies.Get();
#pragma once

#include <memory>
#include <mutex>

#include "core/error.h"

namespace kefu {

template <typename T>
class Published {
 public:
  // The value last published; null before the first rebuild.
  std::shared_ptr<const T> Get() const {
    std::lock_guard lock(mu_);
    return value_;
  }

  // Publishes what `build` makes of the value published now (null before the
  // first); an error publishes nothing. `build` must not wait for a thread
  // that may itself be waiting to rebuild this value.
  template <typename Build>
  Status Rebuild(Build&& build) {
    std::lock_guard rebuilding(rebuild_mu_);
    KEFU_ASSIGN(std::shared_ptr<const T> next, build(Get()));
    std::lock_guard lock(mu_);
    value_ = std::move(next);
    return {};
  }

 private:
  mutable std::mutex mu_;  // guards value_ only, never held while building
  std::mutex rebuild_mu_;
  std::shared_ptr<const T> value_;
};

}  // namespace kefu
