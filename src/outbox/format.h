// Rendering one outbox message for one channel: the exact HTTP request a
// group-chat robot or webhook receives, or the RFC 5322 email. Pure functions
// of (channel, message, delivery id, time of sending): no I/O, no clock.
//
//   auto msg = DecodePayload(entry.payload);
//   auto req = Render(channel, *msg, entry.id, clock.Now(), "kefu@example.com");
//   // std::get<HttpPost>(*req) or std::get<Email>(*req), then a Transport sends it.
//
// Every request carries the delivery id (the outbox row id) in an
// X-Kefu-Delivery header, and every email in its Message-ID, so a receiver
// can drop a message it has already seen (docs/notifications.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/error.h"
#include "domain/outbox_types.h"

namespace kefu::outbox {

// A notification as enqueued: the outbox payload, decoded.
struct Message {
  std::string event_key;
  std::string kind;  // red_case, risk_alert, assigned, rule, test, …
  std::optional<Id> ticket_id;
  std::string title;
  std::string body;
  Millis created_at = 0;
};

std::string EncodePayload(const Message& m);
Result<Message> DecodePayload(std::string_view json);

struct HttpPost {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // WeCom, DingTalk and Feishu answer HTTP 200 with an error code in the
  // body ({"errcode":…} / {"code":…}); check it.
  bool robot_reply = false;
};

struct Email {
  std::string from;  // envelope sender (bare address)
  std::string to;    // envelope recipient (bare address)
  std::string data;  // the whole message, CRLF line ends
};

using Rendered = std::variant<HttpPost, Email>;

// The channel's request for this message. Fails (kValidation) when the
// channel cannot be rendered, e.g. an email channel with no sender address.
Result<Rendered> Render(const NotificationChannel& channel, const Message& m, Id delivery_id, Millis now,
                        const std::string& mail_from);

// 企业微信 group robot: {"msgtype":"markdown",…} or {"msgtype":"text",…}.
HttpPost WeComMarkdown(const std::string& url, const Message& m, Id delivery_id);
HttpPost WeComText(const std::string& url, const Message& m, Id delivery_id);
// 钉钉 custom robot, markdown. With a secret the URL gets &timestamp=<ms> and
// &sign=<urlencode(base64(HMAC-SHA256(secret, timestamp + "\n" + secret)))>.
HttpPost DingTalk(const std::string& url, const std::optional<std::string>& secret, const Message& m, Id delivery_id,
                  Millis now);
// 飞书/Lark custom bot, text. With a secret the body gets "timestamp" (seconds)
// and "sign" = base64(HMAC-SHA256(key = timestamp + "\n" + secret, message = "")).
HttpPost Feishu(const std::string& url, const std::optional<std::string>& secret, const Message& m, Id delivery_id,
                Millis now);
// Generic JSON webhook. With a secret: X-Kefu-Timestamp: <seconds> and
// X-Kefu-Signature: sha256=<hex(HMAC-SHA256(secret, timestamp + "." + body))>.
HttpPost Webhook(const std::string& url, const std::optional<std::string>& secret, const Message& m, Id delivery_id,
                 Millis now);
// Plain-text UTF-8 email; Message-ID <kefu.outbox.<delivery_id>@<from domain>>.
Email MailMessage(const std::string& from, const std::string& to, const Message& m, Id delivery_id, Millis now);

// Building blocks, public for tests.
std::string HmacSha256(std::string_view key, std::string_view data);  // 32 raw bytes
std::string Base64(std::string_view bytes);
std::string Hex(std::string_view bytes);
std::string PercentEncode(std::string_view s);  // all but RFC 3986 unreserved characters
// The header text as is when it is printable ASCII, else RFC 2047 "B"
// encoded-words of UTF-8 (never splitting a character), folded with CRLF SP.
std::string EncodeHeaderText(std::string_view utf8);
std::string Rfc5322Date(Millis t);  // "Mon, 23 Nov 2026 09:11:21 +0000"
// scheme://host[:port] of a URL: what logs and errors may show of a robot
// URL, whose path or query is itself a credential.
std::string RedactUrl(std::string_view url);

}  // namespace kefu::outbox
