// Micro-benchmarks of hot paths that run on every request.
#include <benchmark/benchmark.h>

#include <boost/json.hpp>

#include "core/clock.h"
#include "core/json.h"
#include "core/text.h"
#include "http/router.h"

namespace {

const std::string kTicketBody = R"({"subject":"快递三天没到","description":"订单 12345 显示已发货，但物流信息三天没有更新，客户非常着急。","channel":"phone","customer":{"name":"张伟","phone":"13812345678","tier":"vip","region":"east-china","language":"zh-CN"},"category":"logistics","severity":"normal","priority":"high","source_ref":"call-000001"})";

void BM_ParseTicketBody(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(kefu::json::ParseDocument(kTicketBody));
}
BENCHMARK(BM_ParseTicketBody);

void BM_ValidateUtf8(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(kefu::IsValidUtf8(kTicketBody));
}
BENCHMARK(BM_ValidateUtf8);

void BM_FormatRfc3339(benchmark::State& state) {
  kefu::Millis t = 1'795'425'081'123;
  for (auto _ : state) benchmark::DoNotOptimize(kefu::FormatRfc3339(t++));
}
BENCHMARK(BM_FormatRfc3339);

void BM_RouterMatch(benchmark::State& state) {
  kefu::http::Router r;
  for (const char* p : {"/api/v1/tickets", "/api/v1/tickets/{id}", "/api/v1/tickets/{id}/messages",
                        "/api/v1/tickets/{id}/handoffs", "/api/v1/tickets/{id}/links/{link_id}", "/api/v1/customers",
                        "/api/v1/customers/{id}", "/api/v1/users", "/api/v1/teams", "/healthz"})
    r.Add("GET", p, [](kefu::http::Request&) { return kefu::http::Response{}; });
  for (auto _ : state) {
    kefu::http::Request req;
    req.method = "GET";
    req.path = "/api/v1/tickets/123456/links/9";
    bool exists = false;
    benchmark::DoNotOptimize(r.Match(req, &exists));
  }
}
BENCHMARK(BM_RouterMatch);

}  // namespace

BENCHMARK_MAIN();
