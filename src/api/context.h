// What every API handler needs: the services, the authentication of the
// request, and the one mapping of error codes to HTTP statuses.
#pragma once

#include <functional>
#include <string>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include "auth/accounts.h"
#include "http/message.h"
#include "http/router.h"
#include "tickets/reference.h"
#include "tickets/service.h"

namespace kefu::calendars {
class CalendarRegistry;
}  // namespace kefu::calendars

namespace kefu::escalation {
class SlaService;
}  // namespace kefu::escalation

namespace kefu::triage {
class TriageEngine;
class RedCaseService;
}  // namespace kefu::triage

namespace kefu::api {

struct Services {
  Store& store;
  const Clock& clock;
  Catalog& catalog;
  AccountService& accounts;
  TicketService& tickets;
  ReferenceService& reference;
  triage::TriageEngine& triage;
  triage::RedCaseService& red_cases;
  calendars::CalendarRegistry& calendars;
  escalation::SlaService& sla;
  // Extra text for /metrics (server counters); may be empty.
  std::function<std::string()> transport_metrics;
  std::function<bool()> ready;
};

// The HTTP status of an error code: the only such table.
int StatusOf(ErrorCode code);
http::Response ErrorResponse(const Error& e);
http::Response JsonResponse(int status, const boost::json::value& v);

// The caller behind a request: a bearer token, or the session cookie (then
// unsafe methods must carry the session's X-CSRF-Token).
Result<Principal> Authenticate(Services& s, const http::Request& r);

using AuthedHandler = std::function<Result<http::Response>(http::Request&, const Principal&)>;
using PublicHandler = std::function<Result<http::Response>(http::Request&)>;

// Registers a route whose handler runs only for an authenticated caller.
void Authed(http::Router& router, Services& s, std::string method, std::string pattern, AuthedHandler h);
void Public(http::Router& router, std::string method, std::string pattern, PublicHandler h);

// Parses the body as a JSON object.
Result<boost::json::value> BodyJson(const http::Request& r);
// 204 without a body, and {"items": [...]}.
http::Response NoContent();
http::Response Items(boost::json::array items);
// An optional integer query parameter within [lo, hi]; a validation error naming it otherwise.
Result<std::optional<std::int64_t>> QueryInt(const http::Request& r, const char* name, std::int64_t lo,
                                             std::int64_t hi);
// A path parameter that must be a positive integer id.
Result<Id> PathId(const http::Request& r, const std::string& name = "id");

// Route groups, one file each.
void AddAuthRoutes(http::Router& router, Services& s);
void AddTicketRoutes(http::Router& router, Services& s);
void AddCustomerRoutes(http::Router& router, Services& s);
void AddAdminRoutes(http::Router& router, Services& s);
void AddOpsRoutes(http::Router& router, Services& s);
void AddTriageRoutes(http::Router& router, Services& s);
void AddNotifyRoutes(http::Router& router, Services& s);
void AddCalendarRoutes(http::Router& router, Services& s);
void AddSlaRoutes(http::Router& router, Services& s);
// A complaint's service levels: policy, calendar, clocks.
boost::json::object SlaLevelsJson(Services& s, Id ticket_id);
// Sets `sla_summary` of each complaint of a list page (objects with an `id`) to its
// service-level summary, or null when it has nothing running or late; one
// store read for the whole page.
Status AddSlaSummaries(Services& s, boost::json::array& items);

// All of the above; the handler answers 404/405 for unknown routes.
http::Router BuildRouter(Services& s);
http::Response Dispatch(const http::Router& router, http::Request& r);

std::string_view OpenApiDocument();

}  // namespace kefu::api
