#include "app/app.h"

#include <atomic>
#include <chrono>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "api/context.h"
#include "api/live.h"
#include "http/server.h"
#include "http/static_files.h"
#include "outbox/dispatcher.h"
#include "tickets/defaults.h"

namespace kefu {

Result<std::unique_ptr<Runtime>> OpenRuntime(const Config& config) {
  auto rt = std::make_unique<Runtime>();
  SqliteOptions so;
  so.data_dir = config.data_dir;
  so.read_connections = config.read_connections;
  KEFU_ASSIGN(rt->store, OpenSqliteStore(so));
  KEFU_TRY(EnsureDefaults(*rt->store, rt->clock));
  rt->catalog = std::make_unique<Catalog>(*rt->store);
  AccountOptions ao;
  ao.session_ttl = static_cast<Millis>(config.session_ttl_hours) * 3600 * 1000;
  ao.account_max_failures = config.login_max_failures;
  rt->accounts = std::make_unique<AccountService>(*rt->store, rt->clock, ao);
  rt->tickets = std::make_unique<TicketService>(*rt->store, *rt->catalog, rt->clock);
  rt->reference = std::make_unique<ReferenceService>(*rt->store, *rt->catalog, rt->clock);
  rt->calendars = std::make_unique<calendars::CalendarRegistry>(*rt->store, rt->clock);
  KEFU_TRY(rt->calendars->Load());
  rt->triage = std::make_unique<triage::TriageEngine>(*rt->store, *rt->catalog, rt->clock, *rt->calendars);
  KEFU_TRY(rt->triage->Load());
  if (config.triage) rt->tickets->AddHook(rt->triage.get());
  auto* engine = rt->triage.get();
  rt->red_cases = std::make_unique<triage::RedCaseService>(
      *rt->store, *rt->catalog, rt->clock, [engine] { return engine->CurrentSettings().red_case_cadence_minutes; });
  rt->sla = std::make_unique<escalation::SlaService>(*rt->store, *rt->catalog, rt->clock, *rt->calendars, *rt->triage);
  KEFU_TRY(rt->sla->Load());
  rt->tickets->AddHook(rt->sla.get());
  rt->red_cases->SetHook(rt->sla.get());
  return rt;
}

namespace {

std::string TransportMetrics(const http::ServerStats& st, size_t websockets) {
  std::string out = fmt::format(
      "# HELP kefu_http_requests_total HTTP requests answered, by status class.\n"
      "# TYPE kefu_http_requests_total counter\n"
      "kefu_http_requests_total{{code=\"2xx\"}} {}\nkefu_http_requests_total{{code=\"4xx\"}} {}\n"
      "kefu_http_requests_total{{code=\"5xx\"}} {}\n"
      "# HELP kefu_http_requests_in_flight Requests being handled.\n"
      "# TYPE kefu_http_requests_in_flight gauge\nkefu_http_requests_in_flight {}\n"
      "# HELP kefu_websocket_connections Open live-update sockets.\n"
      "# TYPE kefu_websocket_connections gauge\nkefu_websocket_connections {}\n"
      "# HELP kefu_http_request_duration_seconds Time from request read to response ready.\n"
      "# TYPE kefu_http_request_duration_seconds histogram\n",
      st.responses_2xx, st.responses_4xx, st.responses_5xx, st.in_flight, websockets);
  for (size_t i = 0; i < std::size(http::ServerStats::kBuckets); ++i)
    out += fmt::format("kefu_http_request_duration_seconds_bucket{{le=\"{}\"}} {}\n", http::ServerStats::kBuckets[i],
                       st.bucket_counts[i]);
  out += fmt::format("kefu_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {}\n", st.requests);
  out += fmt::format("kefu_http_request_duration_seconds_sum {:.6f}\nkefu_http_request_duration_seconds_count {}\n",
                     st.latency_sum, st.requests);
  return out;
}

}  // namespace

int Serve(const Config& config) {
  auto started = std::chrono::steady_clock::now();
  auto listen = SplitListen(config.listen);
  if (!listen) {
    spdlog::error("{}", listen.error().message);
    return 2;
  }
  auto rt = OpenRuntime(config);
  if (!rt) {
    spdlog::error("cannot open the store: {}", rt.error().message);
    return 1;
  }
  Runtime& r = **rt;
  api::LiveHub live([&r](const Principal& p, Id id) { return r.tickets->Get(p, id).has_value(); });
  r.tickets->OnChange([&live](const TicketChange& c) { live.Publish(c); });
  r.red_cases->OnNotify([&live](const std::vector<Notification>& n) { live.PublishNotifications(n); });
  // SLA timers: warnings, breaches and escalation, each within a second of its due time.
  r.sla->OnChange([&live](const std::vector<Notification>& n, const std::vector<Ticket>& changed) {
    live.PublishNotifications(n);
    for (const auto& t : changed) live.Publish(TicketChange{"ticket.updated", t, {}});
  });
  if (auto started = r.sla->Start(); !started) {
    spdlog::error("cannot start the SLA timers: {}", started.error().message);
    return 1;
  }
  struct SlaStopper {
    escalation::SlaService& s;
    ~SlaStopper() { s.Stop(); }
  } sla_stopper{*r.sla};
  // Periodic triage work: missed red-case updates, overflow, retraining.
  std::atomic<bool> stopping{false};
  std::thread sweeper([&] {
    while (!stopping.load()) {
      for (int i = 0; i < 20 && !stopping.load(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (stopping.load()) break;
      auto overdue = r.red_cases->SweepOverdue();
      if (overdue) live.PublishNotifications(*overdue);
      else spdlog::warn("red-case sweep failed: {}", overdue.error().message);
      auto swept = r.triage->Sweep();
      if (swept) live.PublishNotifications(*swept);
      else spdlog::warn("triage sweep failed: {}", swept.error().message);
    }
  });
  struct Joiner {
    std::atomic<bool>& stop;
    std::thread& t;
    ~Joiner() {
      stop = true;
      t.join();
    }
  } joiner{stopping, sweeper};

  // Email, group-chat robots and webhooks: the outbox dispatcher delivers what
  // the transactions enqueued (docs/notifications.md). Stopped before the store closes.
  outbox::TransportOptions transport_options;
  transport_options.smtp = {config.smtp_url, config.smtp_from, config.smtp_username, config.smtp_password,
                            config.smtp_starttls};
  transport_options.timeout_ms = config.outbox_timeout_seconds * 1000;
  transport_options.private_targets = config.outbox_private_targets;
  auto transport = outbox::MakeCurlTransport(transport_options);
  outbox::DispatcherOptions dispatch_options;
  dispatch_options.max_attempts = config.outbox_max_attempts;
  dispatch_options.backoff_base = config.outbox_backoff_base_ms;
  dispatch_options.backoff_max = config.outbox_backoff_max_ms;
  dispatch_options.mail_from = config.smtp_from;
  dispatch_options.keep_days = config.outbox_keep_days;
  outbox::Dispatcher dispatcher(*r.store, r.clock, *transport, dispatch_options);
  dispatcher.Start();
  if (config.smtp_url.empty()) spdlog::info("outbox: no [smtp] url; email channels will fail until it is set");
  else spdlog::info("outbox: email through {}", outbox::RedactUrl(config.smtp_url));

  http::StaticFiles web;
  if (!config.web_dir.empty()) {
    size_t count = 0;
    std::string err = web.Load(config.web_dir, &count);
    if (!err.empty()) {
      spdlog::error("{}", err);
      return 1;
    }
    spdlog::info("serving the web app from {} ({} files)", config.web_dir, count);
  }

  http::Server* server_ptr = nullptr;
  api::Services services{*r.store,     r.clock,         *r.catalog, *r.accounts, *r.tickets,
                         *r.reference, *r.triage,       *r.red_cases, *r.calendars, *r.sla, nullptr, nullptr};
  services.transport_metrics = [&] { return server_ptr ? TransportMetrics(server_ptr->Stats(), live.Connections()) : ""; };
  http::Router router = api::BuildRouter(services);
  http::ServerOptions so;
  so.host = listen->first;
  so.port = listen->second;
  so.io_threads = config.io_threads;
  so.worker_threads = config.worker_threads;
  so.body_limit = static_cast<size_t>(config.body_limit_bytes);
  so.read_timeout_seconds = config.read_timeout_seconds;
  so.idle_timeout_seconds = config.idle_timeout_seconds;
  http::Server server(
      so,
      [&](http::Request& req) {
        if (auto res = web.Serve(req)) return std::move(*res);
        return api::Dispatch(router, req);
      },
      [&](const http::Request& req, std::shared_ptr<http::WsConnection> conn) -> std::shared_ptr<http::WsListener> {
        if (req.path != "/api/v1/ws") return nullptr;
        // Browsers cannot set headers on WebSockets: the cookie authenticates,
        // and the Origin must be this server (no cross-site hijacking).
        if (const std::string* origin = req.Header("origin")) {
          const std::string* host = req.Header("host");
          if (!host || (*origin != "http://" + *host && *origin != "https://" + *host)) return nullptr;
        }
        auto p = api::Authenticate(services, req);
        if (!p) return nullptr;
        return live.Join(*p, std::move(conn));
      },
      [&](const http::Request& req) { return req.path == "/healthz" || web.Claims(req); });
  server_ptr = &server;
  std::uint16_t port = 0;
  std::string err = server.Bind(&port);
  if (!err.empty()) {
    spdlog::error("{}", err);
    return 1;
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  spdlog::info("kefu listening on http://{}:{} (data {}, started in {} ms)", so.host, port, config.data_dir, ms);
  server.Run();
  spdlog::info("kefu stopped");
  return 0;
}

}  // namespace kefu
