// Records of notifications beyond the in-app inbox: the channels a user or a
// team chose (email, group-chat robots, a signed webhook) and the outbox of
// deliveries, written in the same transaction as the change that caused them
// and delivered by outbox/ (docs/notifications.md). Plain data.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "domain/types.h"

namespace kefu {

// Who owns a channel: a user (their own email, their own robot) or a team
// (the team's group chat: one message per event, not one per member).
enum class ChannelOwner { kUser, kTeam };
// How a channel is reached. wecom = 企业微信 group robot, dingtalk = 钉钉
// custom robot, feishu = 飞书/Lark custom bot, webhook = generic JSON POST
// signed with HMAC-SHA256.
enum class ChannelKind { kEmail, kWecom, kDingtalk, kFeishu, kWebhook };
// pending: not tried yet; failed: tried, will be retried at next_attempt_at;
// delivered: accepted by the receiver; dead: given up (attempts exhausted, a
// permanent error, or the channel was deleted).
enum class DeliveryState { kPending, kDelivered, kFailed, kDead };

template <>
struct EnumNames<ChannelOwner> {
  static constexpr std::array kNames = {"user", "team"};
};
template <>
struct EnumNames<ChannelKind> {
  static constexpr std::array kNames = {"email", "wecom", "dingtalk", "feishu", "webhook"};
};
template <>
struct EnumNames<DeliveryState> {
  static constexpr std::array kNames = {"pending", "delivered", "failed", "dead"};
};

struct NotificationChannel {
  Id id = 0;
  ChannelOwner owner_kind = ChannelOwner::kUser;
  Id owner_id = 0;
  ChannelKind kind = ChannelKind::kEmail;
  std::string name;                   // a label for people: "值班群", "my mail"
  std::string target;                 // email address, or the robot / webhook URL
  std::optional<std::string> secret;  // signing secret; write-only through the API, never logged
  std::vector<std::string> kinds;     // notification kinds wanted; empty = all
  bool enabled = true;
  Millis created_at = 0;
  Millis updated_at = 0;

  // Whether a notification of `kind` goes to this channel.
  bool Wants(std::string_view notification_kind) const {
    return enabled && (kinds.empty() || std::ranges::find(kinds, notification_kind) != kinds.end());
  }
};

// One message for one channel. `payload` is the message as JSON (kind, title,
// body, ticket_id, event_key, created_at); it is rendered for the channel at
// delivery time, because robot signatures carry the time of sending.
struct OutboxEntry {
  Id id = 0;
  std::string event_key;  // unique with channel_id: an event is enqueued once per channel
  Id channel_id = 0;
  std::string payload;
  DeliveryState state = DeliveryState::kPending;
  int attempts = 0;
  Millis next_attempt_at = 0;
  std::string last_error;  // never holds a secret or a full robot URL
  Millis created_at = 0;
  std::optional<Millis> delivered_at;
};

struct OutboxQuery {
  std::optional<DeliveryState> state;
  std::optional<Id> channel_id;
  std::optional<Id> before_id;  // newest first; ids < before_id
  int limit = 100;
};

}  // namespace kefu
