#include "app/config.h"

#include <charconv>
#include <cstdlib>

#include <fmt/format.h>
#include <toml++/toml.h>

namespace kefu {

namespace {

template <typename T>
Status FromEnv(const char* name, T& out) {
  const char* v = std::getenv(name);
  if (!v || !*v) return {};
  if constexpr (std::is_same_v<T, std::string>) {
    out = v;
  } else if constexpr (std::is_same_v<T, bool>) {
    std::string_view s(v);
    if (s != "0" && s != "1" && s != "true" && s != "false")
      return Fail(Error::Validation(name, fmt::format("{} must be true or false", name)));
    out = s == "1" || s == "true";
  } else {
    T n{};
    auto [p, ec] = std::from_chars(v, v + std::strlen(v), n);
    if (ec != std::errc() || *p != '\0') return Fail(Error::Validation(name, fmt::format("{} must be a number", name)));
    out = n;
  }
  return {};
}

template <typename T>
void FromToml(const toml::table& t, const char* section, const char* key, T& out) {
  if constexpr (std::is_same_v<T, std::string>) {
    if (auto v = t[section][key].value<std::string>()) out = *v;
  } else if constexpr (std::is_same_v<T, bool>) {
    if (auto v = t[section][key].value<bool>()) out = *v;
  } else {
    if (auto v = t[section][key].value<std::int64_t>()) out = static_cast<T>(*v);
  }
}

}  // namespace

Result<Config> LoadConfig(const std::string& file) {
  Config c;
  if (!file.empty()) {
    toml::table t;
    try {
      t = toml::parse_file(file);
    } catch (const toml::parse_error& e) {
      return Fail(Error::Validation("config", fmt::format("{}: {}", file, e.description())));
    }
    FromToml(t, "store", "data_dir", c.data_dir);
    FromToml(t, "store", "read_connections", c.read_connections);
    FromToml(t, "server", "listen", c.listen);
    FromToml(t, "server", "web_dir", c.web_dir);
    FromToml(t, "server", "io_threads", c.io_threads);
    FromToml(t, "server", "worker_threads", c.worker_threads);
    FromToml(t, "server", "body_limit_bytes", c.body_limit_bytes);
    FromToml(t, "server", "read_timeout_seconds", c.read_timeout_seconds);
    FromToml(t, "server", "idle_timeout_seconds", c.idle_timeout_seconds);
    FromToml(t, "auth", "session_ttl_hours", c.session_ttl_hours);
    FromToml(t, "auth", "login_max_failures", c.login_max_failures);
    FromToml(t, "log", "level", c.log_level);
    FromToml(t, "smtp", "url", c.smtp_url);
    FromToml(t, "smtp", "from", c.smtp_from);
    FromToml(t, "smtp", "username", c.smtp_username);
    FromToml(t, "smtp", "password", c.smtp_password);
    FromToml(t, "smtp", "starttls", c.smtp_starttls);
    FromToml(t, "outbox", "max_attempts", c.outbox_max_attempts);
    FromToml(t, "outbox", "backoff_base_ms", c.outbox_backoff_base_ms);
    FromToml(t, "outbox", "backoff_max_ms", c.outbox_backoff_max_ms);
    FromToml(t, "outbox", "timeout_seconds", c.outbox_timeout_seconds);
    FromToml(t, "outbox", "private_targets", c.outbox_private_targets);
    FromToml(t, "outbox", "keep_days", c.outbox_keep_days);
    FromToml(t, "triage", "enabled", c.triage);
  }
  KEFU_TRY(FromEnv("KEFU_DATA", c.data_dir));
  KEFU_TRY(FromEnv("KEFU_READ_CONNECTIONS", c.read_connections));
  KEFU_TRY(FromEnv("KEFU_LISTEN", c.listen));
  KEFU_TRY(FromEnv("KEFU_WEB_DIR", c.web_dir));
  KEFU_TRY(FromEnv("KEFU_IO_THREADS", c.io_threads));
  KEFU_TRY(FromEnv("KEFU_WORKER_THREADS", c.worker_threads));
  KEFU_TRY(FromEnv("KEFU_BODY_LIMIT_BYTES", c.body_limit_bytes));
  KEFU_TRY(FromEnv("KEFU_SESSION_TTL_HOURS", c.session_ttl_hours));
  KEFU_TRY(FromEnv("KEFU_LOGIN_MAX_FAILURES", c.login_max_failures));
  KEFU_TRY(FromEnv("KEFU_LOG_LEVEL", c.log_level));
  KEFU_TRY(FromEnv("KEFU_SMTP_URL", c.smtp_url));
  KEFU_TRY(FromEnv("KEFU_SMTP_FROM", c.smtp_from));
  KEFU_TRY(FromEnv("KEFU_SMTP_USERNAME", c.smtp_username));
  KEFU_TRY(FromEnv("KEFU_SMTP_PASSWORD", c.smtp_password));
  KEFU_TRY(FromEnv("KEFU_SMTP_STARTTLS", c.smtp_starttls));
  KEFU_TRY(FromEnv("KEFU_OUTBOX_MAX_ATTEMPTS", c.outbox_max_attempts));
  KEFU_TRY(FromEnv("KEFU_OUTBOX_BACKOFF_BASE_MS", c.outbox_backoff_base_ms));
  KEFU_TRY(FromEnv("KEFU_OUTBOX_BACKOFF_MAX_MS", c.outbox_backoff_max_ms));
  KEFU_TRY(FromEnv("KEFU_OUTBOX_TIMEOUT_SECONDS", c.outbox_timeout_seconds));
  KEFU_TRY(FromEnv("KEFU_OUTBOX_PRIVATE_TARGETS", c.outbox_private_targets));
  KEFU_TRY(FromEnv("KEFU_OUTBOX_KEEP_DAYS", c.outbox_keep_days));
  KEFU_TRY(FromEnv("KEFU_TRIAGE", c.triage));
  if (c.io_threads < 1 || c.io_threads > 64) return Fail(Error::Validation("io_threads", "io_threads must be 1–64"));
  if (c.worker_threads < 1 || c.worker_threads > 1024)
    return Fail(Error::Validation("worker_threads", "worker_threads must be 1–1024"));
  if (c.body_limit_bytes < 1024) return Fail(Error::Validation("body_limit_bytes", "body_limit_bytes must be ≥ 1024"));
  if (c.read_connections < 1 || c.read_connections > 64)
    return Fail(Error::Validation("read_connections", "read_connections must be 1–64"));
  if (c.session_ttl_hours < 1) return Fail(Error::Validation("session_ttl_hours", "session_ttl_hours must be ≥ 1"));
  if (c.login_max_failures < 1) return Fail(Error::Validation("login_max_failures", "login_max_failures must be ≥ 1"));
  if (!c.smtp_url.empty() && c.smtp_url.rfind("smtp://", 0) != 0 && c.smtp_url.rfind("smtps://", 0) != 0)
    return Fail(Error::Validation("smtp.url", "smtp url must start with smtp:// or smtps://"));
  if (!c.smtp_url.empty() && c.smtp_from.empty())
    return Fail(Error::Validation("smtp.from", "smtp from (the sender address) is required with smtp url"));
  if (c.outbox_max_attempts < 1 || c.outbox_max_attempts > 100)
    return Fail(Error::Validation("outbox.max_attempts", "outbox max_attempts must be 1–100"));
  if (c.outbox_backoff_base_ms < 10 || c.outbox_backoff_max_ms < c.outbox_backoff_base_ms)
    return Fail(Error::Validation("outbox.backoff_base_ms", "outbox backoff_base_ms must be ≥ 10 and ≤ backoff_max_ms"));
  if (c.outbox_timeout_seconds < 1 || c.outbox_timeout_seconds > 300)
    return Fail(Error::Validation("outbox.timeout_seconds", "outbox timeout_seconds must be 1–300"));
  if (c.outbox_keep_days < 0 || c.outbox_keep_days > 3650)
    return Fail(Error::Validation("outbox.keep_days", "outbox keep_days must be 0 (keep for good) to 3650"));
  return c;
}

Result<std::pair<std::string, std::uint16_t>> SplitListen(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return Fail(Error::Validation("listen", "listen must be HOST:PORT, e.g. 127.0.0.1:8080"));
  int port = 0;
  auto [p, ec] = std::from_chars(listen.data() + colon + 1, listen.data() + listen.size(), port);
  if (ec != std::errc() || p != listen.data() + listen.size() || port < 0 || port > 65535)
    return Fail(Error::Validation("listen", "listen port must be 0–65535"));
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return std::pair{host, static_cast<std::uint16_t>(port)};
}

}  // namespace kefu
