#include "http/server.h"

#include <chrono>
#include <deque>
#include <mutex>
#include <thread>

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <spdlog/spdlog.h>

namespace kefu::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using asio::use_awaitable;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

namespace {

Request Convert(const bhttp::request<bhttp::string_body>& req, const std::string& remote_ip) {
  Request r;
  r.method = std::string(req.method_string());
  r.target = std::string(req.target());
  for (const auto& f : req) {
    std::string name(f.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers[name] = std::string(f.value());
  }
  r.remote_ip = remote_ip;
  auto parsed = boost::urls::parse_origin_form(req.target());
  if (parsed) {
    r.path = parsed->path();
    for (auto p : parsed->params()) r.query.emplace(p.key, p.has_value ? p.value : "");
  } else {
    r.path = "\x01invalid";  // matches no route: 404
  }
  r.body = req.body();
  return r;
}

bhttp::response<bhttp::string_body> ToBeast(Response&& res, unsigned version, bool keep_alive) {
  bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(res.status), version};
  out.set(bhttp::field::server, "kefu");
  if (!res.content_type.empty()) out.set(bhttp::field::content_type, res.content_type);
  for (auto& [k, v] : res.headers) out.insert(k, v);
  out.body() = std::move(res.body);
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

Response PlainError(int status, const char* code, const char* message) {
  Response r;
  r.status = status;
  r.body = std::string("{\"error\":{\"code\":\"") + code + "\",\"message\":\"" + message + "\",\"field\":\"\"}}";
  return r;
}

}  // namespace

struct Server::Impl {
  ServerOptions opt;
  RequestHandler handler;
  WsAccept ws_accept;
  RunsInline runs_inline;
  asio::io_context ioc;
  asio::thread_pool workers;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  std::atomic<bool> stopping{false};
  std::atomic<std::uint64_t> request_seq{0};
  std::thread drain_thread;

  mutable std::mutex stats_mu;
  ServerStats stats;

  Impl(ServerOptions o, RequestHandler h, WsAccept w, RunsInline i)
      : opt(std::move(o)),
        handler(std::move(h)),
        ws_accept(std::move(w)),
        runs_inline(std::move(i)),
        ioc(std::max(1, opt.io_threads)),
        workers(static_cast<std::size_t>(std::max(1, opt.worker_threads))),
        acceptor(ioc),
        signals(ioc) {}

  void Record(int status, double seconds) {
    std::lock_guard lock(stats_mu);
    stats.requests++;
    if (status < 400)
      stats.responses_2xx++;
    else if (status < 500)
      stats.responses_4xx++;
    else
      stats.responses_5xx++;
    for (size_t i = 0; i < std::size(ServerStats::kBuckets); ++i)
      if (seconds <= ServerStats::kBuckets[i]) stats.bucket_counts[i]++;
    stats.latency_sum += seconds;
  }

  void InFlight(int delta) {
    std::lock_guard lock(stats_mu);
    stats.in_flight += static_cast<std::uint64_t>(static_cast<std::int64_t>(delta));
  }

  // The handler, run on a worker thread; never throws. A coroutine function
  // (not a capturing lambda) so that its arguments live in its own frame.
  static asio::awaitable<Response> RunHandler(Impl* self, Request* r) {
    try {
      co_return self->handler(*r);
    } catch (const std::exception& e) {
      spdlog::error("request {} {} failed: {}", r->method, r->path, e.what());
      co_return PlainError(500, "internal", "internal error");
    }
  }

  static asio::awaitable<std::shared_ptr<WsListener>> RunWsAccept(Impl* self, const Request* r,
                                                                  std::shared_ptr<WsConnection> conn) {
    try {
      co_return self->ws_accept(*r, std::move(conn));
    } catch (const std::exception& e) {
      spdlog::error("websocket accept failed: {}", e.what());
      co_return nullptr;
    }
  }

  asio::awaitable<Response> Handle(Request& r) {
    if (runs_inline && runs_inline(r)) co_return co_await RunHandler(this, &r);
    co_return co_await asio::co_spawn(workers, RunHandler(this, &r), use_awaitable);
  }

  asio::awaitable<void> WebSocketSession(beast::tcp_stream stream, bhttp::request<bhttp::string_body> req,
                                         Request r);
  asio::awaitable<void> Session(tcp::socket socket);
  asio::awaitable<void> Listen();
};

namespace {

class BeastWsConnection final : public WsConnection, public std::enable_shared_from_this<BeastWsConnection> {
 public:
  explicit BeastWsConnection(beast::tcp_stream&& stream) : ws_(std::move(stream)) {}
  websocket::stream<beast::tcp_stream>& ws() { return ws_; }

  void Send(std::string text) override {
    asio::post(ws_.get_executor(), [self = shared_from_this(), text = std::move(text)]() mutable {
      if (self->closed_) return;
      if (self->queue_.size() > 1000) return;  // a stalled client loses updates, not the server's memory
      self->queue_.push_back(std::move(text));
      if (self->queue_.size() == 1) self->WriteNext();
    });
  }

  void Close() override {
    asio::post(ws_.get_executor(), [self = shared_from_this()] {
      if (self->closed_) return;
      self->closed_ = true;
      beast::error_code ec;
      beast::get_lowest_layer(self->ws_).socket().shutdown(tcp::socket::shutdown_both, ec);
    });
  }

  void MarkClosed() { closed_ = true; }

 private:
  void WriteNext() {
    ws_.text(true);
    ws_.async_write(asio::buffer(queue_.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) {
        self->closed_ = true;
        self->queue_.clear();
        return;
      }
      self->queue_.pop_front();
      if (!self->queue_.empty() && !self->closed_) self->WriteNext();
    });
  }

  websocket::stream<beast::tcp_stream> ws_;
  std::deque<std::string> queue_;
  bool closed_ = false;
};

}  // namespace

asio::awaitable<void> Server::Impl::WebSocketSession(beast::tcp_stream stream, bhttp::request<bhttp::string_body> req,
                                                     Request r) {
  auto conn = std::make_shared<BeastWsConnection>(std::move(stream));
  std::shared_ptr<WsListener> listener;
  if (ws_accept) {
    listener = co_await asio::co_spawn(workers, RunWsAccept(this, &r, conn), use_awaitable);
  }
  if (!listener) {
    auto res = ToBeast(PlainError(401, "unauthenticated", "log in first"), req.version(), false);
    co_await bhttp::async_write(beast::get_lowest_layer(conn->ws()), res, kTuple);
    co_return;
  }
  auto& ws = conn->ws();
  beast::get_lowest_layer(ws).expires_never();
  ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  ws.read_message_max(64 * 1024);
  auto [ec] = co_await ws.async_accept(req, kTuple);
  if (!ec) {
    {
      std::lock_guard lock(stats_mu);
      stats.websockets++;
    }
    beast::flat_buffer buffer;
    for (;;) {
      auto [rec, n] = co_await ws.async_read(buffer, kTuple);
      if (rec || stopping) break;
      listener->OnMessage(beast::buffers_to_string(buffer.data()));
      buffer.consume(buffer.size());
    }
    std::lock_guard lock(stats_mu);
    stats.websockets--;
  }
  conn->MarkClosed();
  listener->OnClose();
}

asio::awaitable<void> Server::Impl::Session(tcp::socket socket) {
  beast::error_code ec;
  std::string remote_ip = socket.remote_endpoint(ec).address().to_string();
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (;;) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.body_limit(opt.body_limit);
    parser.header_limit(32 * 1024);
    stream.expires_after(std::chrono::seconds(buffer.size() ? opt.read_timeout_seconds : opt.idle_timeout_seconds));
    auto [rec, n] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
    if (rec == bhttp::error::end_of_stream || rec == asio::error::operation_aborted || rec == beast::error::timeout ||
        rec == asio::error::connection_reset || rec == asio::error::eof)
      break;
    if (rec) {
      bool too_large = rec == bhttp::error::body_limit || rec == bhttp::error::header_limit;
      auto err = too_large ? PlainError(413, "payload_too_large", "the request is larger than the limit")
                           : PlainError(400, "bad_request", "malformed HTTP request");
      Record(err.status, 0);
      auto res = ToBeast(std::move(err), 11, false);
      stream.expires_after(std::chrono::seconds(opt.read_timeout_seconds));
      co_await bhttp::async_write(stream, res, kTuple);
      // Let the client finish sending (bounded) so that it can read the answer
      // instead of seeing a reset.
      stream.socket().shutdown(tcp::socket::shutdown_send, ec);
      stream.expires_after(std::chrono::seconds(2));
      char sink[16384];
      for (std::size_t drained = 0; drained < 8 * opt.body_limit;) {
        auto [dec, dn] = co_await stream.async_read_some(asio::buffer(sink), kTuple);
        if (dec) break;
        drained += dn;
      }
      co_return;
    }
    auto req = parser.release();
    Request r = Convert(req, remote_ip);
    const std::string* rid = r.Header("x-request-id");
    r.request_id = rid && rid->size() <= 64 ? *rid : std::to_string(++request_seq);
    if (websocket::is_upgrade(req)) {
      co_await WebSocketSession(std::move(stream), std::move(req), std::move(r));
      co_return;
    }
    auto started = std::chrono::steady_clock::now();
    InFlight(1);
    Response response = co_await Handle(r);
    InFlight(-1);
    Record(response.status,
           std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    response.AddHeader("X-Request-Id", r.request_id);
    bool keep_alive = req.keep_alive() && !stopping;
    bool head = req.method() == bhttp::verb::head;
    auto res = ToBeast(std::move(response), req.version(), keep_alive);
    if (head) {
      auto len = res.body().size();
      res.body().clear();
      res.content_length(len);
    }
    stream.expires_after(std::chrono::seconds(opt.read_timeout_seconds));
    auto [wec, wn] = co_await bhttp::async_write(stream, res, kTuple);
    if (wec || !keep_alive) break;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

asio::awaitable<void> Server::Impl::Listen() {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(ioc), kTuple);
    if (ec) {
      if (stopping || ec == asio::error::operation_aborted) co_return;
      spdlog::warn("accept failed: {}", ec.message());
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto ex = socket.get_executor();
    asio::co_spawn(ex, Session(std::move(socket)), [](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        spdlog::warn("connection failed: {}", ex.what());
      }
    });
  }
}

Server::Server(ServerOptions options, RequestHandler handler, WsAccept ws_accept, RunsInline runs_inline)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), std::move(ws_accept),
                                   std::move(runs_inline))) {}

Server::~Server() {
  if (impl_->drain_thread.joinable()) impl_->drain_thread.join();
  impl_->workers.join();
}

std::string Server::Bind(std::uint16_t* bound_port) {
  beast::error_code ec;
  auto address = asio::ip::make_address(impl_->opt.host, ec);
  if (ec) return "invalid listen address " + impl_->opt.host;
  tcp::endpoint ep(address, impl_->opt.port);
  auto& a = impl_->acceptor;
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return "cannot listen on " + impl_->opt.host + ":" + std::to_string(impl_->opt.port) + ": " + ec.message();
  if (bound_port) *bound_port = a.local_endpoint().port();
  return {};
}

void Server::Run() {
  auto& im = *impl_;
  if (im.opt.handle_signals) {
    im.signals.add(SIGTERM);
    im.signals.add(SIGINT);
    im.signals.async_wait([this](beast::error_code ec, int sig) {
      if (ec) return;
      spdlog::info("signal {}: shutting down", sig);
      Stop();
    });
  }
  asio::co_spawn(im.ioc, im.Listen(), asio::detached);
  std::vector<std::thread> threads;
  for (int i = 1; i < std::max(1, im.opt.io_threads); ++i) threads.emplace_back([&im] { im.ioc.run(); });
  im.ioc.run();
  for (auto& t : threads) t.join();
}

void Server::Stop() {
  auto& im = *impl_;
  if (im.stopping.exchange(true)) return;
  asio::post(im.ioc, [&im] {
    beast::error_code ec;
    im.acceptor.close(ec);
    im.signals.cancel(ec);
  });
  // Let requests in flight finish, then end the loop (idle keep-alive
  // connections are dropped).
  im.drain_thread = std::thread([&im] {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(im.opt.drain_timeout_seconds);
    while (std::chrono::steady_clock::now() < deadline) {
      {
        std::lock_guard lock(im.stats_mu);
        if (im.stats.in_flight == 0) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    im.ioc.stop();
  });
}

ServerStats Server::Stats() const {
  std::lock_guard lock(impl_->stats_mu);
  return impl_->stats;
}

}  // namespace kefu::http
