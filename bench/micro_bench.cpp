// Micro-benchmarks of hot paths that run on every request.
#include <benchmark/benchmark.h>

#include <cstdlib>

#include <boost/json.hpp>

#include "calendar/business_calendar.h"
#include "calendar/calendar_json.h"
#include "calendar/shipped_calendars.h"
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

kefu::BusinessCalendar ChinaCalendar2026() {
  for (const auto& c : kefu::ShippedCalendars())
    if (c.id == "cn-2026") return kefu::BusinessCalendar::Compile(kefu::ParseCalendarJson(c.json).value()).value();
  std::abort();
}

constexpr kefu::Millis kCalendarYearStart = 1'767'196'800'000;  // 2026-01-01T00:00:00+08:00
constexpr kefu::Millis kSixWeeks = 42LL * 86'400'000;

// Starts spread over 2026 (a prime number of seconds apart, so every time of
// day, weekends, holidays and adjusted working days come up).
kefu::Millis NextCalendarStart(kefu::Millis& offset) {
  offset = (offset + 7'919'000) % (300LL * 86'400'000);
  return kCalendarYearStart + offset;
}

// Six weeks of business minutes (30 working days of 7.5 hours) on the China 2026 calendar.
void BM_CalendarAddWeeks(benchmark::State& state) {
  auto cal = ChinaCalendar2026();
  kefu::Millis offset = 0;
  for (auto _ : state) benchmark::DoNotOptimize(cal.AddBusinessMinutes(NextCalendarStart(offset), 6 * 5 * 450));
}
BENCHMARK(BM_CalendarAddWeeks);

// Business seconds in a six-week span on the China 2026 calendar.
void BM_CalendarBetween(benchmark::State& state) {
  auto cal = ChinaCalendar2026();
  kefu::Millis offset = 0;
  for (auto _ : state) {
    kefu::Millis from = NextCalendarStart(offset);
    benchmark::DoNotOptimize(cal.BusinessSecondsBetween(from, from + kSixWeeks));
  }
}
BENCHMARK(BM_CalendarBetween);

}  // namespace

BENCHMARK_MAIN();
