// /api/v1/auth/* and /api/v1/tokens: logging in and out, the caller's own
// profile, and API tokens.
#include <boost/json.hpp>

#include "api/context.h"
#include "api/serialize.h"
#include "core/json.h"

namespace kefu::api {

namespace bj = boost::json;

void AddAuthRoutes(http::Router& router, Services& s) {
  Public(router, "POST", "/api/v1/auth/login", [&s](http::Request& r) -> Result<http::Response> {
    KEFU_ASSIGN(auto body, BodyJson(r));
    const auto& o = body.get_object();
    KEFU_ASSIGN(auto username, json::OptString(o, "username"));
    KEFU_ASSIGN(auto password, json::OptString(o, "password"));
    if (!username || username->empty()) return Fail(Error::Validation("username", "username is required"));
    if (!password || password->empty()) return Fail(Error::Validation("password", "password is required"));
    if (username->size() > 64 || password->size() > 256)
      return Fail(Error{ErrorCode::kInvalidCredentials, "wrong username or password", {}});
    KEFU_ASSIGN(auto login, s.accounts.Login(*username, *password, r.remote_ip));
    auto res = JsonResponse(200, bj::object{{"token", login.token},
                                            {"csrf_token", login.csrf_token},
                                            {"expires_at", FormatRfc3339(login.expires_at)},
                                            {"user", MeJson(login.principal)}});
    Millis max_age = (login.expires_at - s.clock.Now()) / 1000;
    res.AddHeader("Set-Cookie", "kefu_session=" + login.token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                                    std::to_string(max_age));
    res.AddHeader("Cache-Control", "no-store");
    return res;
  });

  Authed(router, s, "POST", "/api/v1/auth/logout", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_TRY(s.accounts.Logout(p, r.remote_ip));
    http::Response res;
    res.status = 204;
    res.content_type.clear();
    res.AddHeader("Set-Cookie", "kefu_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    return res;
  });

  Authed(router, s, "GET", "/api/v1/auth/me", [](http::Request&, const Principal& p) -> Result<http::Response> {
    auto res = JsonResponse(200, bj::object{{"user", MeJson(p)}, {"csrf_token", p.api_token ? "" : p.csrf_token}});
    res.AddHeader("Cache-Control", "no-store");
    return res;
  });

  Authed(router, s, "PATCH", "/api/v1/auth/me", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(auto body, BodyJson(r));
    const auto& o = body.get_object();
    UserPatch patch;
    KEFU_ASSIGN(patch.display_name, json::OptString(o, "display_name"));
    KEFU_ASSIGN(patch.language, json::OptString(o, "language"));
    KEFU_ASSIGN(patch.time_zone, json::OptString(o, "time_zone"));
    KEFU_ASSIGN(User u, s.accounts.UpdateUser(Actor{&p, r.remote_ip}, p.user.id, patch));
    s.catalog.Invalidate();
    Principal updated = p;
    updated.user = u;
    return JsonResponse(200, bj::object{{"user", MeJson(updated)}});
  });

  Authed(router, s, "GET", "/api/v1/tokens", [&s](http::Request&, const Principal& p) -> Result<http::Response> {
    std::vector<Credential> tokens;
    KEFU_TRY(s.store.Read([&](ReadTx& tx) -> Status {
      KEFU_ASSIGN(tokens, tx.ListApiTokens(p.user.id));
      return {};
    }));
    bj::array items;
    for (const auto& c : tokens) {
      bj::array scopes;
      for (const auto& sc : c.scopes) scopes.emplace_back(sc);
      items.push_back(bj::object{{"id", c.id}, {"name", c.name}, {"scopes", scopes},
                                 {"created_at", Time(c.created_at)}, {"revoked_at", Time(c.revoked_at)}});
    }
    return JsonResponse(200, bj::object{{"items", items}, {"next_cursor", nullptr}});
  });

  Authed(router, s, "POST", "/api/v1/tokens", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    if (p.api_token) return Fail(Error::Forbidden("API tokens cannot create API tokens"));
    KEFU_ASSIGN(auto body, BodyJson(r));
    const auto& o = body.get_object();
    KEFU_ASSIGN(auto name, json::OptString(o, "name"));
    KEFU_ASSIGN(auto scopes, json::OptStringArray(o, "scopes"));
    KEFU_ASSIGN(auto issued, s.accounts.CreateApiToken(p, name.value_or(""), scopes.value_or(std::vector<std::string>{}),
                                                       r.remote_ip));
    bj::array sc;
    for (const auto& x : issued.credential.scopes) sc.emplace_back(x);
    return JsonResponse(201, bj::object{{"id", issued.credential.id}, {"name", issued.credential.name},
                                        {"scopes", sc}, {"token", issued.secret},
                                        {"created_at", Time(issued.credential.created_at)}});
  });

  Authed(router, s, "DELETE", "/api/v1/tokens/{id}", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(Id id, PathId(r));
    KEFU_TRY(s.accounts.RevokeApiToken(p, id, r.remote_ip));
    http::Response res;
    res.status = 204;
    res.content_type.clear();
    return res;
  });
}

}  // namespace kefu::api
