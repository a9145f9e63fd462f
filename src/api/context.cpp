#include "api/context.h"

#include <charconv>

#include <boost/json.hpp>

#include <fmt/format.h>

#include "auth/tokens.h"
#include "core/json.h"

namespace kefu::api {

int StatusOf(ErrorCode code) {
  switch (code) {
    case ErrorCode::kValidation: return 400;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kInvalidTransition: return 409;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kInvalidCredentials: return 401;
    case ErrorCode::kForbidden: return 403;
    case ErrorCode::kPayloadTooLarge: return 413;
    case ErrorCode::kRateLimited: return 429;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

http::Response JsonResponse(int status, const boost::json::value& v) {
  http::Response r;
  r.status = status;
  r.body = boost::json::serialize(v);
  return r;
}

http::Response ErrorResponse(const Error& e) {
  boost::json::object err{{"code", ErrorCodeName(e.code)}, {"message", e.message}, {"field", e.field}};
  auto r = JsonResponse(StatusOf(e.code), boost::json::object{{"error", err}});
  if (e.retry_after_seconds > 0) r.AddHeader("Retry-After", std::to_string(e.retry_after_seconds));
  if (e.code == ErrorCode::kUnauthenticated) r.AddHeader("WWW-Authenticate", "Bearer");
  return r;
}

Result<Principal> Authenticate(Services& s, const http::Request& r) {
  if (const std::string* auth = r.Header("authorization")) {
    constexpr std::string_view kBearer = "Bearer ";
    if (auth->size() <= kBearer.size() || auth->compare(0, kBearer.size(), kBearer) != 0)
      return Fail(Error{ErrorCode::kUnauthenticated, "Authorization must be 'Bearer <token>'", {}});
    return s.accounts.Authenticate(auth->substr(kBearer.size()));
  }
  std::string cookie = r.Cookie("kefu_session");
  if (cookie.empty()) return Fail(Error{ErrorCode::kUnauthenticated, "log in first", {}});
  KEFU_ASSIGN(Principal p, s.accounts.Authenticate(cookie));
  bool safe = r.method == "GET" || r.method == "HEAD" || r.method == "OPTIONS";
  if (!safe) {
    const std::string* csrf = r.Header("x-csrf-token");
    if (!csrf || p.csrf_token.empty() || !SecretsEqual(*csrf, p.csrf_token))
      return Fail(Error::Forbidden("missing or wrong X-CSRF-Token"));
  }
  return p;
}

void Authed(http::Router& router, Services& s, std::string method, std::string pattern, AuthedHandler h) {
  router.Add(std::move(method), std::move(pattern), [&s, h = std::move(h)](http::Request& r) {
    auto p = Authenticate(s, r);
    if (!p) return ErrorResponse(p.error());
    auto res = h(r, *p);
    return res ? std::move(*res) : ErrorResponse(res.error());
  });
}

void Public(http::Router& router, std::string method, std::string pattern, PublicHandler h) {
  router.Add(std::move(method), std::move(pattern), [h = std::move(h)](http::Request& r) {
    auto res = h(r);
    return res ? std::move(*res) : ErrorResponse(res.error());
  });
}

Result<boost::json::value> BodyJson(const http::Request& r) {
  if (r.body.empty()) return Fail(Error::Validation("body", "a JSON body is required"));
  KEFU_ASSIGN(auto v, json::ParseDocument(r.body));
  KEFU_TRY(json::AsObject(v));
  return v;
}

http::Response NoContent() {
  http::Response res;
  res.status = 204;
  res.content_type.clear();
  return res;
}

http::Response Items(boost::json::array items) {
  return JsonResponse(200, boost::json::object{{"items", std::move(items)}});
}

Result<std::optional<std::int64_t>> QueryInt(const http::Request& r, const char* name, std::int64_t lo,
                                             std::int64_t hi) {
  auto v = r.Query(name);
  if (!v || v->empty()) return std::optional<std::int64_t>();
  std::int64_t out = 0;
  auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || ptr != v->data() + v->size() || out < lo || out > hi)
    return Fail(Error::Validation(name, fmt::format("{} must be a whole number {}–{}", name, lo, hi)));
  return std::optional<std::int64_t>(out);
}

Result<Id> PathId(const http::Request& r, const std::string& name) {
  auto it = r.params.find(name);
  Id id = 0;
  if (it != r.params.end()) {
    auto [p, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), id);
    if (ec == std::errc() && p == it->second.data() + it->second.size() && id > 0) return id;
  }
  return Fail(Error::NotFound("no such " + name));
}

http::Router BuildRouter(Services& s) {
  http::Router router;
  AddAuthRoutes(router, s);
  AddTicketRoutes(router, s);
  AddCustomerRoutes(router, s);
  AddAdminRoutes(router, s);
  AddOpsRoutes(router, s);
  AddTriageRoutes(router, s);
  AddNotifyRoutes(router, s);
  AddCalendarRoutes(router, s);
  AddSlaRoutes(router, s);
  return router;
}

http::Response Dispatch(const http::Router& router, http::Request& r) {
  bool path_exists = false;
  const http::Route* route = router.Match(r, &path_exists);
  if (!route) {
    if (path_exists) {
      auto res = ErrorResponse({ErrorCode::kValidation, "method not allowed", {}});
      res.status = 405;
      res.body = R"({"error":{"code":"method_not_allowed","message":"method not allowed","field":""}})";
      return res;
    }
    return ErrorResponse(Error::NotFound("no such endpoint"));
  }
  return route->handler(r);
}

}  // namespace kefu::api
