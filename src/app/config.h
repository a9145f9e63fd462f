// kefu's configuration: defaults, then a TOML file, then KEFU_* environment
// variables, then command-line flags. Every option is documented in
// docs/configuration.md.
#pragma once

#include <cstdint>
#include <string>

#include "core/error.h"

namespace kefu {

struct Config {
  std::string data_dir = "data";            // [store] data_dir          KEFU_DATA
  int read_connections = 4;                 // [store] read_connections  KEFU_READ_CONNECTIONS
  std::string listen = "127.0.0.1:8080";    // [server] listen           KEFU_LISTEN
  std::string web_dir;                      // [server] web_dir          KEFU_WEB_DIR
  int io_threads = 2;                       // [server] io_threads       KEFU_IO_THREADS
  int worker_threads = 64;                  // [server] worker_threads   KEFU_WORKER_THREADS
  std::int64_t body_limit_bytes = 1 << 20;  // [server] body_limit_bytes KEFU_BODY_LIMIT_BYTES
  int read_timeout_seconds = 30;            // [server] read_timeout_seconds
  int idle_timeout_seconds = 75;            // [server] idle_timeout_seconds
  int session_ttl_hours = 12;               // [auth] session_ttl_hours  KEFU_SESSION_TTL_HOURS
  int login_max_failures = 5;               // [auth] login_max_failures KEFU_LOGIN_MAX_FAILURES
  std::string log_level = "info";           // [log] level               KEFU_LOG_LEVEL
  // Email notifications (outbox/): the SMTP relay and the sender.
  std::string smtp_url;                     // [smtp] url                KEFU_SMTP_URL (smtp://host:port, smtps://…)
  std::string smtp_from;                    // [smtp] from               KEFU_SMTP_FROM
  std::string smtp_username;                // [smtp] username           KEFU_SMTP_USERNAME
  std::string smtp_password;                // [smtp] password           KEFU_SMTP_PASSWORD (never logged)
  bool smtp_starttls = false;               // [smtp] starttls           KEFU_SMTP_STARTTLS
  // Delivery of the outbox: retries with exponential backoff, then dead.
  int outbox_max_attempts = 8;                    // [outbox] max_attempts     KEFU_OUTBOX_MAX_ATTEMPTS
  std::int64_t outbox_backoff_base_ms = 30'000;   // [outbox] backoff_base_ms  KEFU_OUTBOX_BACKOFF_BASE_MS
  std::int64_t outbox_backoff_max_ms = 3'600'000; // [outbox] backoff_max_ms   KEFU_OUTBOX_BACKOFF_MAX_MS
  int outbox_timeout_seconds = 15;                // [outbox] timeout_seconds  KEFU_OUTBOX_TIMEOUT_SECONDS
  bool outbox_private_targets = false;            // [outbox] private_targets  KEFU_OUTBOX_PRIVATE_TARGETS
  int outbox_keep_days = 30;                      // [outbox] keep_days        KEFU_OUTBOX_KEEP_DAYS
  bool triage = true;                       // [triage] enabled          KEFU_TRIAGE
};

// Reads `file` when not empty, then the environment.
Result<Config> LoadConfig(const std::string& file);
// "host:port" -> parts.
Result<std::pair<std::string, std::uint16_t>> SplitListen(const std::string& listen);

}  // namespace kefu
