// /api/v1/customers: create, find, read, update, and a customer's complaints.
#include <boost/json.hpp>

#include "api/context.h"
#include "api/serialize.h"
#include "core/json.h"

namespace kefu::api {

namespace bj = boost::json;

Result<http::Response> TicketList(Services& s, const http::Request& r, const Principal& p, TicketQuery q);

namespace {
Result<CustomerInput> ParseCustomerBody(const bj::object& o) {
  CustomerInput c;
  KEFU_ASSIGN(c.id, json::OptInt(o, "id"));
  KEFU_ASSIGN(c.name, json::OptString(o, "name"));
  KEFU_ASSIGN(c.phone, json::OptString(o, "phone"));
  KEFU_ASSIGN(c.email, json::OptString(o, "email"));
  KEFU_ASSIGN(c.external_id, json::OptString(o, "external_id"));
  KEFU_ASSIGN(c.region, json::OptString(o, "region"));
  KEFU_ASSIGN(c.language, json::OptString(o, "language"));
  KEFU_ASSIGN(c.time_zone, json::OptString(o, "time_zone"));
  KEFU_ASSIGN(c.organization, json::OptString(o, "organization"));
  KEFU_ASSIGN(auto tier, json::OptString(o, "tier"));
  if (tier) {
    c.tier = Parse<Tier>(*tier);
    if (!c.tier) return Fail(Error::Validation("tier", "tier must be one of " + AllowedNames<Tier>()));
  }
  return c;
}
}  // namespace

void AddCustomerRoutes(http::Router& router, Services& s) {
  Authed(router, s, "POST", "/api/v1/customers", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(auto body, BodyJson(r));
    KEFU_ASSIGN(auto in, ParseCustomerBody(body.get_object()));
    KEFU_ASSIGN(auto c, s.tickets.CreateCustomer(p, in));
    return JsonResponse(201, CustomerJson(c, p));
  });

  Authed(router, s, "GET", "/api/v1/customers", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    auto phone = r.Query("phone").value_or(""), email = r.Query("email").value_or("");
    auto external = r.Query("external_id").value_or(""), q = r.Query("q").value_or("");
    if (phone.empty() && email.empty() && external.empty() && q.empty())
      return Fail(Error::Validation("q", "give phone, email, external_id or q"));
    if (q.size() > 100) return Fail(Error::Validation("q", "q is too long"));
    KEFU_ASSIGN(auto list, s.tickets.FindCustomers(p, phone, email, external, q));
    bj::array items;
    for (const auto& c : list) items.push_back(CustomerJson(c, p));
    return JsonResponse(200, bj::object{{"items", items}, {"next_cursor", nullptr}});
  });

  Authed(router, s, "GET", "/api/v1/customers/{id}", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(Id id, PathId(r));
    KEFU_ASSIGN(auto c, s.tickets.GetCustomer(p, id));
    return JsonResponse(200, CustomerJson(c, p));
  });

  Authed(router, s, "PATCH", "/api/v1/customers/{id}", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(Id id, PathId(r));
    KEFU_ASSIGN(auto body, BodyJson(r));
    KEFU_ASSIGN(auto in, ParseCustomerBody(body.get_object()));
    if (in.id) return Fail(Error::Validation("id", "id cannot be changed"));
    KEFU_ASSIGN(auto c, s.tickets.UpdateCustomer(p, id, in));
    return JsonResponse(200, CustomerJson(c, p));
  });

  Authed(router, s, "GET", "/api/v1/customers/{id}/tickets", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(Id id, PathId(r));
    KEFU_TRY(s.tickets.GetCustomer(p, id));
    TicketQuery q;
    q.customer_id = id;
    if (!r.Query("sort")) q.sort = TicketSort::kCreatedDesc;
    return TicketList(s, r, p, q);
  });
}

}  // namespace kefu::api
