#include "outbox/transport.h"

#include <curl/curl.h>

#include <atomic>
#include <cstring>
#include <mutex>

#include <sys/socket.h>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "outbox/address.h"

namespace kefu::outbox {

namespace bj = boost::json;

namespace {

constexpr size_t kMaxReply = 64 * 1024;

struct Easy {
  CURL* h = curl_easy_init();
  curl_slist* list = nullptr;
  ~Easy() {
    if (list) curl_slist_free_all(list);
    if (h) curl_easy_cleanup(h);
  }
};

size_t KeepReply(char* data, size_t size, size_t n, void* out) {
  auto* reply = static_cast<std::string*>(out);
  size_t len = size * n;
  if (reply->size() < kMaxReply) reply->append(data, std::min(len, kMaxReply - reply->size()));
  return len;
}

struct Upload {
  const std::string* data;
  size_t offset = 0;
};

size_t ReadUpload(char* buffer, size_t size, size_t n, void* in) {
  auto* up = static_cast<Upload*>(in);
  size_t len = std::min(size * n, up->data->size() - up->offset);
  std::memcpy(buffer, up->data->data() + up->offset, len);
  up->offset += len;
  return len;
}

// Opens the socket curl is about to connect, unless the address is internal
// and internal targets are not allowed; then it records the refusal.
struct SocketGate {
  bool allow_internal = false;
  bool refused = false;
};

curl_socket_t OpenCheckedSocket(void* gate, curlsocktype, curl_sockaddr* address) {
  auto* g = static_cast<SocketGate*>(gate);
  if (!g->allow_internal && IsInternalAddress(&address->addr)) {
    g->refused = true;
    return CURL_SOCKET_BAD;
  }
  return ::socket(address->family, address->socktype, address->protocol);
}

int Progress(void* cancelled, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<std::atomic<bool>*>(cancelled)->load() ? 1 : 0;
}

// The robots' own verdict in a 200 answer: {"errcode":0} (WeCom, DingTalk),
// {"code":0} or {"StatusCode":0} (Feishu).
std::string RobotError(const std::string& reply) {
  boost::system::error_code ec;
  bj::value v = bj::parse(reply, ec);
  if (ec || !v.is_object()) return "";
  const auto& o = v.as_object();
  for (const char* key : {"errcode", "code", "StatusCode"}) {
    auto it = o.find(key);
    if (it == o.end() || !it->value().is_int64()) continue;
    if (it->value().as_int64() == 0) return "";
    std::string msg;
    for (const char* mkey : {"errmsg", "msg", "StatusMessage"})
      if (auto m = o.find(mkey); m != o.end() && m->value().is_string()) msg = std::string(m->value().as_string());
    if (msg.size() > 200) msg.resize(200);
    return fmt::format("robot answered {} {}: {}", key, it->value().as_int64(), msg);
  }
  return "";
}

class CurlTransport final : public Transport {
 public:
  explicit CurlTransport(TransportOptions o) : o_(std::move(o)) {}

  Outcome Post(const HttpPost& request) override {
    Easy e;
    if (!e.h) return {false, false, false, "cannot start libcurl"};
    std::string reply;
    for (const auto& [name, value] : request.headers) e.list = curl_slist_append(e.list, (name + ": " + value).c_str());
    e.list = curl_slist_append(e.list, "Expect:");
    Common(e.h);
    curl_easy_setopt(e.h, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(e.h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e.h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e.h, CURLOPT_HTTPHEADER, e.list);
    curl_easy_setopt(e.h, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(e.h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(e.h, CURLOPT_WRITEFUNCTION, KeepReply);
    curl_easy_setopt(e.h, CURLOPT_WRITEDATA, &reply);
    SocketGate gate{o_.private_targets, false};
    curl_easy_setopt(e.h, CURLOPT_OPENSOCKETFUNCTION, OpenCheckedSocket);
    curl_easy_setopt(e.h, CURLOPT_OPENSOCKETDATA, &gate);
    CURLcode rc = curl_easy_perform(e.h);
    std::string where = RedactUrl(request.url);
    if (rc != CURLE_OK && gate.refused)
      return {false, true, false,
              fmt::format("refused: {} is on a loopback, private or link-local address (allow with [outbox] "
                          "private_targets)",
                          where)};
    if (rc != CURLE_OK) return Failed(rc, where);
    long status = 0;
    curl_easy_getinfo(e.h, CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status > 299) {
      bool retry = status == 408 || status == 429 || status >= 500;
      return {false, !retry, false, fmt::format("HTTP {} from {}", status, where)};
    }
    if (request.robot_reply) {
      std::string err = RobotError(reply);
      if (!err.empty()) return {false, false, false, fmt::format("{} ({})", err, where)};
    }
    return {true, false, false, ""};
  }

  Outcome Send(const Email& mail) override {
    if (o_.smtp.url.empty()) return {false, false, false, "SMTP is not configured ([smtp] url)"};
    Easy e;
    if (!e.h) return {false, false, false, "cannot start libcurl"};
    Upload up{&mail.data};
    std::string from = "<" + mail.from + ">";
    e.list = curl_slist_append(e.list, ("<" + mail.to + ">").c_str());
    Common(e.h);
    curl_easy_setopt(e.h, CURLOPT_URL, o_.smtp.url.c_str());
    curl_easy_setopt(e.h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    if (o_.smtp.starttls) curl_easy_setopt(e.h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    if (!o_.smtp.username.empty()) {
      curl_easy_setopt(e.h, CURLOPT_USERNAME, o_.smtp.username.c_str());
      curl_easy_setopt(e.h, CURLOPT_PASSWORD, o_.smtp.password.c_str());
    }
    curl_easy_setopt(e.h, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(e.h, CURLOPT_MAIL_RCPT, e.list);
    curl_easy_setopt(e.h, CURLOPT_READFUNCTION, ReadUpload);
    curl_easy_setopt(e.h, CURLOPT_READDATA, &up);
    curl_easy_setopt(e.h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(e.h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(mail.data.size()));
    CURLcode rc = curl_easy_perform(e.h);
    if (rc == CURLE_OK) return {true, false, false, ""};
    long code = 0;
    curl_easy_getinfo(e.h, CURLINFO_RESPONSE_CODE, &code);
    Outcome out = Failed(rc, RedactUrl(o_.smtp.url));
    if (code >= 500 && code < 600 && rc != CURLE_LOGIN_DENIED) out.permanent = true;  // 5xx: the server refuses the mail
    if (code) out.error += fmt::format(" (SMTP {})", code);
    return out;
  }

  void Cancel() override { cancelled_ = true; }

 private:
  void Common(CURL* h) {
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o_.connect_timeout_ms));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(o_.timeout_ms));
    curl_easy_setopt(h, CURLOPT_USERAGENT, "kefu-outbox/1");
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, Progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, &cancelled_);
  }

  Outcome Failed(CURLcode rc, const std::string& where) const {
    Outcome out{false, false, rc == CURLE_ABORTED_BY_CALLBACK, fmt::format("{} ({})", curl_easy_strerror(rc), where)};
    // A URL that curl cannot use will not work next time either.
    out.permanent = rc == CURLE_UNSUPPORTED_PROTOCOL || rc == CURLE_URL_MALFORMAT;
    return out;
  }

  TransportOptions o_;
  std::atomic<bool> cancelled_{false};
};

}  // namespace

std::unique_ptr<Transport> MakeCurlTransport(TransportOptions options) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  return std::make_unique<CurlTransport>(std::move(options));
}

}  // namespace kefu::outbox
