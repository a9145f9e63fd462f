#include "outbox/channels.h"

#include <algorithm>
#include <atomic>
#include <cctype>

#include <boost/url/parse.hpp>
#include <fmt/format.h>

#include "core/text.h"
#include "outbox/enqueue.h"

namespace kefu::outbox {

namespace {

constexpr size_t kMaxSecret = 256;
constexpr size_t kMaxKinds = 32;

bool KindNameOk(std::string_view k) {
  return !k.empty() && k.size() <= 40 &&
         std::ranges::all_of(k, [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.'; });
}

Status CheckTarget(ChannelKind kind, const std::string& target) {
  if (kind == ChannelKind::kEmail) return CheckEmailAddress("target", target);
  return CheckHttpUrl("target", target);
}

// Applies the fields of `in` to `c`, validating each.
Status Apply(NotificationChannel& c, const ChannelInput& in) {
  if (in.name) {
    KEFU_TRY(CheckText("name", *in.name, 0, 100));
    c.name = *in.name;
  }
  if (in.target) c.target = *in.target;
  if (in.secret) {
    if (in.secret->size() > kMaxSecret) return Fail(Error::Validation("secret", "secret is longer than 256 bytes"));
    KEFU_TRY(CheckText("secret", *in.secret, 0, kMaxSecret));
    if (in.secret->empty()) c.secret.reset();
    else c.secret = *in.secret;
  }
  if (in.kinds) {
    if (in.kinds->size() > kMaxKinds) return Fail(Error::Validation("kinds", "at most 32 kinds"));
    for (const auto& k : *in.kinds)
      if (!KindNameOk(k))
        return Fail(Error::Validation("kinds", "kinds are notification kinds such as red_case, risk_alert, assigned"));
    c.kinds = *in.kinds;
    std::ranges::sort(c.kinds);
    c.kinds.erase(std::unique(c.kinds.begin(), c.kinds.end()), c.kinds.end());
  }
  if (in.enabled) c.enabled = *in.enabled;
  KEFU_TRY(CheckTarget(c.kind, c.target));
  if (c.secret && (c.kind == ChannelKind::kEmail || c.kind == ChannelKind::kWecom))
    return Fail(Error::Validation("secret", fmt::format("{} channels are not signed; leave secret out", Name(c.kind))));
  return {};
}

}  // namespace

std::string TargetHint(const NotificationChannel& c) {
  if (c.kind == ChannelKind::kEmail) return c.target;
  std::string tail = c.target.size() > 4 ? c.target.substr(c.target.size() - 4) : "";
  return RedactUrl(c.target) + "/…" + tail;
}

Status CheckEmailAddress(std::string_view field, std::string_view address) {
  auto bad = [&] {
    return Fail(Error::Validation(std::string(field), "an email address such as name@example.com is required"));
  };
  if (address.size() < 3 || address.size() > 254) return bad();
  auto at = address.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == address.size()) return bad();
  std::string_view local = address.substr(0, at), domain = address.substr(at + 1);
  if (local.size() > 64) return bad();
  for (unsigned char c : local)
    if (c <= 0x20 || c >= 0x7f || std::string_view("<>()[]\\,;:@\"").find(static_cast<char>(c)) != std::string_view::npos)
      return bad();
  if (domain.front() == '.' || domain.back() == '.' || domain.find("..") != std::string_view::npos) return bad();
  for (unsigned char c : domain)
    if (!std::isalnum(c) && c != '-' && c != '.') return bad();
  return {};
}

Status CheckHttpUrl(std::string_view field, std::string_view url) {
  auto bad = [&](std::string why) { return Fail(Error::Validation(std::string(field), std::move(why))); };
  if (url.size() > 2048) return bad("the URL is longer than 2048 characters");
  auto u = boost::urls::parse_uri(url);
  if (!u) return bad("an absolute http:// or https:// URL is required");
  if (u->scheme() != "http" && u->scheme() != "https") return bad("only http:// and https:// URLs are allowed");
  if (u->encoded_host().empty()) return bad("the URL has no host");
  if (u->has_userinfo()) return bad("put credentials in secret, not in the URL");
  if (u->has_fragment()) return bad("the URL must not have a #fragment");
  return {};
}

Status ChannelService::MayManage(const Principal& p, ChannelRef owner) {
  if (owner.owner_kind == ChannelOwner::kUser) {
    KEFU_TRY(Need(p, Permission::kTicketsRead));
    if (owner.owner_id != p.user.id) return Fail(Error::Forbidden("these are another user's channels"));
    return {};
  }
  KEFU_TRY(Need(p, Permission::kTeamChannelsManage));
  bool exists = false;
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(auto teams, tx.ListTeams());
    exists = std::ranges::any_of(teams, [&](const Team& t) { return t.id == owner.owner_id; });
    return {};
  }));
  if (!exists) return Fail(Error::NotFound(fmt::format("team {} not found", owner.owner_id)));
  bool member = std::ranges::find(p.user.team_ids, owner.owner_id) != p.user.team_ids.end();
  if (p.user.role == Role::kTeamLead && !member)
    return Fail(Error::Forbidden("a team lead manages the channels of their own teams only"));
  return {};
}

Result<NotificationChannel> ChannelService::Owned(ReadTx& tx, ChannelRef owner, Id id) {
  auto c = tx.GetChannel(id);
  if (!c || c->owner_kind != owner.owner_kind || c->owner_id != owner.owner_id)
    return Fail(Error::NotFound(fmt::format("channel {} not found", id)));
  return *c;
}

Result<std::vector<NotificationChannel>> ChannelService::List(const Principal& p, ChannelRef owner) {
  KEFU_TRY(MayManage(p, owner));
  std::vector<NotificationChannel> out;
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(out, tx.ListChannels(owner.owner_kind, owner.owner_id));
    return {};
  }));
  return out;
}

Result<NotificationChannel> ChannelService::Create(const Principal& p, ChannelRef owner, const ChannelInput& in) {
  KEFU_TRY(MayManage(p, owner));
  NotificationChannel c;
  c.owner_kind = owner.owner_kind;
  c.owner_id = owner.owner_id;
  if (!in.kind) return Fail(Error::Validation("kind", "kind is required: " + AllowedNames<ChannelKind>()));
  auto kind = Parse<ChannelKind>(*in.kind);
  if (!kind) return Fail(Error::Validation("kind", "kind must be one of " + AllowedNames<ChannelKind>()));
  c.kind = *kind;
  if (!in.target) return Fail(Error::Validation("target", "target is required: an email address or a URL"));
  KEFU_TRY(Apply(c, in));
  c.created_at = c.updated_at = clock_.Now();
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    KEFU_ASSIGN(auto existing, tx.ListChannels(owner.owner_kind, owner.owner_id));
    if (existing.size() >= kMaxChannelsPerOwner)
      return Fail(Error::Conflict(fmt::format("at most {} channels each", kMaxChannelsPerOwner)));
    return tx.InsertChannel(c);
  }));
  return c;
}

Result<NotificationChannel> ChannelService::Update(const Principal& p, ChannelRef owner, Id id, const ChannelInput& in) {
  KEFU_TRY(MayManage(p, owner));
  NotificationChannel c;
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    KEFU_ASSIGN(c, Owned(tx, owner, id));
    if (in.kind && Parse<ChannelKind>(*in.kind) != c.kind)
      return Fail(Error::Validation("kind", "the kind of a channel cannot change; create another channel"));
    KEFU_TRY(Apply(c, in));
    c.updated_at = clock_.Now();
    return tx.UpdateChannel(c);
  }));
  return c;
}

Status ChannelService::Delete(const Principal& p, ChannelRef owner, Id id) {
  KEFU_TRY(MayManage(p, owner));
  return store_.Write([&](WriteTx& tx) -> Status {
    KEFU_TRY(Owned(tx, owner, id));
    return tx.DeleteChannel(id, clock_.Now());
  });
}

Result<OutboxEntry> ChannelService::SendTest(const Principal& p, ChannelRef owner, Id id) {
  static std::atomic<std::uint64_t> sequence{0};
  KEFU_TRY(MayManage(p, owner));
  OutboxEntry out;
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    KEFU_ASSIGN(auto c, Owned(tx, owner, id));
    Millis now = clock_.Now();
    Message m;
    m.event_key = fmt::format("test:{}:{}:{}", c.id, now, sequence.fetch_add(1));
    m.kind = "test";
    m.title = "kefu 测试消息 test message";
    m.body = fmt::format("{} 发送的测试消息。A test message sent by {}.", p.user.display_name, p.user.display_name);
    m.created_at = now;
    KEFU_ASSIGN(out, EnqueueForChannel(tx, c, m, now));
    return {};
  }));
  return out;
}

Result<std::vector<OutboxEntry>> ChannelService::Log(const Principal& p, const OutboxQuery& q) {
  KEFU_TRY(Need(p, Permission::kOutboxRead));
  std::vector<OutboxEntry> out;
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(out, tx.ListOutbox(q));
    return {};
  }));
  return out;
}

}  // namespace kefu::outbox
