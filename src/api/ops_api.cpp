// Operations: /healthz, /readyz, /metrics (Prometheus text), and the OpenAPI
// document.
#include <fmt/format.h>

#include <boost/json.hpp>

#include "api/context.h"
#include "escalation/service.h"

namespace kefu::api {

void AddOpsRoutes(http::Router& router, Services& s) {
  Public(router, "GET", "/healthz", [](http::Request&) -> Result<http::Response> {
    http::Response r;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "ok\n";
    return r;
  });

  Public(router, "GET", "/readyz", [&s](http::Request&) -> Result<http::Response> {
    bool ready = !s.ready || s.ready();
    if (ready) {
      // The store must answer a read.
      auto probe = s.store.Read([](ReadTx& tx) -> Status {
        KEFU_TRY(tx.ListStates());
        return {};
      });
      ready = probe.has_value();
    }
    http::Response r;
    r.status = ready ? 200 : 503;
    r.content_type = "text/plain; charset=utf-8";
    r.body = ready ? "ready\n" : "not ready\n";
    return r;
  });

  Public(router, "GET", "/metrics", [&s](http::Request&) -> Result<http::Response> {
    StoreStats st = s.store.Stats();
    std::string out = fmt::format(
        "# HELP kefu_store_commits_total Store transactions committed (each may hold many writes).\n"
        "# TYPE kefu_store_commits_total counter\nkefu_store_commits_total {}\n"
        "# HELP kefu_store_write_jobs_total Writes submitted to the store.\n"
        "# TYPE kefu_store_write_jobs_total counter\nkefu_store_write_jobs_total {}\n"
        "# HELP kefu_store_failed_jobs_total Writes rolled back because they failed validation or constraints.\n"
        "# TYPE kefu_store_failed_jobs_total counter\nkefu_store_failed_jobs_total {}\n"
        "# HELP kefu_store_commit_seconds_total Time spent in store transactions.\n"
        "# TYPE kefu_store_commit_seconds_total counter\nkefu_store_commit_seconds_total {:.6f}\n",
        st.commits, st.write_jobs, st.failed_jobs, static_cast<double>(st.commit_micros_total) / 1e6);
    LatenessStats late = s.sla.Lateness();
    out += fmt::format(
        "# HELP kefu_sla_timers SLA timers pending (warnings, breaches, escalation steps of open complaints).\n"
        "# TYPE kefu_sla_timers gauge\nkefu_sla_timers {}\n"
        "# HELP kefu_sla_timer_rebuild_ms Time to rebuild the SLA timers from the store at start.\n"
        "# TYPE kefu_sla_timer_rebuild_ms gauge\nkefu_sla_timer_rebuild_ms {}\n"
        "# HELP kefu_sla_timer_fired_total SLA timers fired.\n"
        "# TYPE kefu_sla_timer_fired_total counter\nkefu_sla_timer_fired_total {}\n"
        "# HELP kefu_sla_timer_lateness_ms How late SLA timers fired after their due time: upper bound of the p50 "
        "and p99 bucket, and the maximum.\n"
        "# TYPE kefu_sla_timer_lateness_ms gauge\nkefu_sla_timer_lateness_ms{{quantile=\"0.5\"}} {}\n"
        "kefu_sla_timer_lateness_ms{{quantile=\"0.99\"}} {}\nkefu_sla_timer_lateness_ms{{quantile=\"1\"}} {}\n",
        s.sla.TimerCount(), s.sla.RebuildMillis(), late.count, late.PercentileBound(50), late.PercentileBound(99), late.max_ms);
    out += "# HELP kefu_sla_timer_lateness_bucket SLA timers fired no later than `le` ms after their due time.\n"
           "# TYPE kefu_sla_timer_lateness_bucket counter\n";
    std::uint64_t cumulative = 0;
    for (int i = 0; i < LatenessStats::kBuckets - 1; ++i) {
      cumulative += late.buckets[static_cast<size_t>(i)];
      out += fmt::format("kefu_sla_timer_lateness_bucket{{le=\"{}\"}} {}\n", i == 0 ? 0 : (1LL << i) - 1, cumulative);
    }
    if (s.transport_metrics) out += s.transport_metrics();
    http::Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = std::move(out);
    return r;
  });

  // Live updates: the server answers WebSocket upgrades of this path itself
  // (app/ wires api::LiveHub); a plain GET gets a clear error.
  Public(router, "GET", "/api/v1/ws", [](http::Request&) -> Result<http::Response> {
    return Fail(Error::Validation("upgrade", "this endpoint needs a WebSocket upgrade"));
  });

  Public(router, "GET", "/api/v1/openapi.yaml", [](http::Request&) -> Result<http::Response> {
    http::Response r;
    r.content_type = "application/yaml; charset=utf-8";
    r.body = std::string(OpenApiDocument());
    return r;
  });
}

}  // namespace kefu::api
