// Business calendars: /api/v1/calendars/* and /api/v1/calendar-bindings.
#include <boost/json.hpp>
#include <fmt/format.h>

#include "api/context.h"
#include "api/serialize.h"
#include "calendar/calendar_json.h"
#include "calendars/registry.h"
#include "core/json.h"

namespace kefu::api {

namespace bj = boost::json;

namespace {

bj::object BindingJson(const CalendarBinding& b) {
  return bj::object{{"scope", b.scope}, {"value", b.value}, {"calendar", b.calendar_id}};
}

bj::object CalendarInfoJson(const calendars::CalendarInfo& c) {
  bj::object o;
  o["id"] = c.stored.id;
  auto spec = json::ParseDocument(CalendarJson(c.spec));
  if (spec && spec->is_object())
    for (const auto& [k, v] : spec->as_object()) o[k] = v;
  bj::array bindings;
  for (const auto& b : c.bindings) bindings.push_back(BindingJson(b));
  o["bindings"] = std::move(bindings);
  o["updated_at"] = Time(c.stored.updated_at);
  return o;
}

std::string CalendarIdParam(const http::Request& r) {
  auto it = r.params.find("id");
  return it == r.params.end() ? std::string() : it->second;
}

Result<Millis> TimeParam(const http::Request& r, const char* name) {
  auto v = r.Query(name);
  if (!v || v->empty()) return Fail(Error::Validation(name, fmt::format("{} is required (RFC 3339)", name)));
  auto t = ParseRfc3339(*v);
  if (!t) return Fail(Error::Validation(name, fmt::format("{} must be an RFC 3339 date-time", name)));
  return *t;
}

// The body of a calendar without its "id": what ParseCalendarJson reads.
Result<std::pair<std::string, std::string>> CalendarBody(const http::Request& r) {
  KEFU_ASSIGN(auto body, BodyJson(r));
  bj::object o = body.as_object();
  std::string id;
  if (auto* v = o.if_contains("id")) {
    if (!v->is_string()) return Fail(Error::Validation("id", "id must be a string"));
    id = std::string(v->as_string());
    o.erase("id");
  }
  o.erase("bindings");
  o.erase("updated_at");
  return std::pair{id, bj::serialize(o)};
}

}  // namespace

void AddCalendarRoutes(http::Router& router, Services& s) {
  auto& cals = s.calendars;
  Authed(router, s, "GET", "/api/v1/calendars", [&cals](http::Request&, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(auto all, cals.List(p));
    bj::array items;
    for (const auto& c : all) items.push_back(CalendarInfoJson(c));
    return Items(std::move(items));
  });
  Authed(router, s, "POST", "/api/v1/calendars", [&cals](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(auto body, CalendarBody(r));
    KEFU_ASSIGN(auto c, cals.Put(p, body.first, body.second, true));
    return JsonResponse(201, CalendarInfoJson(c));
  });
  Authed(router, s, "GET", "/api/v1/calendars/{id}",
         [&cals](http::Request& r, const Principal& p) -> Result<http::Response> {
           KEFU_ASSIGN(auto c, cals.Get(p, CalendarIdParam(r)));
           return JsonResponse(200, CalendarInfoJson(c));
         });
  Authed(router, s, "PUT", "/api/v1/calendars/{id}",
         [&cals](http::Request& r, const Principal& p) -> Result<http::Response> {
           KEFU_ASSIGN(auto body, CalendarBody(r));
           std::string id = CalendarIdParam(r);
           if (!body.first.empty() && body.first != id)
             return Fail(Error::Validation("id", "the id in the body differs from the one in the path"));
           KEFU_ASSIGN(auto c, cals.Put(p, id, body.second, false));
           return JsonResponse(200, CalendarInfoJson(c));
         });
  Authed(router, s, "DELETE", "/api/v1/calendars/{id}",
         [&cals](http::Request& r, const Principal& p) -> Result<http::Response> {
           KEFU_TRY(cals.Delete(p, CalendarIdParam(r)));
           return NoContent();
         });
  Authed(router, s, "GET", "/api/v1/calendars/{id}/holidays",
         [&cals](http::Request& r, const Principal& p) -> Result<http::Response> {
           std::string id = CalendarIdParam(r);
           KEFU_ASSIGN(auto ics, cals.ExportIcs(p, id));
           http::Response res;
           res.content_type = "text/calendar; charset=utf-8";
           res.AddHeader("Content-Disposition", fmt::format("attachment; filename=\"{}.ics\"", id));
           res.body = std::move(ics);
           return res;
         });
  Authed(router, s, "PUT", "/api/v1/calendars/{id}/holidays",
         [&cals](http::Request& r, const Principal& p) -> Result<http::Response> {
           KEFU_ASSIGN(auto c, cals.ImportIcs(p, CalendarIdParam(r), r.body));
           return JsonResponse(200, CalendarInfoJson(c));
         });
  Authed(router, s, "GET", "/api/v1/calendars/{id}/add",
         [&cals](http::Request& r, const Principal& p) -> Result<http::Response> {
           KEFU_ASSIGN(Millis from, TimeParam(r, "from"));
           KEFU_ASSIGN(auto minutes, QueryInt(r, "minutes", 0, 100LL * 366 * 24 * 60));
           if (!minutes) return Fail(Error::Validation("minutes", "minutes is required"));
           KEFU_ASSIGN(Millis due, cals.Add(p, CalendarIdParam(r), from, *minutes));
           return JsonResponse(200, bj::object{{"due", due == BusinessCalendar::kNever ? bj::value(nullptr)
                                                                                        : bj::value(FormatRfc3339(due))}});
         });
  Authed(router, s, "GET", "/api/v1/calendars/{id}/between",
         [&cals](http::Request& r, const Principal& p) -> Result<http::Response> {
           KEFU_ASSIGN(Millis from, TimeParam(r, "from"));
           KEFU_ASSIGN(Millis to, TimeParam(r, "to"));
           KEFU_ASSIGN(auto seconds, cals.Between(p, CalendarIdParam(r), from, to));
           return JsonResponse(200, bj::object{{"seconds", seconds}});
         });
  Authed(router, s, "GET", "/api/v1/calendar-bindings",
         [&cals](http::Request&, const Principal& p) -> Result<http::Response> {
           KEFU_ASSIGN(auto all, cals.Bindings(p));
           bj::array items;
           for (const auto& b : all) items.push_back(BindingJson(b));
           return Items(std::move(items));
         });
  Authed(router, s, "PUT", "/api/v1/calendar-bindings",
         [&cals](http::Request& r, const Principal& p) -> Result<http::Response> {
           KEFU_ASSIGN(auto body, BodyJson(r));
           const auto& o = body.as_object();
           KEFU_ASSIGN(auto scope, json::OptString(o, "scope", "scope"));
           KEFU_ASSIGN(auto value, json::OptString(o, "value", "value"));
           KEFU_ASSIGN(auto calendar, json::OptString(o, "calendar", "calendar"));
           KEFU_ASSIGN(auto b, cals.Bind(p, CalendarBinding{scope.value_or(""), value.value_or(""),
                                                            calendar.value_or("")}));
           return JsonResponse(200, BindingJson(b));
         });
}

}  // namespace kefu::api
