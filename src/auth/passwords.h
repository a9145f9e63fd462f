// Password hashing with argon2id (libsodium, interactive limits: ~130 ms and
// 64 MiB per hash). At most `concurrency` hashes run at once, so that a burst
// of logins cannot exhaust memory; callers block while waiting, so call this
// from worker threads, never from I/O threads. Thread-safe.
#pragma once

#include <semaphore>
#include <string>

#include "core/error.h"

namespace kefu {

class PasswordHasher {
 public:
  explicit PasswordHasher(int concurrency = 2);
  Result<std::string> Hash(const std::string& password);
  bool Verify(const std::string& hash, const std::string& password);

 private:
  std::counting_semaphore<64> slots_;
};

// Minimum rules for a new password: 8–256 bytes of valid text.
Status CheckPasswordRules(const std::string& password);

}  // namespace kefu
