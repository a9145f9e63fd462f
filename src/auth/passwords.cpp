#include "auth/passwords.h"

#include <sodium.h>

#include <algorithm>

namespace kefu {

namespace {
struct Slot {
  std::counting_semaphore<64>& s;
  explicit Slot(std::counting_semaphore<64>& sem) : s(sem) { s.acquire(); }
  ~Slot() { s.release(); }
};
}  // namespace

PasswordHasher::PasswordHasher(int concurrency) : slots_(std::clamp(concurrency, 1, 64)) {
  if (sodium_init() < 0) std::abort();
}

Result<std::string> PasswordHasher::Hash(const std::string& password) {
  Slot slot(slots_);
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return Fail(Error::Internal("password hashing ran out of memory"));
  return std::string(out);
}

bool PasswordHasher::Verify(const std::string& hash, const std::string& password) {
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  Slot slot(slots_);
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

Status CheckPasswordRules(const std::string& password) {
  if (password.size() < 8) return Fail(Error::Validation("password", "password must have at least 8 characters"));
  if (password.size() > 256) return Fail(Error::Validation("password", "password must have at most 256 bytes"));
  return {};
}

}  // namespace kefu
