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
  bool triage = true;                       // [triage] enabled          KEFU_TRIAGE
};

// Reads `file` when not empty, then the environment.
Result<Config> LoadConfig(const std::string& file);
// "host:port" -> parts.
Result<std::pair<std::string, std::uint16_t>> SplitListen(const std::string& listen);

}  // namespace kefu
