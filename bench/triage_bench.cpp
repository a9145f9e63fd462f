// Triage of complaints as intake runs it: emotion and threats, language,
// the root-cause classifier, 200 rules, routing and the customer's churn
// risk, inside a write transaction of a real SQLite store holding the demo
// department (3,000 complaints of history).
// Each iteration creates the complaint as TicketService::Create does: its id
// reserved, triaged before its insert (TicketHook::BeforeInsert), inserted,
// then what triage writes about it. Timed: the text work done on the
// request's thread before the write (TicketHook::Prepare) and triage's parts
// inside the writer (the id's reservation included, the insert itself not:
// creation does it with or without triage), on the steady clock and on the
// thread's CPU clock (see Stopwatch). Each iteration's transaction is rolled
// back so that the store stays the same.
// The customer is passed in, as creation has it at hand.
//   BM_TriageOneComplaint      the demo's newest 400 complaints, in turn, as they
//                              arrive (no cause, no assignee, no grade yet)
//   BM_TriageRedCaseComplaint  one threat from a customer with a history: it
//                              opens a red case, notifies and raises churn risk
//   BM_SaveRule                one of the 200 rules renamed through the engine:
//                              the save and the rebuild of what triage runs on
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>

#include <time.h>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "auth/accounts.h"
#include "calendars/registry.h"
#include "core/json.h"
#include "demo/seed.h"
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

// The demo department with 200 rules, a classifier trained on its history and
// ten online agents in every team.
struct TriageWorld {
  std::string dir;
  std::unique_ptr<Store> store;
  SystemClock clock;
  std::unique_ptr<Catalog> catalog;
  std::unique_ptr<calendars::CalendarRegistry> calendars;
  std::unique_ptr<TicketService> tickets;
  std::unique_ptr<triage::TriageEngine> engine;
  Principal admin;
  std::vector<Ticket> arriving;  // the mix
  std::map<Id, Customer> customers;  // theirs, as creation has them at hand
  Ticket threat;

  TriageWorld() {
    dir = (std::filesystem::temp_directory_path() / fmt::format("kefu-triage-bench-{}", ::getpid())).string();
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    SqliteOptions o;
    o.data_dir = dir;
    store = Must(OpenSqliteStore(o), "open store");
    Check(EnsureDefaults(*store, clock), "defaults");
    AccountService accounts(*store, clock);
    Must(SeedDemo(*store, accounts, DemoOptions{3000, 42, clock.Now()}), "demo");
    catalog = std::make_unique<Catalog>(*store);
    calendars = std::make_unique<calendars::CalendarRegistry>(*store, clock);
    Check(calendars->Load(), "calendars");
    tickets = std::make_unique<TicketService>(*store, *catalog, clock);
    engine = std::make_unique<triage::TriageEngine>(*store, *catalog, clock, *calendars);

    auto cat = Must(catalog->Get(), "catalog");
    std::vector<Id> agents;
    Check(store->Write([&](WriteTx& tx) -> Status {
      User boss;
      boss.username = "bench-admin";
      boss.display_name = boss.username;
      boss.role = Role::kAdmin;
      KEFU_TRY(tx.InsertUser(boss));
      admin.user = boss;
      admin.permissions = RolePermissions(Role::kAdmin);
      for (const Team& team : cat->teams)
        for (int i = 0; i < 10; ++i) {
          User a;
          a.username = fmt::format("bench-agent-{}-{}", team.id, i);
          a.display_name = a.username;
          a.team_ids = {team.id};
          KEFU_TRY(tx.InsertUser(a));
          agents.push_back(a.id);
        }
      return {};
    }), "agents");
    catalog->Invalidate();
    cat = Must(catalog->Get(), "catalog");
    Check(engine->Load(), "engine");
    for (Id a : agents)
      Must(engine->PutProfile(admin, a, json::ParseDocument(R"({"presence":"online","capacity":1000,
          "skills":["lang:zh","lang:en","product:appliance"]})")->as_object()), "profile");
    for (const Team& team : cat->teams)
      Must(engine->PutTeamRouting(admin, team.id, json::ParseDocument(R"({"mode":"least_loaded"})")->as_object()),
           "team routing");
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

    // The mix: the newest demo complaints, as they were when they arrived.
    const TicketState* fresh = cat->DefaultState(StateType::kNew);
    Check(store->Read([&](ReadTx& tx) -> Status {
      TicketQuery q;
      q.scope.all = true;
      q.sort = TicketSort::kCreatedDesc;
      q.limit = 400;
      KEFU_ASSIGN(arriving, tx.ListTickets(q));
      return {};
    }), "mix");
    Check(store->Read([&](ReadTx& tx) -> Status {
      for (const Ticket& t : arriving) {
        KEFU_ASSIGN(customers[t.customer_id], tx.GetCustomer(t.customer_id));
      }
      return {};
    }), "customers");
    for (Ticket& t : arriving) {
      t.category_id.reset();
      t.assignee_id.reset();
      t.state_id = fresh->id;
      t.state_type = StateType::kNew;
      t.emotion = 0;
      t.threats.clear();
      t.language.clear();
      t.red_case = false;
      t.tags.clear();
      t.resolved_at = t.closed_at = t.first_response_at = std::nullopt;
    }

    // The threat, from a customer who has complained before.
    NewTicket n;
    n.subject = "洗衣机一个星期没人安装";
    n.description =
        "你好，我上周五在你们官方旗舰店买的洗衣机到现在还没有安装，客服说会有专人联系，结果一个星期了没人理我。"
        "这已经是我第三次打电话了，每次都说马上处理，你们到底有没有人在管？我真的非常失望！如果明天还不给我一个"
        "准确的安装时间，我就去12315投诉，再把你们的所作所为发到微博上让大家都看看。";
    n.channel = Channel::kPhone;
    n.customer.id = arriving.front().customer_id;
    n.team_id = cat->teams.front().id;
    threat = Must(tickets->Create(admin, n), "complaint").ticket;
  }
  ~TriageWorld() {
    engine.reset();
    tickets.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }
};

TriageWorld& World() {
  static TriageWorld world;
  return world;
}

double ThreadCpuMicros() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

double SteadyMicros() {
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// One timed window on the calling thread, on two clocks. The steady clock
// (vDSO, ~30 ns a read) is read inside the thread CPU clock, whose read is a
// system call (~1.4 µs on a cloud VM), so that the steady window leaves the
// CPU clock's reads out while the CPU window leaves out time the thread lost
// to others on a shared host.
struct Window {
  double steady = 0, cpu = 0;
};
class Stopwatch {
 public:
  void Start() {
    cpu_ = ThreadCpuMicros();
    steady_ = SteadyMicros();
  }
  Window Stop() const {
    const double steady = SteadyMicros() - steady_;
    return Window{steady, ThreadCpuMicros() - cpu_};
  }

 private:
  double steady_ = 0, cpu_ = 0;
};

// Triages pick(i) in iteration i and reports percentiles in µs: of the steady
// clock (p50_us, p99_us, writer_p50_us, before_write_p50_us) and of thread CPU
// time (cpu_p50_us).
void TimeTriage(benchmark::State& state, const std::function<const Ticket&(size_t)>& pick) {
  TriageWorld& world = World();
  std::vector<double> total, before, writer, cpu_total;
  size_t i = 0;
  for (auto _ : state) {
    const Ticket& complaint = pick(i++);
    const std::string text = complaint.subject + "\n" + complaint.description;
    auto start = std::chrono::steady_clock::now();
    Stopwatch watch;
    watch.Start();
    world.engine->Prepare(text, !complaint.category_id);  // on the request's thread, before the write
    const Window prepared = watch.Stop();
    Window deciding, writing;
    (void)world.store->Write([&](WriteTx& tx) -> Status {
      Ticket t = complaint;  // a new complaint with the demo one's text and fields
      t.number += "-new";
      t.source_ref.reset();
      Stopwatch in_writer;
      in_writer.Start();
      t.id = Must(tx.NextTicketId(), "id");
      auto finish = Must(world.engine->BeforeInsert(tx, t, world.customers.at(t.customer_id)), "triage");
      deciding = in_writer.Stop();
      Check(tx.InsertTicket(t), "insert");
      in_writer.Start();
      auto out = Must(finish(tx), "triage writes");
      writing = in_writer.Stop();
      benchmark::DoNotOptimize(out);
      return Fail(Error::Conflict("rolled back on purpose"));
    });
    state.SetIterationTime(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    before.push_back(prepared.steady);
    writer.push_back(deciding.steady + writing.steady);
    total.push_back(prepared.steady + deciding.steady + writing.steady);
    cpu_total.push_back(prepared.cpu + deciding.cpu + writing.cpu);
  }
  auto p = [](std::vector<double>& v, double q) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[static_cast<size_t>(q * static_cast<double>(v.size() - 1))];
  };
  state.counters["p50_us"] = p(total, 0.5);
  state.counters["p99_us"] = p(total, 0.99);
  state.counters["writer_p50_us"] = p(writer, 0.5);
  state.counters["before_write_p50_us"] = p(before, 0.5);
  state.counters["cpu_p50_us"] = p(cpu_total, 0.5);
}

void BM_TriageOneComplaint(benchmark::State& state) {
  const auto& mix = World().arriving;
  TimeTriage(state, [&](size_t i) -> const Ticket& { return mix[i % mix.size()]; });
}
BENCHMARK(BM_TriageOneComplaint)->UseManualTime()->Unit(benchmark::kMicrosecond);

void BM_TriageRedCaseComplaint(benchmark::State& state) {
  TimeTriage(state, [](size_t) -> const Ticket& { return World().threat; });
}
BENCHMARK(BM_TriageRedCaseComplaint)->UseManualTime()->Unit(benchmark::kMicrosecond);

void BM_SaveRule(benchmark::State& state) {
  TriageWorld& world = World();
  const Id rule = Must(world.engine->ListRules(world.admin), "rules").back().id;
  std::vector<double> took;
  size_t i = 0;
  for (auto _ : state) {
    const double start = SteadyMicros();
    Must(world.engine->UpdateRule(world.admin, rule, bj::object{{"name", fmt::format("rule renamed {}", i++)}}), "save");
    took.push_back((SteadyMicros() - start) / 1000);
  }
  std::ranges::sort(took);
  state.counters["p50_ms"] = took[took.size() / 2];
  state.counters["max_ms"] = took.back();
}
BENCHMARK(BM_SaveRule)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace kefu
