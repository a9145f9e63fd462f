// Service levels: /api/v1/sla/* (policies, lists, counts) and the clocks of one complaint.
#include <unordered_map>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "api/context.h"
#include "api/serialize.h"
#include "core/json.h"
#include "escalation/service.h"

namespace kefu::api {

namespace bj = boost::json;

namespace {

bj::object PolicyJson(const StoredSlaPolicy& sp) {
  bj::object o{{"id", sp.id},           {"name", sp.name},
               {"position", sp.position}, {"enabled", sp.enabled},
               {"version", sp.version},   {"created_at", Time(sp.created_at)},
               {"updated_at", Time(sp.updated_at)}};
  auto body = json::ParseDocument(sp.body);
  if (body && body->is_object())
    for (const auto& [k, v] : body->as_object()) o[k] = v;
  return o;
}

bj::value MetricOrNull(const std::optional<SlaMetric>& m) { return m ? bj::value(Name(*m)) : bj::value(nullptr); }

// docs/api.md, "SLA summary".
bj::value SummaryJson(const escalation::SlaSummary& sum) {
  if (sum.Empty()) return nullptr;
  return bj::object{{"next_metric", MetricOrNull(sum.next_metric)},
                    {"next_ref", OptId(sum.next_ref)},
                    {"next_due_at", Time(sum.next_due_at)},
                    {"warning", sum.warning},
                    {"warning_at", Time(sum.warning_at)},
                    {"breached", sum.breached},
                    {"breached_metric", MetricOrNull(sum.breached_metric)},
                    {"breached_ref", OptId(sum.breached_ref)},
                    {"breached_at", Time(sum.breached_at)}};
}

bj::object LevelsJson(const escalation::TicketLevels& l) {
  auto clocks = json::ParseDocument(l.stored.clocks.empty() ? "[]" : l.stored.clocks);
  return bj::object{{"ticket_id", l.stored.ticket_id},
                    {"policy", l.stored.policy_id ? bj::value(bj::object{{"id", *l.stored.policy_id},
                                                                         {"version", l.stored.policy_version},
                                                                         {"name", l.policy_name}})
                                                  : bj::value(nullptr)},
                    {"calendar", l.stored.calendar_id},
                    {"breached", l.stored.breached},
                    {"next_due_at", Time(l.stored.next_due_at)},
                    {"clocks", clocks ? *clocks : bj::value(bj::array{})},
                    {"computed_at", Time(l.stored.updated_at)},
                    {"summary", SummaryJson(l.summary)}};
}

Result<std::optional<Millis>> TimeQuery(const http::Request& r, const char* name) {
  auto v = r.Query(name);
  if (!v || v->empty()) return std::optional<Millis>();
  auto t = ParseRfc3339(*v);
  if (!t) return Fail(Error::Validation(name, fmt::format("{} must be an RFC 3339 date-time", name)));
  return std::optional<Millis>(*t);
}

Result<http::Response> SlaList(Services& s, const http::Request& r, const Principal& p, bool breached) {
  SlaListQuery q;
  q.breached = breached;
  KEFU_ASSIGN(auto team, QueryInt(r, "team_id", 1, INT64_MAX));
  q.team_id = team;
  KEFU_ASSIGN(auto within, QueryInt(r, "within_minutes", 0, 7 * 24 * 60));
  KEFU_ASSIGN(auto limit, QueryInt(r, "limit", 1, 500));
  q.limit = static_cast<int>(limit.value_or(200));
  q.due_before = s.clock.Now() + within.value_or(60) * 60'000;
  KEFU_ASSIGN(auto rows, s.sla.List(p, q));
  KEFU_ASSIGN(auto cat, s.catalog.Get());
  std::vector<Id> ids;
  for (const auto& row : rows) ids.push_back(row.stored.ticket_id);
  // The complaints of the page in one read; those the caller may not see are left out.
  KEFU_ASSIGN(auto page, s.tickets.GetMany(p, ids));
  std::unordered_map<Id, const Ticket*> tickets;
  for (const auto& t : page.items) tickets.emplace(t.id, &t);
  std::unordered_map<Id, const Customer*> customers;
  for (const auto& c : page.customers) customers.emplace(c.id, &c);
  bj::array items;
  for (const auto& row : rows) {
    auto t = tickets.find(row.stored.ticket_id);
    if (t == tickets.end()) continue;  // not visible to the caller
    auto c = customers.find(t->second->customer_id);
    bj::object o = LevelsJson(row);
    o["ticket"] = TicketJson(*t->second, c == customers.end() ? nullptr : c->second, *cat, p);
    items.push_back(std::move(o));
  }
  return Items(std::move(items));
}

}  // namespace

bj::object SlaLevelsJson(Services& s, Id ticket_id) {
  auto levels = s.sla.Of(ticket_id);
  return levels ? LevelsJson(*levels) : bj::object{{"ticket_id", ticket_id}, {"clocks", bj::array{}}};
}

Status AddSlaSummaries(Services& s, bj::array& items) {
  std::vector<Id> ids;
  for (const auto& v : items)
    if (const auto* id = v.is_object() ? v.get_object().if_contains("id") : nullptr; id && id->is_int64())
      ids.push_back(id->get_int64());
  KEFU_ASSIGN(auto summaries, s.sla.Summaries(ids));
  for (auto& v : items) {
    if (!v.is_object()) continue;
    auto& o = v.get_object();
    const auto* id = o.if_contains("id");
    auto it = id && id->is_int64() ? summaries.find(id->get_int64()) : summaries.end();
    o["sla_summary"] = it == summaries.end() ? bj::value(nullptr) : SummaryJson(it->second);
  }
  return {};
}

void AddSlaRoutes(http::Router& router, Services& s) {
  Authed(router, s, "GET", "/api/v1/sla/policies", [&s](http::Request&, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(auto all, s.sla.ListPolicies(p));
    bj::array items;
    for (const auto& sp : all) items.push_back(PolicyJson(sp));
    return Items(std::move(items));
  });
  Authed(router, s, "POST", "/api/v1/sla/policies", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(auto body, BodyJson(r));
    KEFU_ASSIGN(auto sp, s.sla.CreatePolicy(p, body.as_object()));
    return JsonResponse(201, PolicyJson(sp));
  });
  Authed(router, s, "PATCH", "/api/v1/sla/policies/{id}",
         [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
           KEFU_ASSIGN(Id id, PathId(r));
           KEFU_ASSIGN(auto body, BodyJson(r));
           KEFU_ASSIGN(auto sp, s.sla.UpdatePolicy(p, id, body.as_object()));
           return JsonResponse(200, PolicyJson(sp));
         });
  Authed(router, s, "DELETE", "/api/v1/sla/policies/{id}",
         [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
           KEFU_ASSIGN(Id id, PathId(r));
           KEFU_TRY(s.sla.DeletePolicy(p, id));
           return NoContent();
         });
  Authed(router, s, "POST", "/api/v1/sla/reevaluate", [&s](http::Request&, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(int changed, s.sla.Reevaluate(p));
    return JsonResponse(200, bj::object{{"changed", changed}});
  });
  Authed(router, s, "GET", "/api/v1/tickets/{id}/sla", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(Id id, PathId(r));
    KEFU_TRY(s.tickets.Get(p, id));  // visible to the caller
    return JsonResponse(200, SlaLevelsJson(s, id));
  });
  Authed(router, s, "GET", "/api/v1/sla/at-risk", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    return SlaList(s, r, p, false);
  });
  Authed(router, s, "GET", "/api/v1/sla/breached", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    return SlaList(s, r, p, true);
  });
  Authed(router, s, "GET", "/api/v1/sla/counts", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(auto from, TimeQuery(r, "from"));
    KEFU_ASSIGN(auto to, TimeQuery(r, "to"));
    Millis end = to.value_or(s.clock.Now() + 1);
    KEFU_ASSIGN(auto counts, s.sla.Counts(p, from.value_or(end - 30LL * 24 * 3600 * 1000), end));
    return JsonResponse(200, counts);
  });
}

}  // namespace kefu::api
