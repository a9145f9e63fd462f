// Notification channels (/api/v1/me/channels, /api/v1/teams/{id}/channels)
// and the delivery log (/api/v1/outbox). Secrets are write-only: responses
// say has_secret, and robot URLs are shown by host and last characters.
#include <charconv>
#include <memory>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "api/context.h"
#include "api/serialize.h"
#include "core/json.h"
#include "outbox/channels.h"

namespace kefu::api {

namespace bj = boost::json;

namespace {

bj::object ChannelJson(const NotificationChannel& c) {
  bj::array kinds;
  for (const auto& k : c.kinds) kinds.emplace_back(k);
  return bj::object{{"id", c.id},
                    {"owner_kind", Name(c.owner_kind)},
                    {"owner_id", c.owner_id},
                    {"kind", Name(c.kind)},
                    {"name", c.name},
                    {"target", outbox::TargetHint(c)},
                    {"has_secret", c.secret.has_value()},
                    {"kinds", std::move(kinds)},
                    {"enabled", c.enabled},
                    {"created_at", Time(c.created_at)},
                    {"updated_at", Time(c.updated_at)}};
}

bj::object DeliveryJson(const OutboxEntry& e) {
  bj::object o{{"id", e.id},
               {"event_key", e.event_key},
               {"channel_id", e.channel_id},
               {"state", Name(e.state)},
               {"attempts", e.attempts},
               {"next_attempt_at", e.state == DeliveryState::kPending || e.state == DeliveryState::kFailed
                                       ? Time(e.next_attempt_at)
                                       : bj::value(nullptr)},
               {"last_error", e.last_error},
               {"created_at", Time(e.created_at)},
               {"delivered_at", Time(e.delivered_at)}};
  if (auto m = outbox::DecodePayload(e.payload)) {
    o["kind"] = m->kind;
    o["title"] = m->title;
    o["ticket_id"] = OptId(m->ticket_id);
  }
  return o;
}

Result<outbox::ChannelInput> ReadInput(const http::Request& r) {
  KEFU_ASSIGN(auto body, BodyJson(r));
  const bj::object& o = body.as_object();
  outbox::ChannelInput in;
  KEFU_ASSIGN(in.kind, json::OptString(o, "kind"));
  KEFU_ASSIGN(in.name, json::OptString(o, "name"));
  KEFU_ASSIGN(in.target, json::OptString(o, "target"));
  KEFU_ASSIGN(in.secret, json::OptString(o, "secret"));
  if (json::IsNull(o, "secret")) in.secret = std::string();  // null removes it
  KEFU_ASSIGN(in.kinds, json::OptStringArray(o, "kinds"));
  KEFU_ASSIGN(in.enabled, json::OptBool(o, "enabled"));
  return in;
}

http::Response Listed(const std::vector<NotificationChannel>& channels) {
  bj::array items;
  for (const auto& c : channels) items.push_back(ChannelJson(c));
  return JsonResponse(200, bj::object{{"items", std::move(items)}});
}

http::Response Queued(const OutboxEntry& e) { return JsonResponse(202, DeliveryJson(e)); }

http::Response Deleted() {
  http::Response res;
  res.status = 204;
  res.content_type.clear();
  return res;
}

// The routes of one owner kind: `prefix` is "/api/v1/me/channels" or
// "/api/v1/teams/{id}/channels"; `owner` reads the owner from the request.
void AddChannelRoutes(http::Router& router, Services& s, std::shared_ptr<outbox::ChannelService> svc,
                      const std::string& prefix, const std::string& item_param,
                      std::function<Result<outbox::ChannelRef>(const http::Request&, const Principal&)> owner) {
  Authed(router, s, "GET", prefix, [svc, owner](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(auto ref, owner(r, p));
    KEFU_ASSIGN(auto list, svc->List(p, ref));
    return Listed(list);
  });
  Authed(router, s, "POST", prefix, [svc, owner](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(auto ref, owner(r, p));
    KEFU_ASSIGN(auto in, ReadInput(r));
    KEFU_ASSIGN(auto c, svc->Create(p, ref, in));
    return JsonResponse(201, ChannelJson(c));
  });
  std::string item = prefix + "/{" + item_param + "}";
  Authed(router, s, "PATCH", item, [svc, owner, item_param](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(auto ref, owner(r, p));
    KEFU_ASSIGN(Id id, PathId(r, item_param));
    KEFU_ASSIGN(auto in, ReadInput(r));
    KEFU_ASSIGN(auto c, svc->Update(p, ref, id, in));
    return JsonResponse(200, ChannelJson(c));
  });
  Authed(router, s, "DELETE", item, [svc, owner, item_param](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(auto ref, owner(r, p));
    KEFU_ASSIGN(Id id, PathId(r, item_param));
    KEFU_TRY(svc->Delete(p, ref, id));
    return Deleted();
  });
  Authed(router, s, "POST", item + "/test",
         [svc, owner, item_param](http::Request& r, const Principal& p) -> Result<http::Response> {
           KEFU_ASSIGN(auto ref, owner(r, p));
           KEFU_ASSIGN(Id id, PathId(r, item_param));
           KEFU_ASSIGN(auto e, svc->SendTest(p, ref, id));
           return Queued(e);
         });
}

Result<std::optional<std::int64_t>> PositiveQuery(const http::Request& r, const char* name, std::int64_t max) {
  auto v = r.Query(name);
  if (!v || v->empty()) return std::optional<std::int64_t>();
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || end != v->data() + v->size() || n < 1 || n > max)
    return Fail(Error::Validation(name, fmt::format("{} must be a whole number 1–{}", name, max)));
  return std::optional<std::int64_t>(n);
}

}  // namespace

void AddNotifyRoutes(http::Router& router, Services& s) {
  auto svc = std::make_shared<outbox::ChannelService>(s.store, s.clock);
  AddChannelRoutes(router, s, svc, "/api/v1/me/channels", "id",
                   [](const http::Request&, const Principal& p) -> Result<outbox::ChannelRef> {
                     return outbox::ChannelRef{ChannelOwner::kUser, p.user.id};
                   });
  AddChannelRoutes(router, s, svc, "/api/v1/teams/{id}/channels", "channel_id",
                   [](const http::Request& r, const Principal&) -> Result<outbox::ChannelRef> {
                     KEFU_ASSIGN(Id team, PathId(r));
                     return outbox::ChannelRef{ChannelOwner::kTeam, team};
                   });
  Authed(router, s, "GET", "/api/v1/outbox", [svc](http::Request& r, const Principal& p) -> Result<http::Response> {
    OutboxQuery q;
    if (auto state = r.Query("state"); state && !state->empty()) {
      q.state = Parse<DeliveryState>(*state);
      if (!q.state) return Fail(Error::Validation("state", "state must be one of " + AllowedNames<DeliveryState>()));
    }
    KEFU_ASSIGN(q.channel_id, PositiveQuery(r, "channel_id", INT64_MAX));
    KEFU_ASSIGN(q.before_id, PositiveQuery(r, "before", INT64_MAX));
    KEFU_ASSIGN(auto limit, PositiveQuery(r, "limit", 500));
    q.limit = static_cast<int>(limit.value_or(100));
    KEFU_ASSIGN(auto rows, svc->Log(p, q));
    bj::array items;
    for (const auto& e : rows) items.push_back(DeliveryJson(e));
    return JsonResponse(200, bj::object{{"items", std::move(items)}});
  });
}

}  // namespace kefu::api
