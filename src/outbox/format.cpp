#include "outbox/format.h"

#include <sodium.h>

#include <cctype>
#include <ctime>

#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <fmt/format.h>

#include "core/json.h"

namespace kefu::outbox {

namespace bj = boost::json;

namespace {

constexpr std::string_view kJson = "application/json; charset=utf-8";

// Header values we build from our own data; anything but printable ASCII
// becomes '_' so that no value can start a header of its own.
std::string HeaderSafe(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) c = '_';
  return out;
}

std::vector<std::pair<std::string, std::string>> BaseHeaders(const Message& m, Id delivery_id) {
  return {{"Content-Type", std::string(kJson)},
          {"X-Kefu-Delivery", std::to_string(delivery_id)},
          {"X-Kefu-Event", HeaderSafe(m.event_key)}};
}

std::string PlainText(const Message& m) { return m.body.empty() ? m.title : m.title + "\n" + m.body; }

std::string Seconds(Millis now) { return std::to_string(now / 1000); }

std::string WithQuery(const std::string& url, const std::string& query) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + query;
}

// One UTF-8 character's length from its lead byte (1 for stray bytes).
size_t CharLength(unsigned char lead) {
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  if (lead >= 0xc0) return 2;
  return 1;
}

std::string CrLf(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += "\r\n";
    } else if (text[i] == '\n') {
      out += "\r\n";
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string AddressDomain(const std::string& address) {
  auto at = address.rfind('@');
  std::string domain = at == std::string::npos ? "" : address.substr(at + 1);
  return domain.empty() ? "kefu.invalid" : HeaderSafe(domain);
}

}  // namespace

std::string EncodePayload(const Message& m) {
  return bj::serialize(bj::object{{"event_key", m.event_key},
                                  {"kind", m.kind},
                                  {"ticket_id", m.ticket_id ? bj::value(*m.ticket_id) : bj::value(nullptr)},
                                  {"title", m.title},
                                  {"body", m.body},
                                  {"created_at", m.created_at}});
}

Result<Message> DecodePayload(std::string_view text) {
  KEFU_ASSIGN(auto v, json::ParseDocument(text));
  KEFU_ASSIGN(const bj::object* o, json::AsObject(v, "payload"));
  Message m;
  KEFU_ASSIGN(auto key, json::OptString(*o, "event_key"));
  KEFU_ASSIGN(auto kind, json::OptString(*o, "kind"));
  KEFU_ASSIGN(auto title, json::OptString(*o, "title"));
  KEFU_ASSIGN(auto body, json::OptString(*o, "body"));
  KEFU_ASSIGN(m.ticket_id, json::OptInt(*o, "ticket_id"));
  KEFU_ASSIGN(auto created, json::OptInt(*o, "created_at"));
  m.event_key = key.value_or("");
  m.kind = kind.value_or("");
  m.title = title.value_or("");
  m.body = body.value_or("");
  m.created_at = created.value_or(0);
  return m;
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  std::string out(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_final(&st, reinterpret_cast<unsigned char*>(out.data()));
  sodium_memzero(&st, sizeof st);
  return out;
}

std::string Base64(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::string Hex(std::string_view bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  out.resize(out.size() - 1);
  return out;
}

std::string PercentEncode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') out += static_cast<char>(c);
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::string EncodeHeaderText(std::string_view utf8) {
  bool plain = utf8.find("=?") == std::string_view::npos;
  for (unsigned char c : utf8)
    if (c < 0x20 || c > 0x7e) plain = false;
  if (plain) return std::string(utf8);
  // Controls would survive decoding; make them spaces first.
  std::string text(utf8);
  for (char& c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  // "=?UTF-8?B?" + base64 + "?=" stays within 75 characters with at most 45
  // bytes (60 base64 characters) per word.
  constexpr size_t kMaxBytes = 45;
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t end = i;
    while (end < text.size()) {
      size_t len = CharLength(static_cast<unsigned char>(text[end]));
      if (end + len - i > kMaxBytes) break;
      end += len;
    }
    if (end == i) end = std::min(text.size(), i + kMaxBytes);  // a malformed run longer than a word
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(std::string_view(text).substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string Rfc5322Date(Millis t) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t secs = static_cast<std::time_t>(t / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} +0000", kDays[tm.tm_wday], tm.tm_mday, kMonths[tm.tm_mon],
                     tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string RedactUrl(std::string_view url) {
  auto u = boost::urls::parse_uri(url);
  if (!u) return "(invalid URL)";
  std::string out = std::string(u->scheme()) + "://" + std::string(u->encoded_host());
  if (u->has_port()) out += ":" + std::string(u->port());
  return out;
}

HttpPost WeComMarkdown(const std::string& url, const Message& m, Id delivery_id) {
  std::string content = "**" + m.title + "**";
  if (!m.body.empty()) content += "\n" + m.body;
  return HttpPost{url, BaseHeaders(m, delivery_id),
                  bj::serialize(bj::object{{"msgtype", "markdown"}, {"markdown", bj::object{{"content", content}}}}),
                  true};
}

HttpPost WeComText(const std::string& url, const Message& m, Id delivery_id) {
  return HttpPost{url, BaseHeaders(m, delivery_id),
                  bj::serialize(bj::object{{"msgtype", "text"}, {"text", bj::object{{"content", PlainText(m)}}}}), true};
}

HttpPost DingTalk(const std::string& url, const std::optional<std::string>& secret, const Message& m, Id delivery_id,
                  Millis now) {
  std::string target = url;
  if (secret && !secret->empty()) {
    std::string timestamp = std::to_string(now);
    std::string sign = Base64(HmacSha256(*secret, timestamp + "\n" + *secret));
    target = WithQuery(url, "timestamp=" + timestamp + "&sign=" + PercentEncode(sign));
  }
  std::string text = "#### " + m.title;
  if (!m.body.empty()) text += "\n\n" + m.body;
  return HttpPost{target, BaseHeaders(m, delivery_id),
                  bj::serialize(bj::object{{"msgtype", "markdown"},
                                           {"markdown", bj::object{{"title", m.title}, {"text", text}}}}),
                  true};
}

HttpPost Feishu(const std::string& url, const std::optional<std::string>& secret, const Message& m, Id delivery_id,
                Millis now) {
  bj::object body;
  if (secret && !secret->empty()) {
    std::string timestamp = Seconds(now);
    body["timestamp"] = timestamp;
    body["sign"] = Base64(HmacSha256(timestamp + "\n" + *secret, ""));
  }
  body["msg_type"] = "text";
  body["content"] = bj::object{{"text", PlainText(m)}};
  return HttpPost{url, BaseHeaders(m, delivery_id), bj::serialize(body), true};
}

HttpPost Webhook(const std::string& url, const std::optional<std::string>& secret, const Message& m, Id delivery_id,
                 Millis now) {
  std::string body = bj::serialize(bj::object{{"delivery_id", delivery_id},
                                              {"event_key", m.event_key},
                                              {"kind", m.kind},
                                              {"title", m.title},
                                              {"body", m.body},
                                              {"ticket_id", m.ticket_id ? bj::value(*m.ticket_id) : bj::value(nullptr)},
                                              {"created_at", FormatRfc3339(m.created_at)}});
  HttpPost post{url, BaseHeaders(m, delivery_id), std::move(body), false};
  if (secret && !secret->empty()) {
    std::string timestamp = Seconds(now);
    post.headers.emplace_back("X-Kefu-Timestamp", timestamp);
    post.headers.emplace_back("X-Kefu-Signature", "sha256=" + Hex(HmacSha256(*secret, timestamp + "." + post.body)));
  }
  return post;
}

Email MailMessage(const std::string& from, const std::string& to, const Message& m, Id delivery_id, Millis now) {
  std::string data;
  data += "From: kefu <" + HeaderSafe(from) + ">\r\n";
  data += "To: <" + HeaderSafe(to) + ">\r\n";
  data += "Subject: " + EncodeHeaderText(m.title) + "\r\n";
  data += "Date: " + Rfc5322Date(now) + "\r\n";
  data += fmt::format("Message-ID: <kefu.outbox.{}@{}>\r\n", delivery_id, AddressDomain(from));
  data += fmt::format("X-Kefu-Delivery: {}\r\n", delivery_id);
  data += "X-Kefu-Event: " + HeaderSafe(m.event_key) + "\r\n";
  data += "MIME-Version: 1.0\r\n";
  data += "Content-Type: text/plain; charset=UTF-8\r\n";
  data += "Content-Transfer-Encoding: base64\r\n";
  data += "\r\n";
  std::string text = m.title + "\n\n" + m.body + "\n";
  std::string encoded = Base64(CrLf(text));
  for (size_t i = 0; i < encoded.size(); i += 76) data += encoded.substr(i, 76) + "\r\n";
  return Email{from, to, std::move(data)};
}

Result<Rendered> Render(const NotificationChannel& channel, const Message& m, Id delivery_id, Millis now,
                        const std::string& mail_from) {
  switch (channel.kind) {
    case ChannelKind::kEmail:
      if (mail_from.empty()) return Fail(Error::Validation("smtp.from", "no sender address: set [smtp] from"));
      return MailMessage(mail_from, channel.target, m, delivery_id, now);
    case ChannelKind::kWecom: return WeComMarkdown(channel.target, m, delivery_id);
    case ChannelKind::kDingtalk: return DingTalk(channel.target, channel.secret, m, delivery_id, now);
    case ChannelKind::kFeishu: return Feishu(channel.target, channel.secret, m, delivery_id, now);
    case ChannelKind::kWebhook: return Webhook(channel.target, channel.secret, m, delivery_id, now);
  }
  return Fail(Error::Internal("unknown channel kind"));
}

}  // namespace kefu::outbox
