// Demo data for kefu: a believable customer-service department with about
// six months of complaint history, for trying the product, screenshots and
// load tests. Deterministic: the same options give the same data.
#pragma once

#include <cstdint>
#include <string>

#include "auth/accounts.h"
#include "core/clock.h"
#include "storage/store.h"

namespace kefu {

struct DemoOptions {
  int tickets = 20000;
  std::uint64_t random_seed = 42;
  Millis now = 0;  // the end of the history; 0 = the current time
};

struct DemoSummary {
  int teams = 0, users = 0, customers = 0, tickets = 0, messages = 0, events = 0, handoffs = 0;
  std::string admin_username, admin_password;  // password empty when the admin user existed before
};

// The password of every demo user except the admin.
inline constexpr const char* kDemoUserPassword = "kefu-demo-2026";
inline constexpr const char* kDemoAdminPassword = "kefu-admin-2026";

// Builds a believable customer-service department: teams, agents, liaisons,
// customers, ~6 months of complaints with messages, events and hand-offs.
// Refuses (kConflict) when the store already has complaints. Teams and users
// that already exist (by name / username) are reused, not changed.
// Blocking: creates users through `accounts` (password hashing) and writes
// the complaints in batches of 500 per transaction.
Result<DemoSummary> SeedDemo(Store& store, AccountService& accounts, const DemoOptions& options);

}  // namespace kefu
