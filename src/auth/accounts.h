// Accounts: users, logins, sessions, API tokens and the audit log of what
// they do to each other. Thread-safe; blocking (password hashing, store
// writes): call from worker threads.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "auth/passwords.h"
#include "auth/permissions.h"
#include "auth/throttle.h"
#include "core/clock.h"
#include "storage/store.h"

namespace kefu {

struct AccountOptions {
  Millis session_ttl = 12LL * 3600 * 1000;  // a working day and a half
  int account_max_failures = 5;             // per account per window
  int address_max_failures = 20;            // per address per window
  Millis throttle_window = 15LL * 60 * 1000;
  int hash_concurrency = 2;
};

struct LoginResult {
  std::string token;  // the secret: shown once, stored hashed
  std::string csrf_token;
  Principal principal;
  Millis expires_at = 0;
};

struct NewUser {
  std::string username;
  std::string display_name;
  Role role = Role::kAgent;
  std::string password;
  std::vector<Id> team_ids;
  std::optional<Id> department_id;
  std::string language = "zh-CN";
  std::string time_zone = "Asia/Shanghai";
};

struct UserPatch {
  std::optional<std::string> display_name;
  std::optional<Role> role;
  std::optional<std::string> password;
  std::optional<std::vector<Id>> team_ids;
  std::optional<std::optional<Id>> department_id;
  std::optional<bool> disabled;
  std::optional<std::string> language;
  std::optional<std::string> time_zone;
};

// Who is acting, for the audit log: a principal, or the command line (nullptr).
struct Actor {
  const Principal* principal = nullptr;
  std::string ip;
  std::optional<Id> id() const { return principal ? std::optional<Id>(principal->user.id) : std::nullopt; }
};

class AccountService {
 public:
  AccountService(Store& store, const Clock& clock, AccountOptions options = {});

  Result<LoginResult> Login(const std::string& username, const std::string& password, const std::string& ip);
  // The principal behind a session or API token secret; kUnauthenticated if
  // unknown, expired, revoked or disabled.
  Result<Principal> Authenticate(const std::string& secret);
  Status Logout(const Principal& p, const std::string& ip);

  Result<User> CreateUser(const Actor& actor, const NewUser& u);
  Result<User> UpdateUser(const Actor& actor, Id id, const UserPatch& patch);
  Result<User> UpdateUserByName(const Actor& actor, const std::string& username, const UserPatch& patch);

  struct IssuedToken {
    Credential credential;
    std::string secret;
  };
  Result<IssuedToken> CreateApiToken(const Principal& p, const std::string& name,
                                     const std::vector<std::string>& scopes, const std::string& ip);
  Status RevokeApiToken(const Principal& p, Id token_id, const std::string& ip);

  // Records an audit entry in its own write (for reads worth auditing: exports).
  Status Audit(const Actor& actor, const std::string& action, const std::string& target, const std::string& detail);

 private:
  Status ValidateNewUser(ReadTx& tx, const NewUser& u);
  void ForgetCachedPrincipals();

  Store& store_;
  const Clock& clock_;
  AccountOptions options_;
  PasswordHasher hasher_;
  LoginThrottle account_throttle_;
  LoginThrottle address_throttle_;
  std::string decoy_hash_;  // verified for unknown users so timing does not reveal them

  struct Cached {
    Principal principal;
    Millis cached_at;
  };
  std::mutex cache_mu_;
  std::unordered_map<std::string, Cached> cache_;
};

// Writes an audit entry inside an existing write transaction.
Status AppendAudit(WriteTx& tx, Millis at, const Actor& actor, const std::string& action, const std::string& target,
                   const std::string& detail);

}  // namespace kefu
