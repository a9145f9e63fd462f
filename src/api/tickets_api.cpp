// /api/v1/tickets and everything hanging off a complaint: transitions,
// messages, hand-offs, links, merge; /api/v1/handoffs; /api/v1/states.
#include <charconv>

#include <boost/json.hpp>

#include "api/context.h"
#include "api/serialize.h"
#include "core/json.h"

namespace kefu::api {

namespace bj = boost::json;

namespace {

template <typename E>
Result<std::optional<E>> OptEnum(const bj::object& o, std::string_view key, std::string_view field = {}) {
  KEFU_ASSIGN(auto s, json::OptString(o, key, field));
  if (!s) return std::optional<E>();
  auto v = Parse<E>(*s);
  std::string name(field.empty() ? key : field);
  if (!v) return Fail(Error::Validation(name, name + " must be one of " + AllowedNames<E>()));
  return std::optional<E>(*v);
}

// "a,b" query values, each parsed as E.
template <typename E>
Result<std::vector<E>> EnumList(const http::Request& r, const std::string& key) {
  std::vector<E> out;
  auto range = r.query.equal_range(key);
  for (auto it = range.first; it != range.second; ++it) {
    std::string_view s = it->second;
    while (!s.empty()) {
      size_t comma = s.find(',');
      auto part = s.substr(0, comma);
      if (!part.empty()) {
        auto v = Parse<E>(part);
        if (!v) return Fail(Error::Validation(key, key + " must be one of " + AllowedNames<E>()));
        out.push_back(*v);
      }
      if (comma == std::string_view::npos) break;
      s.remove_prefix(comma + 1);
    }
  }
  return out;
}

Result<std::optional<std::int64_t>> QueryInt(const http::Request& r, const std::string& key) {
  auto v = r.Query(key);
  if (!v || v->empty()) return std::optional<std::int64_t>();
  std::int64_t n = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || p != v->data() + v->size()) return Fail(Error::Validation(key, key + " must be an integer"));
  return std::optional<std::int64_t>(n);
}

Result<std::optional<Millis>> QueryTime(const http::Request& r, const std::string& key) {
  auto v = r.Query(key);
  if (!v || v->empty()) return std::optional<Millis>();
  auto t = ParseRfc3339(*v);
  if (!t) return Fail(Error::Validation(key, key + " must be an RFC 3339 time"));
  return std::optional<Millis>(*t);
}

template <typename E>
Result<std::optional<E>> QueryEnum(const http::Request& r, const std::string& key) {
  auto v = r.Query(key);
  if (!v || v->empty()) return std::optional<E>();
  auto e = Parse<E>(*v);
  if (!e) return Fail(Error::Validation(key, key + " must be one of " + AllowedNames<E>()));
  return std::optional<E>(*e);
}

Result<CustomerInput> ParseCustomer(const bj::object& o) {
  CustomerInput c;
  KEFU_ASSIGN(c.id, json::OptInt(o, "id", "customer.id"));
  KEFU_ASSIGN(c.name, json::OptString(o, "name", "customer.name"));
  KEFU_ASSIGN(c.phone, json::OptString(o, "phone", "customer.phone"));
  KEFU_ASSIGN(c.email, json::OptString(o, "email", "customer.email"));
  KEFU_ASSIGN(c.external_id, json::OptString(o, "external_id", "customer.external_id"));
  KEFU_ASSIGN(c.region, json::OptString(o, "region", "customer.region"));
  KEFU_ASSIGN(c.language, json::OptString(o, "language", "customer.language"));
  KEFU_ASSIGN(c.time_zone, json::OptString(o, "time_zone", "customer.time_zone"));
  KEFU_ASSIGN(c.organization, json::OptString(o, "organization", "customer.organization"));
  KEFU_ASSIGN(c.tier, OptEnum<Tier>(o, "tier", "customer.tier"));
  return c;
}

// An optional field that may be set to null: absent -> nullopt; null ->
// optional(nullopt).
Result<std::optional<std::optional<Id>>> NullableId(const bj::object& o, std::string_view key) {
  if (!json::Has(o, key)) return std::optional<std::optional<Id>>();
  if (json::IsNull(o, key)) return std::optional<std::optional<Id>>(std::optional<Id>());
  KEFU_ASSIGN(auto v, json::OptInt(o, key));
  return std::optional<std::optional<Id>>(v);
}

http::Response Created(const bj::value& v) { return JsonResponse(201, v); }

}  // namespace

// Shared by the customers API (a customer's complaints).
Result<http::Response> TicketList(Services& s, const http::Request& r, const Principal& p, TicketQuery q) {
  KEFU_ASSIGN(q.states, EnumList<StateType>(r, "state"));
  KEFU_ASSIGN(q.team_id, QueryInt(r, "team_id"));
  if (auto a = r.Query("assignee_id")) {
    if (*a == "me")
      q.assignee_id = p.user.id;
    else if (*a == "none")
      q.unassigned = true;
    else {
      KEFU_ASSIGN(q.assignee_id, QueryInt(r, "assignee_id"));
    }
  }
  KEFU_ASSIGN(q.channel, QueryEnum<Channel>(r, "channel"));
  KEFU_ASSIGN(q.severity, QueryEnum<Severity>(r, "severity"));
  KEFU_ASSIGN(q.priority, QueryEnum<Priority>(r, "priority"));
  if (!q.customer_id) {
    KEFU_ASSIGN(q.customer_id, QueryInt(r, "customer_id"));
  }
  KEFU_ASSIGN(q.created_from, QueryTime(r, "created_from"));
  KEFU_ASSIGN(q.created_to, QueryTime(r, "created_to"));
  KEFU_ASSIGN(q.updated_from, QueryTime(r, "updated_from"));
  KEFU_ASSIGN(q.updated_to, QueryTime(r, "updated_to"));
  q.subject_contains = r.Query("q").value_or("");
  KEFU_ASSIGN(auto cat, s.catalog.Get());
  if (auto c = r.Query("category"); c && !c->empty()) {
    auto* category = cat->CategoryByKey(*c);
    if (!category) return Fail(Error::Validation("category", "unknown category " + *c));
    q.category_id = category->id;
  }
  auto sort = r.Query("sort").value_or("-updated_at");
  if (sort == "-updated_at") q.sort = TicketSort::kUpdatedDesc;
  else if (sort == "updated_at") q.sort = TicketSort::kUpdatedAsc;
  else if (sort == "-created_at") q.sort = TicketSort::kCreatedDesc;
  else if (sort == "created_at") q.sort = TicketSort::kCreatedAsc;
  else if (sort == "priority") q.sort = TicketSort::kPriority;
  else return Fail(Error::Validation("sort", "sort must be one of -updated_at, updated_at, -created_at, created_at, priority"));
  KEFU_ASSIGN(auto limit, QueryInt(r, "limit"));
  if (limit && (*limit < 1 || *limit > 200)) return Fail(Error::Validation("limit", "limit must be 1–200"));
  q.limit = static_cast<int>(limit.value_or(50));
  bool with_total = r.Query("with_total").value_or("") == "1";
  KEFU_ASSIGN(auto page, s.tickets.List(p, q, r.Query("cursor").value_or(""), with_total));
  bj::array items;
  for (const auto& t : page.items) {
    auto it = std::ranges::find_if(page.customers, [&](const Customer& c) { return c.id == t.customer_id; });
    items.push_back(TicketJson(t, it == page.customers.end() ? nullptr : &*it, *cat, p));
  }
  KEFU_TRY(AddSlaSummaries(s, items));
  bj::object out{{"items", std::move(items)},
                 {"next_cursor", page.next_cursor ? bj::value(*page.next_cursor) : bj::value(nullptr)}};
  if (page.total) out["total"] = *page.total;
  return JsonResponse(200, out);
}

void AddTicketRoutes(http::Router& router, Services& s) {
  Authed(router, s, "POST", "/api/v1/tickets", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(auto body, BodyJson(r));
    const auto& o = body.get_object();
    NewTicket in;
    KEFU_ASSIGN(auto subject, json::OptString(o, "subject"));
    KEFU_ASSIGN(auto description, json::OptString(o, "description"));
    in.subject = subject.value_or("");
    in.description = description.value_or("");
    KEFU_ASSIGN(in.channel, OptEnum<Channel>(o, "channel"));
    KEFU_ASSIGN(auto customer, json::OptObject(o, "customer"));
    if (!customer) return Fail(Error::Validation("customer", "customer is required"));
    KEFU_ASSIGN(in.customer, ParseCustomer(*customer));
    KEFU_ASSIGN(in.category, json::OptString(o, "category"));
    KEFU_ASSIGN(in.severity, OptEnum<Severity>(o, "severity"));
    KEFU_ASSIGN(in.priority, OptEnum<Priority>(o, "priority"));
    KEFU_ASSIGN(in.team_id, json::OptInt(o, "team_id"));
    KEFU_ASSIGN(in.assignee_id, json::OptInt(o, "assignee_id"));
    KEFU_ASSIGN(auto tags, json::OptStringArray(o, "tags"));
    in.tags = tags.value_or(std::vector<std::string>{});
    KEFU_ASSIGN(in.source_ref, json::OptString(o, "source_ref"));
    KEFU_ASSIGN(in.follows_up, json::OptInt(o, "follows_up"));
    KEFU_ASSIGN(auto out, s.tickets.Create(p, in));
    KEFU_ASSIGN(auto cat, s.catalog.Get());
    if (!out.created) {
      // A repeated intake: answer with the earlier complaint, if the caller may see it.
      auto earlier = s.tickets.Get(p, out.ticket.id);
      if (!earlier) return Fail(Error::Conflict("source_ref was already used by another complaint", "source_ref"));
      return JsonResponse(200, TicketJson(earlier->ticket, &earlier->customer, *cat, p, &earlier->handoffs));
    }
    std::vector<Handoff> none;
    return JsonResponse(201, TicketJson(out.ticket, &out.customer, *cat, p, &none));
  });

  Authed(router, s, "GET", "/api/v1/tickets", [&s](http::Request& r, const Principal& p) {
    return TicketList(s, r, p, TicketQuery{});
  });

  Authed(router, s, "GET", "/api/v1/tickets/{id}", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(Id id, PathId(r));
    KEFU_ASSIGN(auto detail, s.tickets.Get(p, id));
    KEFU_ASSIGN(auto cat, s.catalog.Get());
    bj::object o = TicketDetailJson(detail, *cat, p);
    o["sla"] = SlaLevelsJson(s, id);
    return JsonResponse(200, o);
  });

  // Returns the complaint as GET shows it, after a change.
  auto detail = [&s](const Principal& p, Id id, int status) -> Result<http::Response> {
    KEFU_ASSIGN(auto d, s.tickets.Get(p, id));
    KEFU_ASSIGN(auto cat, s.catalog.Get());
    bj::object o = TicketDetailJson(d, *cat, p);
    o["sla"] = SlaLevelsJson(s, id);
    return JsonResponse(status, o);
  };

  Authed(router, s, "PATCH", "/api/v1/tickets/{id}", [&s, detail](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(Id id, PathId(r));
    KEFU_ASSIGN(auto body, BodyJson(r));
    const auto& o = body.get_object();
    TicketPatch patch;
    KEFU_ASSIGN(patch.subject, json::OptString(o, "subject"));
    if (json::Has(o, "category")) {
      KEFU_ASSIGN(auto c, json::OptString(o, "category"));
      patch.category = c;
    }
    KEFU_ASSIGN(patch.severity, OptEnum<Severity>(o, "severity"));
    KEFU_ASSIGN(patch.priority, OptEnum<Priority>(o, "priority"));
    KEFU_ASSIGN(patch.team_id, NullableId(o, "team_id"));
    KEFU_ASSIGN(patch.assignee_id, NullableId(o, "assignee_id"));
    KEFU_ASSIGN(patch.tags, json::OptStringArray(o, "tags"));
    KEFU_ASSIGN(patch.collaborator_ids, json::OptIntArray(o, "collaborator_ids"));
    KEFU_TRY(s.tickets.Update(p, id, patch));
    return detail(p, id, 200);
  });

  Authed(router, s, "POST", "/api/v1/tickets/{id}/transitions",
         [&s, detail](http::Request& r, const Principal& p) -> Result<http::Response> {
           KEFU_ASSIGN(Id id, PathId(r));
           KEFU_ASSIGN(auto body, BodyJson(r));
           const auto& o = body.get_object();
           KEFU_ASSIGN(auto state_id, json::OptInt(o, "state_id"));
           KEFU_ASSIGN(auto type, OptEnum<StateType>(o, "state"));
           KEFU_TRY(s.tickets.Transition(p, id, state_id, type));
           return detail(p, id, 200);
         });

  Authed(router, s, "POST", "/api/v1/tickets/{id}/messages", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(Id id, PathId(r));
    KEFU_ASSIGN(auto body, BodyJson(r));
    const auto& o = body.get_object();
    NewMessage m;
    KEFU_ASSIGN(auto kind, OptEnum<MessageKind>(o, "kind"));
    if (!kind) return Fail(Error::Validation("kind", "kind is required: reply|note|call"));
    m.kind = *kind;
    KEFU_ASSIGN(auto author, OptEnum<AuthorKind>(o, "author_kind"));
    m.author_kind = author.value_or(AuthorKind::kAgent);
    KEFU_ASSIGN(auto text, json::OptString(o, "body"));
    m.body = text.value_or("");
    KEFU_ASSIGN(m.channel, OptEnum<Channel>(o, "channel"));
    KEFU_ASSIGN(m.call_direction, OptEnum<CallDirection>(o, "call_direction"));
    KEFU_ASSIGN(m.call_duration_seconds, json::OptInt(o, "call_duration_seconds"));
    KEFU_ASSIGN(auto out, s.tickets.AddMessage(p, id, m));
    KEFU_ASSIGN(auto cat, s.catalog.Get());
    bj::object j = MessageJson(out.message, *cat);
    j["new_ticket"] = out.new_ticket;
    j["ticket_number"] = out.ticket.number;
    return Created(j);
  });

  Authed(router, s, "POST", "/api/v1/tickets/{id}/handoffs", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(Id id, PathId(r));
    KEFU_ASSIGN(auto body, BodyJson(r));
    const auto& o = body.get_object();
    NewHandoff h;
    KEFU_ASSIGN(auto dep, json::OptString(o, "department"));
    if (!dep) return Fail(Error::Validation("department", "department is required"));
    h.department = *dep;
    KEFU_ASSIGN(auto q, json::OptString(o, "question"));
    h.question = q.value_or("");
    KEFU_ASSIGN(auto due, json::OptString(o, "due_at"));
    if (due) {
      h.due_at = ParseRfc3339(*due);
      if (!h.due_at) return Fail(Error::Validation("due_at", "due_at must be an RFC 3339 time"));
    }
    KEFU_ASSIGN(h.owner_id, json::OptInt(o, "owner_id"));
    KEFU_ASSIGN(auto out, s.tickets.CreateHandoff(p, id, h));
    KEFU_ASSIGN(auto cat, s.catalog.Get());
    return Created(HandoffJson(out, *cat));
  });

  Authed(router, s, "GET", "/api/v1/handoffs", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    HandoffQuery q;
    KEFU_ASSIGN(q.state, QueryEnum<HandoffState>(r, "state"));
    KEFU_ASSIGN(auto cat, s.catalog.Get());
    if (auto d = r.Query("department"); d && !d->empty()) {
      auto* dep = cat->DepartmentByKey(*d);
      if (!dep) return Fail(Error::Validation("department", "unknown department " + *d));
      q.department_id = dep->id;
    }
    KEFU_ASSIGN(auto list, s.tickets.ListHandoffs(p, q));
    bj::array items;
    for (const auto& item : list) {
      bj::object j = HandoffJson(item.handoff, *cat);
      j["ticket_number"] = item.ticket_number;
      j["ticket_subject"] = item.ticket_subject;
      items.push_back(std::move(j));
    }
    return JsonResponse(200, bj::object{{"items", items}, {"next_cursor", nullptr}});
  });

  Authed(router, s, "POST", "/api/v1/handoffs/{id}/answer", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(Id id, PathId(r));
    KEFU_ASSIGN(auto body, BodyJson(r));
    KEFU_ASSIGN(auto answer, json::OptString(body.get_object(), "answer"));
    KEFU_ASSIGN(auto h, s.tickets.AnswerHandoff(p, id, answer.value_or("")));
    KEFU_ASSIGN(auto cat, s.catalog.Get());
    return JsonResponse(200, HandoffJson(h, *cat));
  });

  Authed(router, s, "POST", "/api/v1/tickets/{id}/links", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(Id id, PathId(r));
    KEFU_ASSIGN(auto body, BodyJson(r));
    const auto& o = body.get_object();
    KEFU_ASSIGN(auto kind, OptEnum<LinkKind>(o, "kind"));
    KEFU_ASSIGN(auto other, json::OptInt(o, "ticket_id"));
    if (!kind) return Fail(Error::Validation("kind", "kind is required: " + AllowedNames<LinkKind>()));
    if (!other) return Fail(Error::Validation("ticket_id", "ticket_id is required"));
    KEFU_ASSIGN(auto link, s.tickets.Link(p, id, *other, *kind));
    return Created(bj::object{{"id", link.id}, {"kind", Name(link.kind)}, {"ticket_id", link.other_id},
                              {"created_at", Time(link.created_at)}});
  });

  Authed(router, s, "DELETE", "/api/v1/tickets/{id}/links/{link_id}",
         [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
           KEFU_ASSIGN(Id id, PathId(r));
           KEFU_ASSIGN(Id link_id, PathId(r, "link_id"));
           KEFU_TRY(s.tickets.Unlink(p, id, link_id));
           http::Response res;
           res.status = 204;
           res.content_type.clear();
           return res;
         });

  Authed(router, s, "POST", "/api/v1/tickets/{id}/merge", [&s, detail](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(Id id, PathId(r));
    KEFU_ASSIGN(auto body, BodyJson(r));
    KEFU_ASSIGN(auto into, json::OptInt(body.get_object(), "into_id"));
    if (!into) return Fail(Error::Validation("into_id", "into_id is required"));
    KEFU_TRY(s.tickets.Merge(p, id, *into));
    return detail(p, id, 200);
  });

  Authed(router, s, "GET", "/api/v1/states", [&s](http::Request&, const Principal&) -> Result<http::Response> {
    KEFU_ASSIGN(auto cat, s.catalog.Get());
    bj::array items;
    for (const auto& st : cat->states) items.push_back(StateJson(st));
    return JsonResponse(200, bj::object{{"items", items}, {"next_cursor", nullptr}});
  });
}

}  // namespace kefu::api
