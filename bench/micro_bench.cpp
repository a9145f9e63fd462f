// Micro-benchmarks of hot paths that run on every request.
#include <benchmark/benchmark.h>

#include <condition_variable>
#include <cstdlib>
#include <mutex>

#include <boost/json.hpp>

#include "calendar/business_calendar.h"
#include "calendar/calendar_json.h"
#include "calendar/shipped_calendars.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/text.h"
#include "http/router.h"
#include "nlp/classifier.h"
#include "nlp/emotion.h"
#include "nlp/language.h"
#include "nlp/text.h"
#include "sla/clocks.h"
#include "sla/timer_queue.h"
#include "sla/timer_thread.h"

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

// A ~150-character Chinese complaint, as triage sees it.
const std::string kComplaint =
    "你好，我上周五在你们官方旗舰店买的洗衣机到现在还没有安装，客服说会有专人联系，结果一个星期了没人理我。"
    "这已经是我第三次打电话了，每次都说马上处理，你们到底有没有人在管？我真的非常失望！如果明天还不给我一个"
    "准确的安装时间，我就去12315投诉，再把你们的所作所为发到微博上让大家都看看。";

void BM_EmotionGrade(benchmark::State& state) {
  static const kefu::nlp::EmotionGrader grader(kefu::nlp::DefaultLexicon());
  for (auto _ : state) benchmark::DoNotOptimize(grader.Grade(kComplaint, 1));
}
BENCHMARK(BM_EmotionGrade);

void BM_Words(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(kefu::nlp::Words(kComplaint));
}
BENCHMARK(BM_Words);

void BM_DetectLanguage(benchmark::State& state) {
  const kefu::nlp::LanguageHint hint{"CN", "zh-CN"};
  for (auto _ : state) benchmark::DoNotOptimize(kefu::nlp::DetectLanguage(kComplaint, hint));
}
BENCHMARK(BM_DetectLanguage);

// 20 causes, 5,000 synthetic complaints: each mixes words of its cause with common words.
const kefu::nlp::Classifier& BenchClassifier() {
  static const kefu::nlp::Classifier classifier = [] {
    const std::vector<std::string> common = {"你好", "请问", "我的", "订单", "已经", "今天", "客服", "处理", "一下",
                                             "谢谢", "还是", "没有", "问题", "什么", "时候", "能不能", "帮我", "看看"};
    const std::vector<std::string> topics = {"快递", "物流", "账单", "扣费", "退款", "安装", "维修", "质量", "态度",
                                             "宽带", "信号", "积分", "会员", "发票", "价格", "包装", "破损", "缺货",
                                             "预约", "密码"};
    const std::vector<std::string> details = {"延迟", "丢失", "错误", "重复", "很慢", "不对", "损坏", "失败", "取消",
                                              "变更", "投诉", "超时"};
    std::vector<kefu::nlp::LabelledText> examples;
    uint32_t seed = 12345;
    auto next = [&](size_t n) {
      seed = seed * 1103515245u + 12345u;
      return (seed >> 16) % n;
    };
    for (int i = 0; i < 5000; ++i) {
      const size_t label = static_cast<size_t>(i) % topics.size();
      std::string text;
      for (int k = 0; k < 3; ++k) text += topics[(label + next(2) * 7 * k) % topics.size()] + details[next(details.size())];
      for (int k = 0; k < 4; ++k) text += common[next(common.size())];
      examples.push_back({std::move(text), "cause-" + std::to_string(label)});
    }
    return kefu::nlp::Classifier::Train(examples);
  }();
  return classifier;
}

void BM_ClassifierPredict(benchmark::State& state) {
  const auto& classifier = BenchClassifier();
  for (auto _ : state) benchmark::DoNotOptimize(classifier.Predict(kComplaint, 3));
}
BENCHMARK(BM_ClassifierPredict);

// SLA clocks of one complaint with 20 events (replies, customer turns,
// pauses, a handoff, a red case) on the China 2026 calendar.
void BM_SlaComputeClocks(benchmark::State& state) {
  using kefu::ClockEvent;
  using kefu::StateType;
  auto cal = ChinaCalendar2026();
  const std::vector<kefu::SlaTarget> targets = {{kefu::SlaMetric::kFirstResponse, 30, true},
                                                {kefu::SlaMetric::kNextResponse, 60, true},
                                                {kefu::SlaMetric::kResolution, 3 * 450, true},
                                                {kefu::SlaMetric::kHandoff, 2 * 450, true},
                                                {kefu::SlaMetric::kRedCaseUpdate, 24 * 60, false}};
  const kefu::Millis t0 = kCalendarYearStart + 75LL * 86'400'000 + 10 * 3'600'000;  // 2026-03-17 10:00
  constexpr kefu::Millis kHour = 3'600'000;
  const std::vector<ClockEvent> history = {
      ClockEvent::Created(t0), ClockEvent::CustomerMessage(t0), ClockEvent::AgentReply(t0 + kHour / 4),
      ClockEvent::StateChange(t0 + kHour / 4, StateType::kOpen), ClockEvent::CustomerMessage(t0 + kHour),
      ClockEvent::RedCaseOpened(t0 + kHour), ClockEvent::AgentReply(t0 + 2 * kHour),
      ClockEvent::StateChange(t0 + 2 * kHour, StateType::kPendingCustomer),
      ClockEvent::CustomerMessage(t0 + 20 * kHour), ClockEvent::StateChange(t0 + 20 * kHour, StateType::kOpen),
      ClockEvent::HandoffOpened(t0 + 21 * kHour, 1), ClockEvent::AgentReply(t0 + 22 * kHour),
      ClockEvent::StateChange(t0 + 22 * kHour, StateType::kPendingInternal),
      ClockEvent::RedCaseUpdate(t0 + 24 * kHour), ClockEvent::HandoffAnswered(t0 + 44 * kHour, 1),
      ClockEvent::StateChange(t0 + 44 * kHour, StateType::kOpen), ClockEvent::CustomerMessage(t0 + 45 * kHour),
      ClockEvent::AgentReply(t0 + 46 * kHour), ClockEvent::RedCaseUpdate(t0 + 48 * kHour),
      ClockEvent::CustomerMessage(t0 + 50 * kHour)};
  const kefu::PauseRules pause;
  for (auto _ : state) benchmark::DoNotOptimize(kefu::ComputeClocks(targets, pause, cal, history, t0 + 51 * kHour));
  state.counters["events"] = static_cast<double>(history.size());
}
BENCHMARK(BM_SlaComputeClocks);

std::vector<kefu::TimerEntry> BenchTimerEntries(std::size_t n) {
  std::vector<kefu::TimerEntry> entries;
  entries.reserve(n);
  std::uint64_t x = 88172645463325252ULL;
  auto next = [&] { return x ^= x << 13, x ^= x >> 7, x ^= x << 17; };
  for (std::size_t i = 0; i < n; ++i)
    entries.push_back({{static_cast<std::int64_t>(i), static_cast<kefu::SlaMetric>(next() % 5), 0},
                       kCalendarYearStart + static_cast<kefu::Millis>(next() % (42ULL * 86'400'000))});
  return entries;
}

// Building the timer queue of a million clocks at start-up; reports bytes per entry.
void BM_TimerQueueBuild(benchmark::State& state) {
  const auto entries = BenchTimerEntries(static_cast<std::size_t>(state.range(0)));
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto q = kefu::TimerQueue::Build(entries);
    bytes = q.MemoryBytes();
    benchmark::DoNotOptimize(q.NextDue());
  }
  state.counters["bytes_per_entry"] = static_cast<double>(bytes) / static_cast<double>(entries.size());
}
BENCHMARK(BM_TimerQueueBuild)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

// Rescheduling an existing clock's timer in a queue of a million.
void BM_TimerQueueReschedule(benchmark::State& state) {
  const auto entries = BenchTimerEntries(1'000'000);
  auto q = kefu::TimerQueue::Build(entries);
  std::size_t i = 0;
  for (auto _ : state) {
    kefu::TimerEntry e = entries[i];
    e.fire_at += 3'600'000;
    q.Schedule(e);
    i = (i + 7919) % entries.size();
  }
  state.counters["bytes_per_entry"] = static_cast<double>(q.MemoryBytes()) / static_cast<double>(q.size());
}
BENCHMARK(BM_TimerQueueReschedule);

// Schedule a new timer and pop the earliest, with a million pending.
void BM_TimerQueueSchedulePop(benchmark::State& state) {
  const auto entries = BenchTimerEntries(1'000'000);
  auto q = kefu::TimerQueue::Build(entries);
  std::vector<kefu::TimerEntry> out;
  std::int64_t ticket = 2'000'000;
  for (auto _ : state) {
    const kefu::Millis next = *q.NextDue();
    q.Schedule({{ticket++, kefu::SlaMetric::kResolution, 0}, next + 42LL * 86'400'000});
    out.clear();
    q.PopDue(next, out);
  }
}
BENCHMARK(BM_TimerQueueSchedulePop);

// How late the timer thread fires: 2,000 timers spread over 0.5 s on the system clock.
void BM_TimerThreadLateness(benchmark::State& state) {
  kefu::SystemClock clock;
  for (auto _ : state) {
    std::mutex mu;
    std::condition_variable cv;
    std::size_t fired = 0;
    constexpr std::size_t kTimers = 2'000;
    kefu::TimerThread timers(clock, [&](std::span<const kefu::TimerEntry> due, kefu::Millis) {
      std::lock_guard lock(mu);
      fired += due.size();
      cv.notify_all();
    });
    const kefu::Millis start = clock.Now() + 10;
    for (std::size_t i = 0; i < kTimers; ++i)
      timers.Schedule({{static_cast<std::int64_t>(i), kefu::SlaMetric::kResolution, 0},
                       start + static_cast<kefu::Millis>(i * 500 / kTimers)});
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return fired == kTimers; });
    lock.unlock();
    const kefu::LatenessStats s = timers.Lateness();
    state.counters["late_p50_ms_below"] = static_cast<double>(s.PercentileBound(50));
    state.counters["late_p99_ms_below"] = static_cast<double>(s.PercentileBound(99));
    state.counters["late_max_ms"] = static_cast<double>(s.max_ms);
    state.counters["late_mean_ms"] = static_cast<double>(s.sum_ms) / static_cast<double>(s.count);
  }
}
BENCHMARK(BM_TimerThreadLateness)->Iterations(3)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
