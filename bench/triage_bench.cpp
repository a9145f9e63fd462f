// Triage of one complaint as intake runs it: emotion and threats, language,
// the root-cause classifier, 200 rules, routing among ten agents and the
// customer's churn risk, inside a write transaction of a real SQLite store.
// Timed: the text work done on the request's thread before the write
// (TicketHook::Prepare) plus the triage inside the writer, in thread CPU time;
// each iteration's transaction is rolled back so that every run sees the same
// complaint.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include <time.h>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "calendars/registry.h"
#include "core/json.h"
#include "tickets/catalog.h"
#include "tickets/defaults.h"
#include "tickets/service.h"
#include "triage/engine.h"

namespace kefu {
namespace {

namespace bj = boost::json;

void Check(const Status& s, const char* what) {
  if (!s) throw std::runtime_error(fmt::format("{}: {}", what, s.error().message));
}

template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r) throw std::runtime_error(fmt::format("{}: {}", what, r.error().message));
  return std::move(*r);
}

// A department with 200 rules, a trained classifier and a team of ten online agents.
struct TriageWorld {
  std::string dir;
  std::unique_ptr<Store> store;
  SystemClock clock;
  std::unique_ptr<Catalog> catalog;
  std::unique_ptr<calendars::CalendarRegistry> calendars;
  std::unique_ptr<TicketService> tickets;
  std::unique_ptr<triage::TriageEngine> engine;
  Principal admin;
  Ticket complaint;

  TriageWorld() {
    dir = (std::filesystem::temp_directory_path() / fmt::format("kefu-triage-bench-{}", ::getpid())).string();
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    SqliteOptions o;
    o.data_dir = dir;
    store = Must(OpenSqliteStore(o), "open store");
    Check(EnsureDefaults(*store, clock), "defaults");
    catalog = std::make_unique<Catalog>(*store);
    calendars = std::make_unique<calendars::CalendarRegistry>(*store, clock);
    Check(calendars->Load(), "calendars");
    tickets = std::make_unique<TicketService>(*store, *catalog, clock);
    engine = std::make_unique<triage::TriageEngine>(*store, *catalog, clock, *calendars);

    Id team_id = 0;
    std::vector<Id> agents;
    Check(store->Write([&](WriteTx& tx) -> Status {
      Team team{0, "华东一组", "east-china", 0};
      KEFU_TRY(tx.InsertTeam(team));
      team_id = team.id;
      User boss;
      boss.username = "bench-admin";
      boss.display_name = boss.username;
      boss.role = Role::kAdmin;
      KEFU_TRY(tx.InsertUser(boss));
      admin.user = boss;
      admin.permissions = RolePermissions(Role::kAdmin);
      for (int i = 0; i < 10; ++i) {
        User a;
        a.username = fmt::format("agent{}", i);
        a.display_name = a.username;
        a.team_ids = {team.id};
        KEFU_TRY(tx.InsertUser(a));
        agents.push_back(a.id);
      }
      return {};
    }), "team");
    catalog->Invalidate();
    Check(engine->Load(), "engine");
    for (Id a : agents)
      Must(engine->PutProfile(admin, a, json::ParseDocument(R"({"presence":"online","capacity":1000,
          "skills":["lang:zh","product:appliance"]})")->as_object()), "profile");
    Must(engine->PutTeamRouting(admin, team_id, json::ParseDocument(R"({"mode":"least_loaded"})")->as_object()),
         "team routing");

    // History the classifier learns from: 2,000 complaints whose cause an agent set.
    auto cat = *catalog->Get();
    std::vector<std::string> keys;
    for (const auto& c : cat->categories) keys.push_back(c.key);
    const char* words[] = {"快递", "物流", "账单", "扣费", "退款", "安装", "维修", "质量", "态度", "宽带", "信号", "发票"};
    for (int i = 0; i < 2000; ++i) {
      NewTicket n;
      size_t k = static_cast<size_t>(i) % keys.size();
      n.subject = fmt::format("{}{}问题", words[k % std::size(words)], words[(k * 5 + 1) % std::size(words)]);
      n.description = fmt::format("订单 {} 的{}一直没有处理，{}也不对", i, words[k % std::size(words)],
                                  words[(k * 3 + i) % std::size(words)]);
      n.channel = Channel::kPhone;
      n.customer.name = "客户";
      n.customer.phone = fmt::format("139{:08d}", i % 500);
      n.category = keys[k];
      Must(tickets->Create(admin, n), "history");
    }
    Must(engine->Retrain(), "retrain");

    // 194 more rules (the 6 defaults make 200): conditions on text, channel, tier, region and history.
    const char* channels[] = {"phone", "email", "chat", "social", "web"};
    for (int i = 0; i < 194; ++i) {
      std::string when;
      switch (i % 4) {
        case 0: when = fmt::format(R"({{"field":"text","op":"contains_any","value":["词{}","关键{}","keyword{}"]}})", i, i, i); break;
        case 1: when = fmt::format(R"({{"all":[{{"field":"channel","op":"eq","value":"{}"}},{{"field":"text","op":"contains_all","value":["安装","第{}次"]}}]}})", channels[i % 5], i); break;
        case 2: when = fmt::format(R"({{"any":[{{"field":"customer.region","op":"eq","value":"region-{}"}},{{"field":"emotion","op":"gte","value":5}}]}})", i); break;
        default: when = R"({"all":[{"field":"customer.tier","op":"eq","value":"vip"},{"field":"customer.complaints","days":30,"op":"gte","value":5}]})";
      }
      std::string body = fmt::format(R"({{"name":"rule {}","when":{},"then":[{{"type":"add_tags","value":["t{}"]}}]}})", i, when, i);
      Must(engine->CreateRule(admin, json::ParseDocument(body)->as_object()), "rule");
    }

    NewTicket n;
    n.subject = "洗衣机一个星期没人安装";
    n.description =
        "你好，我上周五在你们官方旗舰店买的洗衣机到现在还没有安装，客服说会有专人联系，结果一个星期了没人理我。"
        "这已经是我第三次打电话了，每次都说马上处理，你们到底有没有人在管？我真的非常失望！如果明天还不给我一个"
        "准确的安装时间，我就去12315投诉，再把你们的所作所为发到微博上让大家都看看。";
    n.channel = Channel::kPhone;
    n.customer.name = "王芳";
    n.customer.phone = "13900000001";
    n.team_id = team_id;
    complaint = Must(tickets->Create(admin, n), "complaint").ticket;
  }
  ~TriageWorld() {
    engine.reset();
    tickets.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }
};

void BM_TriageOneComplaint(benchmark::State& state) {
  static TriageWorld world;
  auto thread_cpu = [] {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
  };
  const std::string text = world.complaint.subject + "\n" + world.complaint.description;
  std::vector<double> total, before, writer;  // thread CPU, µs
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    double cpu = thread_cpu();
    world.engine->Prepare(text);  // on the request's thread, before the write
    double prepared = thread_cpu() - cpu;
    double in_writer = 0;
    (void)world.store->Write([&](WriteTx& tx) -> Status {
      Ticket t = world.complaint;
      double cpu_start = thread_cpu();
      auto out = world.engine->AfterWrite(tx, TicketTrigger::kCreated, t, nullptr);
      in_writer = thread_cpu() - cpu_start;
      if (!out) throw std::runtime_error(out.error().message);
      benchmark::DoNotOptimize(t);
      return Fail(Error::Conflict("rolled back on purpose"));
    });
    state.SetIterationTime(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    before.push_back(prepared);
    writer.push_back(in_writer);
    total.push_back(prepared + in_writer);
  }
  auto p = [](std::vector<double>& v, double q) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[static_cast<size_t>(q * static_cast<double>(v.size() - 1))];
  };
  state.counters["p50_us"] = p(total, 0.5);
  state.counters["p99_us"] = p(total, 0.99);
  state.counters["writer_p50_us"] = p(writer, 0.5);
  state.counters["before_write_p50_us"] = p(before, 0.5);
}
BENCHMARK(BM_TriageOneComplaint)->UseManualTime()->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace kefu
