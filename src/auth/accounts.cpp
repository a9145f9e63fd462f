#include "auth/accounts.h"

#include <algorithm>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "auth/tokens.h"
#include "core/text.h"

namespace kefu {

namespace {

constexpr Millis kPrincipalCacheTtl = 5000;

bool ValidUsername(const std::string& s) {
  if (s.size() < 2 || s.size() > 64) return false;
  return std::ranges::all_of(s, [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
  });
}

bool ValidLanguage(const std::string& s) {
  static const char* kLangs[] = {"zh-CN", "en", "th", "vi", "id", "ms"};
  return std::ranges::any_of(kLangs, [&](const char* l) { return s == l; });
}

Status CheckProfile(const std::optional<std::string>& display_name, const std::optional<std::string>& language,
                    const std::optional<std::string>& time_zone) {
  if (display_name) KEFU_TRY(CheckText("display_name", *display_name, 1, 100));
  if (language && !ValidLanguage(*language))
    return Fail(Error::Validation("language", "language must be one of zh-CN, en, th, vi, id, ms"));
  if (time_zone) KEFU_TRY(CheckText("time_zone", *time_zone, 1, 64));
  return {};
}

Status CheckTeamsAndDepartment(ReadTx& tx, const std::vector<Id>& team_ids, const std::optional<Id>& department_id) {
  KEFU_ASSIGN(auto teams, tx.ListTeams());
  for (Id id : team_ids)
    if (std::ranges::none_of(teams, [&](const Team& t) { return t.id == id; }))
      return Fail(Error::Validation("team_ids", fmt::format("team {} does not exist", id)));
  if (department_id) {
    KEFU_ASSIGN(auto deps, tx.ListDepartments());
    if (std::ranges::none_of(deps, [&](const Department& d) { return d.id == *department_id; }))
      return Fail(Error::Validation("department_id", fmt::format("department {} does not exist", *department_id)));
  }
  return {};
}

}  // namespace

Status AppendAudit(WriteTx& tx, Millis at, const Actor& actor, const std::string& action, const std::string& target,
                   const std::string& detail) {
  AuditEntry a{0, at, actor.id(), action, target, detail.empty() ? "{}" : detail, actor.ip};
  return tx.InsertAudit(a);
}

AccountService::AccountService(Store& store, const Clock& clock, AccountOptions options)
    : store_(store),
      clock_(clock),
      options_(options),
      hasher_(options.hash_concurrency),
      account_throttle_(clock, options.account_max_failures, options.throttle_window),
      address_throttle_(clock, options.address_max_failures, options.throttle_window) {}

Result<LoginResult> AccountService::Login(const std::string& username, const std::string& password,
                                          const std::string& ip) {
  const std::string account_key = "u:" + username, address_key = "ip:" + ip;
  auto wait = account_throttle_.RetryAfter(account_key);
  if (!wait) wait = address_throttle_.RetryAfter(address_key);
  if (wait) {
    Error e{ErrorCode::kRateLimited, fmt::format("too many failed logins; try again in {} seconds", *wait), {}};
    e.retry_after_seconds = *wait;
    return Fail(std::move(e));
  }
  std::optional<User> user;
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(user, tx.FindUserByUsername(username));
    return {};
  }));
  if (decoy_hash_.empty() && !user) {
    // Lazily made once: verifying against it costs what a real verify costs.
    KEFU_ASSIGN(decoy_hash_, hasher_.Hash(NewSecret()));
  }
  bool ok = user ? hasher_.Verify(user->password_hash, password) : (hasher_.Verify(decoy_hash_, password), false);
  if (!ok || user->disabled) {
    account_throttle_.RecordFailure(account_key);
    address_throttle_.RecordFailure(address_key);
    boost::json::object detail{{"username", username}};
    Actor actor{nullptr, ip};
    KEFU_TRY(store_.Write([&](WriteTx& tx) {
      return AppendAudit(tx, clock_.Now(), actor, "login_failed", user ? fmt::format("user:{}", user->id) : "",
                         boost::json::serialize(detail));
    }));
    return Fail(Error{ErrorCode::kInvalidCredentials, "wrong username or password", {}});
  }
  account_throttle_.Reset(account_key);
  LoginResult r;
  r.token = NewSecret();
  r.csrf_token = NewSecret();
  r.expires_at = clock_.Now() + options_.session_ttl;
  Credential c;
  c.token_hash = HashSecret(r.token);
  c.user_id = user->id;
  c.csrf_token = r.csrf_token;
  c.created_at = clock_.Now();
  c.expires_at = r.expires_at;
  r.principal.user = *user;
  r.principal.permissions = RolePermissions(user->role);
  r.principal.csrf_token = r.csrf_token;
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    KEFU_TRY(tx.InsertCredential(c));
    Principal p = r.principal;
    return AppendAudit(tx, c.created_at, Actor{&p, ip}, "login", fmt::format("user:{}", user->id), "");
  }));
  r.principal.credential_id = c.id;
  return r;
}

Result<Principal> AccountService::Authenticate(const std::string& secret) {
  const Error unauth{ErrorCode::kUnauthenticated, "missing, expired or revoked credentials", {}};
  if (secret.empty() || secret.size() > 128) return Fail(unauth);
  std::string hash = HashSecret(secret);
  Millis now = clock_.Now();
  {
    std::lock_guard lock(cache_mu_);
    auto it = cache_.find(hash);
    if (it != cache_.end() && now - it->second.cached_at < kPrincipalCacheTtl) return it->second.principal;
  }
  std::optional<Credential> cred;
  User user;
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(cred, tx.FindCredential(hash));
    if (!cred) return {};
    KEFU_ASSIGN(user, tx.GetUser(cred->user_id));
    return {};
  }));
  if (!cred || cred->revoked_at || (cred->expires_at && *cred->expires_at <= now) || user.disabled) return Fail(unauth);
  Principal p;
  p.user = std::move(user);
  p.permissions = EffectivePermissions(p.user.role, cred->scopes);
  p.credential_id = cred->id;
  p.api_token = cred->api_token;
  p.csrf_token = cred->csrf_token;
  std::lock_guard lock(cache_mu_);
  if (cache_.size() > 10000) cache_.clear();
  cache_[hash] = {p, now};
  return p;
}

void AccountService::ForgetCachedPrincipals() {
  std::lock_guard lock(cache_mu_);
  cache_.clear();
}

Status AccountService::Logout(const Principal& p, const std::string& ip) {
  if (!p.credential_id) return {};
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    KEFU_TRY(tx.RevokeCredential(*p.credential_id, clock_.Now()));
    return AppendAudit(tx, clock_.Now(), Actor{&p, ip}, "logout", fmt::format("user:{}", p.user.id), "");
  }));
  ForgetCachedPrincipals();
  return {};
}

Status AccountService::ValidateNewUser(ReadTx& tx, const NewUser& u) {
  if (!ValidUsername(u.username))
    return Fail(Error::Validation("username", "username must be 2–64 characters of a-z, A-Z, 0-9, '.', '_', '-'"));
  KEFU_TRY(CheckProfile(u.display_name.empty() ? std::nullopt : std::optional(u.display_name), u.language, u.time_zone));
  KEFU_TRY(CheckPasswordRules(u.password));
  if (u.role == Role::kDepartmentLiaison && !u.department_id)
    return Fail(Error::Validation("department_id", "a department liaison needs a department"));
  KEFU_TRY(CheckTeamsAndDepartment(tx, u.team_ids, u.department_id));
  KEFU_ASSIGN(auto existing, tx.FindUserByUsername(u.username));
  if (existing) return Fail(Error::Conflict(fmt::format("username {} is taken", u.username), "username"));
  return {};
}

Result<User> AccountService::CreateUser(const Actor& actor, const NewUser& nu) {
  KEFU_TRY(store_.Read([&](ReadTx& tx) { return ValidateNewUser(tx, nu); }));
  User u;
  u.username = nu.username;
  u.display_name = nu.display_name.empty() ? nu.username : nu.display_name;
  u.role = nu.role;
  u.team_ids = nu.team_ids;
  u.department_id = nu.department_id;
  u.language = nu.language;
  u.time_zone = nu.time_zone;
  u.created_at = clock_.Now();
  KEFU_ASSIGN(u.password_hash, hasher_.Hash(nu.password));
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    KEFU_ASSIGN(auto existing, tx.FindUserByUsername(u.username));
    if (existing) return Fail(Error::Conflict(fmt::format("username {} is taken", u.username), "username"));
    KEFU_TRY(tx.InsertUser(u));
    boost::json::object detail{{"username", u.username}, {"role", Name(u.role)}};
    return AppendAudit(tx, u.created_at, actor, "user.create", fmt::format("user:{}", u.id),
                       boost::json::serialize(detail));
  }));
  return u;
}

Result<User> AccountService::UpdateUserByName(const Actor& actor, const std::string& username,
                                              const UserPatch& patch) {
  std::optional<User> u;
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(u, tx.FindUserByUsername(username));
    return {};
  }));
  if (!u) return Fail(Error::NotFound(fmt::format("no user named {}", username)));
  return UpdateUser(actor, u->id, patch);
}

Result<User> AccountService::UpdateUser(const Actor& actor, Id id, const UserPatch& patch) {
  KEFU_TRY(CheckProfile(patch.display_name, patch.language, patch.time_zone));
  if (patch.password) KEFU_TRY(CheckPasswordRules(*patch.password));
  std::string new_hash;
  if (patch.password) {
    KEFU_ASSIGN(new_hash, hasher_.Hash(*patch.password));
  }
  User result;
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    KEFU_ASSIGN(User u, tx.GetUser(id));
    const User before = u;
    if (patch.display_name) u.display_name = *patch.display_name;
    if (patch.role) u.role = *patch.role;
    if (patch.team_ids) u.team_ids = *patch.team_ids;
    if (patch.department_id) u.department_id = *patch.department_id;
    if (patch.disabled) u.disabled = *patch.disabled;
    if (patch.language) u.language = *patch.language;
    if (patch.time_zone) u.time_zone = *patch.time_zone;
    if (patch.password) u.password_hash = new_hash;
    std::ranges::sort(u.team_ids);
    u.team_ids.erase(std::unique(u.team_ids.begin(), u.team_ids.end()), u.team_ids.end());
    if (u.role == Role::kDepartmentLiaison && !u.department_id)
      return Fail(Error::Validation("department_id", "a department liaison needs a department"));
    KEFU_TRY(CheckTeamsAndDepartment(tx, u.team_ids, u.department_id));
    KEFU_TRY(tx.UpdateUser(u));
    const std::string target = fmt::format("user:{}", u.id);
    if (u.role != before.role || u.team_ids != before.team_ids || u.department_id != before.department_id) {
      boost::json::object detail{{"from_role", Name(before.role)}, {"to_role", Name(u.role)}};
      KEFU_TRY(AppendAudit(tx, clock_.Now(), actor, "permissions.change", target, boost::json::serialize(detail)));
    }
    if (u.disabled != before.disabled)
      KEFU_TRY(AppendAudit(tx, clock_.Now(), actor, u.disabled ? "user.disable" : "user.enable", target, ""));
    if (patch.password) KEFU_TRY(AppendAudit(tx, clock_.Now(), actor, "user.password", target, ""));
    result = u;
    return {};
  }));
  ForgetCachedPrincipals();
  return result;
}

Result<AccountService::IssuedToken> AccountService::CreateApiToken(const Principal& p, const std::string& name,
                                                                   const std::vector<std::string>& scopes,
                                                                   const std::string& ip) {
  KEFU_TRY(CheckText("name", name, 1, 100));
  for (const auto& s : scopes) {
    auto perm = ParsePermission(s);
    if (!perm) return Fail(Error::Validation("scopes", fmt::format("unknown scope {}", s)));
    if (!p.Can(*perm)) return Fail(Error::Validation("scopes", fmt::format("you do not hold {}", s)));
  }
  IssuedToken t;
  t.secret = NewSecret();
  t.credential.token_hash = HashSecret(t.secret);
  t.credential.user_id = p.user.id;
  t.credential.api_token = true;
  t.credential.name = name;
  t.credential.scopes = scopes;
  t.credential.created_at = clock_.Now();
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    KEFU_TRY(tx.InsertCredential(t.credential));
    boost::json::array sc;
    for (const auto& s : scopes) sc.emplace_back(s);
    boost::json::object detail{{"name", name}, {"scopes", sc}};
    return AppendAudit(tx, t.credential.created_at, Actor{&p, ip}, "token.create",
                       fmt::format("token:{}", t.credential.id), boost::json::serialize(detail));
  }));
  return t;
}

Status AccountService::RevokeApiToken(const Principal& p, Id token_id, const std::string& ip) {
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    KEFU_ASSIGN(auto tokens, tx.ListApiTokens(p.user.id));
    if (std::ranges::none_of(tokens, [&](const Credential& c) { return c.id == token_id; }))
      return Fail(Error::NotFound(fmt::format("token {} not found", token_id)));
    KEFU_TRY(tx.RevokeCredential(token_id, clock_.Now()));
    return AppendAudit(tx, clock_.Now(), Actor{&p, ip}, "token.revoke", fmt::format("token:{}", token_id), "");
  }));
  ForgetCachedPrincipals();
  return {};
}

Status AccountService::Audit(const Actor& actor, const std::string& action, const std::string& target,
                             const std::string& detail) {
  return store_.Write([&](WriteTx& tx) { return AppendAudit(tx, clock_.Now(), actor, action, target, detail); });
}

}  // namespace kefu
