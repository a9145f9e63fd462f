// The HTTP/WebSocket server of kefu (Boost.Beast over Asio, C++20
// coroutines). The only place Beast and Asio appear.
//
// I/O threads only parse and write; every request runs on a worker pool, so
// handlers may block (store commits, password hashing). Each connection has a
// body limit (413 beyond it), read/idle timeouts and keep-alive. Stop() (or
// SIGTERM/SIGINT when handle_signals) stops accepting, lets requests in
// flight finish (up to drain_timeout), and makes Run() return.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/message.h"

namespace kefu::http {

// A live WebSocket, as seen by the application. Thread-safe.
class WsConnection {
 public:
  virtual ~WsConnection() = default;
  virtual void Send(std::string text) = 0;
  virtual void Close() = 0;
};

// The application side of one WebSocket.
class WsListener {
 public:
  virtual ~WsListener() = default;
  virtual void OnMessage(const std::string& text) = 0;
  virtual void OnClose() = 0;
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  int io_threads = 2;
  int worker_threads = 64;
  std::size_t body_limit = 1 << 20;
  int read_timeout_seconds = 30;
  int idle_timeout_seconds = 75;
  int drain_timeout_seconds = 10;
  bool handle_signals = true;
};

struct ServerStats {
  std::uint64_t requests = 0;
  std::uint64_t responses_2xx = 0, responses_4xx = 0, responses_5xx = 0;
  std::uint64_t in_flight = 0;
  std::uint64_t websockets = 0;
  // Cumulative latency histogram (seconds) with these upper bounds.
  static constexpr double kBuckets[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
  std::uint64_t bucket_counts[std::size(kBuckets)] = {};
  double latency_sum = 0;
};

class Server {
 public:
  using RequestHandler = std::function<Response(Request&)>;
  // Decides an upgrade of `path` to a WebSocket; nullptr refuses (401).
  using WsAccept = std::function<std::shared_ptr<WsListener>(const Request&, std::shared_ptr<WsConnection>)>;

  // Whether a request may be answered on the I/O thread (it never blocks:
  // health checks, files served from memory); others go to the worker pool.
  using RunsInline = std::function<bool(const Request&)>;

  Server(ServerOptions options, RequestHandler handler, WsAccept ws_accept = nullptr, RunsInline runs_inline = nullptr);
  ~Server();

  // Binds the listening socket; returns the port bound (for port 0) or an
  // error message.
  std::string Bind(std::uint16_t* bound_port);
  // Serves until stopped. Call after Bind().
  void Run();
  void Stop();
  ServerStats Stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kefu::http
