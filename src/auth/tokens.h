// Secrets for sessions, API tokens and CSRF: random, URL-safe, and stored
// only as a hash.
#pragma once

#include <string>

namespace kefu {

// 32 random bytes from the OS CSPRNG, base64url without padding.
std::string NewSecret();
// Hex BLAKE2b-256 of a secret: what the store keeps. Secrets have 256 bits of
// entropy, so no salt or stretching is needed.
std::string HashSecret(const std::string& secret);
// Constant-time comparison of two strings.
bool SecretsEqual(const std::string& a, const std::string& b);

}  // namespace kefu
