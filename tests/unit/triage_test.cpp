// Triage on a real store: rules, grading on intake, red cases, routing under
// concurrent intake, overdue progress updates, and the dry run.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <random>
#include <thread>

#include "calendars/registry.h"
#include "core/json.h"
#include "domain/lifecycle.h"
#include "storage/sqlite/db.h"
#include "test_support.h"
#include "tickets/catalog.h"
#include "tickets/service.h"
#include "triage/engine.h"
#include "nlp/text.h"
#include "triage/red_cases.h"
#include "triage/rules.h"

namespace kefu {
namespace {

using testing::PrincipalFor;
namespace bj = boost::json;

bj::object Obj(std::string_view text) { return json::ParseDocument(text)->as_object(); }

class TriageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(ts.store->Write([&](WriteTx& tx) -> Status {
      Team east{0, "华东", "east-china", 0}, south{0, "华南", "south-china", 0};
      KEFU_TRY(tx.InsertTeam(east));
      KEFU_TRY(tx.InsertTeam(south));
      east_id = east.id;
      south_id = south.id;
      for (int i = 0; i < 3; ++i) {
        User a;
        a.username = "agent" + std::to_string(i);
        a.display_name = a.username;
        a.team_ids = {east.id};
        KEFU_TRY(tx.InsertUser(a));
        agents.push_back(a.id);
      }
      User sup;
      sup.username = "sup";
      sup.display_name = "主管";
      sup.role = Role::kSupervisor;
      sup.team_ids = {east.id};
      KEFU_TRY(tx.InsertUser(sup));
      supervisor_id = sup.id;
      User dir;
      dir.username = "director";
      dir.display_name = "总监";
      dir.role = Role::kDirector;
      KEFU_TRY(tx.InsertUser(dir));
      director_id = dir.id;
      return {};
    }));
    ASSERT_TRUE(calendars.Load());
    ASSERT_TRUE(engine.Load());
    service.AddHook(&engine);
    agent = PrincipalFor(agents[0], Role::kAgent, {east_id});
    supervisor = PrincipalFor(supervisor_id, Role::kSupervisor, {east_id});
    admin = PrincipalFor(director_id, Role::kAdmin);
  }

  // A complaint of a regular customer created in `team`, unassigned.
  Ticket CreateIn(Id team, std::string description, std::string phone = "13812345678") {
    NewTicket n = Sample(std::move(description), Tier::kRegular, std::move(phone));
    n.team_id = team;
    return Create(n);
  }

  // The team of complaint `id` after an overflow sweep.
  std::optional<Id> TeamAfterSweep(Id id) {
    EXPECT_TRUE(engine.Sweep());
    return service.Get(admin, id)->ticket.team_id;
  }

  // Unassigned complaints of `team` move to `fallback` after 30 minutes.
  void OverflowAfter30Minutes(Id team, Id fallback) {
    ASSERT_TRUE(engine.PutTeamRouting(
        admin, team,
        Obj(fmt::format(R"({{"mode":"manual","fallback_team_id":{},"overflow_minutes":30}})", fallback))));
  }

  NewTicket Sample(std::string description, Tier tier = Tier::kRegular, std::string phone = "13812345678") {
    NewTicket t;
    t.subject = "投诉";
    t.description = std::move(description);
    t.channel = Channel::kPhone;
    t.customer.name = "张伟";
    t.customer.phone = std::move(phone);
    t.customer.tier = tier;
    return t;
  }

  Ticket Create(NewTicket t) {
    auto r = service.Create(agent, t);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? r->ticket : Ticket{};
  }

  // Open complaints per user, as a reader counts them in SQL and as the
  // writer keeps them in memory (OpenLoads).
  std::pair<std::vector<std::int64_t>, std::vector<std::int64_t>> OpenCounts(const std::vector<Id>& users) {
    std::vector<std::int64_t> read, kept;
    EXPECT_TRUE(ts.store->Read([&](ReadTx& tx) -> Status {
      KEFU_ASSIGN(read, tx.CountOpenAssigned(users));
      return {};
    }));
    EXPECT_TRUE(ts.store->Write([&](WriteTx& tx) -> Status {
      KEFU_ASSIGN(kept, tx.CountOpenAssigned(users));
      return {};
    }));
    return {read, kept};
  }

  std::vector<TicketEvent> Events(Id id) {
    std::vector<TicketEvent> out;
    EXPECT_TRUE(ts.store->Read([&](ReadTx& tx) -> Status {
      KEFU_ASSIGN(out, tx.ListEvents(id));
      return {};
    }));
    return out;
  }

  void Online(Id user, int capacity) {
    auto r = engine.PutProfile(admin, user, Obj(fmt::format(R"({{"presence":"online","capacity":{}}})", capacity)));
    ASSERT_TRUE(r) << r.error().message;
  }

  testing::TempStore ts;
  ManualClock clock{1'790'000'000'000};
  Catalog catalog{*ts.store};
  TicketService service{*ts.store, catalog, clock};
  calendars::CalendarRegistry calendars{*ts.store, clock};
  triage::TriageEngine engine{*ts.store, catalog, clock, calendars};
  triage::RedCaseService red_cases{*ts.store, catalog, clock, [] { return 1440; }};
  Id east_id = 0, south_id = 0, supervisor_id = 0, director_id = 0;
  std::vector<Id> agents;
  Principal agent, supervisor, admin;
};

TEST_F(TriageTest, RuleValidationNamesThePathOfTheMistake) {
  auto bad_op = engine.CreateRule(admin, Obj(R"({"name":"x","when":{"all":[{"field":"channel","op":"eq","value":"phone"},
      {"field":"emotion","op":"contains_any","value":["a"]}]},"then":[{"type":"add_tags","value":["t"]}]})"));
  ASSERT_FALSE(bad_op);
  EXPECT_EQ(bad_op.error().field, "when.all[1].op");
  auto bad_value = engine.CreateRule(admin, Obj(R"({"name":"x","when":{"field":"channel","op":"eq","value":"fax"},
      "then":[{"type":"add_tags","value":["t"]}]})"));
  ASSERT_FALSE(bad_value);
  EXPECT_EQ(bad_value.error().field, "when.value");
  auto no_actions = engine.CreateRule(admin, Obj(R"({"name":"x","then":[]})"));
  ASSERT_FALSE(no_actions);
  EXPECT_EQ(no_actions.error().field, "then");
  auto agent_may_not = engine.CreateRule(agent, Obj(R"({"name":"x","then":[{"type":"add_tags","value":["t"]}]})"));
  ASSERT_FALSE(agent_may_not);
  EXPECT_EQ(agent_may_not.error().code, ErrorCode::kForbidden);
}

// What the dry run of `text` shows: the names of the rules that fire, and the threats.
std::pair<std::vector<std::string>, std::vector<std::string>> FiredAndThreats(triage::TriageEngine& engine,
                                                                              const Principal& p, std::string text) {
  triage::DryRunInput in;
  in.subject = std::move(text);
  auto out = engine.DryRun(p, in);
  EXPECT_TRUE(out) << out.error().message;
  std::vector<std::string> fired, threats;
  if (!out) return {};
  for (const auto& f : out->at("fired").as_array()) fired.emplace_back(f.at("name").as_string());
  for (const auto& t : out->at("threats").as_array()) threats.emplace_back(t.as_string());
  return {fired, threats};
}

TEST_F(TriageTest, RuleLexiconAndSettingSavesEachKeepWhatTheOthersChanged) {
  const std::string text = "蓝莓坏了，我要把这件事上墙示众";
  EXPECT_TRUE(FiredAndThreats(engine, admin, text).second.empty()) << "the term is not in the default lexicon";
  // Saved from two threads at once: each save rebuilds only its own part of
  // what triage runs on, and none may publish over the other's.
  constexpr int kEach = 6;
  std::thread rules([&] {
    for (int i = 0; i < kEach; ++i)
      EXPECT_TRUE(engine.CreateRule(admin, Obj(fmt::format(R"({{"name":"berry {}","when":{{"field":"text",
          "op":"contains_any","value":["蓝莓"]}},"then":[{{"type":"add_tags","value":["berry"]}}]}})", i))));
  });
  std::thread lexicon([&] {
    for (int i = 0; i < kEach; ++i)
      EXPECT_TRUE(engine.AddLexicon(admin, LexiconRow{0, "threat.media", i + 1 == kEach ? "上墙示众" : fmt::format("示众{}", i),
                                                      1, "zh", std::nullopt, 0}));
  });
  rules.join();
  lexicon.join();
  ASSERT_TRUE(engine.PutSettings(admin, Obj(R"({"classifier_threshold":0.9})")));
  auto [fired, threats] = FiredAndThreats(engine, admin, text);
  for (int i = 0; i < kEach; ++i)
    EXPECT_NE(std::ranges::find(fired, fmt::format("berry {}", i)), fired.end()) << "rule " << i;
  EXPECT_EQ(threats, std::vector<std::string>{"media"}) << "the department's own term grades";
  EXPECT_DOUBLE_EQ(engine.GetSettings(admin)->classifier_threshold, 0.9);
  // A later rule save keeps the lexicon and the settings.
  ASSERT_TRUE(engine.UpdateRule(admin, engine.ListRules(admin)->back().id, Obj(R"({"name":"berry renamed"})")));
  EXPECT_EQ(FiredAndThreats(engine, admin, text).second, std::vector<std::string>{"media"});
  EXPECT_DOUBLE_EQ(engine.GetSettings(admin)->classifier_threshold, 0.9);
}

TEST_F(TriageTest, RulesRunInOrderAndEachSaveIsAVersion) {
  auto r = engine.CreateRule(admin, Obj(R"({"name":"退款加急","when":{"field":"text","op":"contains_any","value":["退款","REFUND"]},
      "then":[{"type":"set","field":"priority","value":"urgent"},{"type":"add_tags","value":["退款"]},
              {"type":"set","field":"team","value":)" + std::to_string(south_id) + "}]}"));
  ASSERT_TRUE(r) << r.error().message;
  Ticket t = Create(Sample("please process my refund today"));
  EXPECT_EQ(t.priority, Priority::kUrgent);
  EXPECT_EQ(t.team_id, south_id);
  EXPECT_NE(std::ranges::find(t.tags, "退款"), t.tags.end());
  bool recorded = false;
  for (const auto& e : Events(t.id))
    if (e.field == "priority" && e.actor_kind == AuthorKind::kSystem && e.detail.find("退款加急") != std::string::npos)
      recorded = true;
  EXPECT_TRUE(recorded) << "the rule's change is in the history with the rule's name";
  // "sue" must not match inside "issue": English words match whole words.
  Ticket other = Create(Sample("an issue with refunding", Tier::kRegular, "13900000001"));
  EXPECT_EQ(other.priority, Priority::kNormal);
  auto misspelt = engine.UpdateRule(admin, r->id, Obj(R"({"then":[{"type":"add_tags","value":["x"]}],"stopp":true})"));
  ASSERT_FALSE(misspelt) << "an edit is checked as a new rule is";
  EXPECT_EQ(misspelt.error().field, "stopp");
  EXPECT_EQ(engine.RuleVersions(admin, r->id)->size(), 1u) << "and changes nothing";
  auto updated = engine.UpdateRule(admin, r->id, Obj(R"({"enabled":false})"));
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(engine.RuleVersions(admin, r->id)->size(), 2u);
  Ticket after = Create(Sample("退款还没到", Tier::kRegular, "13900000002"));
  EXPECT_EQ(after.priority, Priority::kNormal) << "a disabled rule does not run";
}

TEST_F(TriageTest, AThreatFromAVipOpensARedCaseOwnedByASupervisor) {
  Ticket t = Create(Sample("你们太过分了！如果明天还不解决，我就去12315投诉，还要发微博曝光！", Tier::kVip));
  EXPECT_EQ(t.emotion, 4);
  EXPECT_NE(std::ranges::find(t.threats, ThreatKind::kRegulator), t.threats.end());
  EXPECT_TRUE(t.red_case);
  EXPECT_EQ(t.priority, Priority::kUrgent);
  auto board = red_cases.Board(supervisor);
  ASSERT_TRUE(board);
  ASSERT_EQ(board->size(), 1u);
  EXPECT_EQ((*board)[0].red_case.owner_id, supervisor_id);
  EXPECT_EQ((*board)[0].red_case.next_update_due, clock.Now() + 1440 * 60'000);
  std::vector<Notification> inbox;
  ASSERT_TRUE(ts.store->Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(inbox, tx.ListNotifications(supervisor_id, true, std::nullopt, 10));
    return {};
  }));
  EXPECT_FALSE(inbox.empty()) << "the owner is told";
  // Leaving red status needs a reason, and supervisor rank.
  EXPECT_FALSE(red_cases.Close(supervisor, (*board)[0].red_case.id, " "));
  EXPECT_FALSE(red_cases.Close(agent, (*board)[0].red_case.id, "客户已满意"));
  ASSERT_TRUE(red_cases.Close(supervisor, (*board)[0].red_case.id, "客户已满意"));
  EXPECT_TRUE(red_cases.Board(supervisor)->empty());
}

// A rule run by a red-case report moves the complaint to another team: it
// waits in that team's queue from the move, not from when it was last changed.
TEST_F(TriageTest, AComplaintARuleMovesOnAProgressReportWaitsInTheNewTeamFromTheMove) {
  red_cases.SetHook(&engine);
  ASSERT_TRUE(engine.CreateRule(admin, Obj(fmt::format(R"({{"name":"红案转华南","on":["updated"],
      "when":{{"all":[{{"field":"red_case","op":"eq","value":true}},{{"field":"team","op":"eq","value":{}}}]}},
      "then":[{{"type":"set","field":"team","value":{}}}]}})", east_id, south_id))));
  NewTicket n = Sample("你们太过分了！如果明天还不解决，我就去12315投诉，还要发微博曝光！", Tier::kVip);
  n.team_id = east_id;
  Ticket t = Create(n);
  ASSERT_TRUE(t.red_case);
  ASSERT_FALSE(t.assignee_id) << "no supervisor is online";
  auto board = red_cases.Board(supervisor);
  ASSERT_TRUE(board && board->size() == 1u);
  clock.Advance(10 * 60'000);
  ASSERT_TRUE(red_cases.AddUpdate(supervisor, (*board)[0].red_case.id, "已联系客户，明天上门"));
  Ticket moved = service.Get(admin, t.id)->ticket;
  EXPECT_EQ(moved.team_id, south_id);
  EXPECT_EQ(moved.queued_at, clock.Now());
}

TEST_F(TriageTest, AMissedProgressUpdateEscalatesOnceAndTheNextIsDueACadenceLater) {
  Ticket t = Create(Sample("普通问题"));
  auto rc = red_cases.Open(supervisor, t.id, "重大投诉", std::nullopt);
  ASSERT_TRUE(rc) << rc.error().message;
  clock.Advance(1440 * 60'000 - 1);
  EXPECT_TRUE(red_cases.SweepOverdue()->empty()) << "not yet due";
  clock.Advance(1);
  auto first = red_cases.SweepOverdue();
  ASSERT_TRUE(first);
  EXPECT_FALSE(first->empty());
  EXPECT_TRUE(red_cases.SweepOverdue()->empty()) << "the same miss does not fire twice";
  auto d = red_cases.Get(supervisor, rc->id);
  EXPECT_EQ(d->red_case.missed_updates, 1);
  EXPECT_EQ(d->red_case.next_update_due, rc->opened_at + 2 * 1440 * 60'000);
  ASSERT_TRUE(red_cases.AddUpdate(supervisor, rc->id, "已联系客户，明日上门"));
  EXPECT_EQ(red_cases.Get(supervisor, rc->id)->red_case.next_update_due, clock.Now() + 1440 * 60'000);
  int missed = 0;
  for (const auto& e : Events(t.id)) missed += e.type == "red_case_update_missed";
  EXPECT_EQ(missed, 1);
}

TEST_F(TriageTest, LeastLoadedRoutingNeverPushesAnAgentOverCapacityUnderConcurrentIntake) {
  ASSERT_TRUE(engine.PutTeamRouting(admin, east_id, Obj(R"({"mode":"least_loaded"})")));
  Online(agents[0], 3);
  Online(agents[1], 2);
  // agents[2] stays offline.
  constexpr int kThreads = 4, kEach = 5;
  std::vector<std::thread> threads;
  for (int w = 0; w < kThreads; ++w)
    threads.emplace_back([&, w] {
      for (int i = 0; i < kEach; ++i) {
        NewTicket n = Sample("快递没到", Tier::kRegular, fmt::format("1370000{:02}{:02}", w, i));
        n.team_id = east_id;
        EXPECT_TRUE(service.Create(agent, n));
      }
    });
  for (auto& t : threads) t.join();
  std::map<std::optional<Id>, int> load;
  ASSERT_TRUE(ts.store->Read([&](ReadTx& tx) -> Status {
    TicketQuery q;
    q.scope.all = true;
    q.limit = 100;
    KEFU_ASSIGN(auto all, tx.ListTickets(q));
    for (const auto& t : all) load[t.assignee_id]++;
    return {};
  }));
  EXPECT_EQ(load[agents[0]], 3);
  EXPECT_EQ(load[agents[1]], 2);
  EXPECT_EQ(load[agents[2]], 0) << "offline agents get nothing";
  EXPECT_EQ(load[std::nullopt], kThreads * kEach - 5) << "the rest wait in the queue";
}

TEST_F(TriageTest, EveryRoutedAssignmentRecordsWhy) {
  ASSERT_TRUE(engine.PutTeamRouting(admin, east_id, Obj(R"({"mode":"least_loaded"})")));
  Online(agents[1], 5);
  Ticket t = CreateIn(east_id, "快递没到");
  EXPECT_EQ(t.assignee_id, agents[1]);
  bool why = false;
  for (const auto& e : Events(t.id))
    if (e.type == "routed" && e.detail.find("least-loaded") != std::string::npos) why = true;
  EXPECT_TRUE(why);
}

// Creation triages the complaint before inserting it: what is stored is what
// triage decided, its history follows the creation in order, and the
// customer's churn risk counts it.
TEST_F(TriageTest, ACreatedComplaintIsStoredAsTriagedWithItsHistoryAfterTheCreation) {
  ASSERT_TRUE(engine.PutTeamRouting(admin, east_id, Obj(R"({"mode":"least_loaded"})")));
  Online(agents[2], 5);
  Ticket t = CreateIn(east_id, "你们这是什么垃圾服务！！！再这样我就销户！");
  auto stored = service.Get(admin, t.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->ticket.assignee_id, agents[2]);
  EXPECT_EQ(stored->ticket.queued_at, std::nullopt) << "assigned as it arrived: it never waited in the queue";
  EXPECT_EQ(stored->ticket.emotion, 3);
  EXPECT_EQ(stored->ticket.threats, std::vector<ThreatKind>{ThreatKind::kChurn});
  EXPECT_EQ(stored->ticket.priority, Priority::kHigh);
  EXPECT_NE(std::ranges::find(stored->ticket.tags, "流失风险"), stored->ticket.tags.end());
  EXPECT_EQ(stored->ticket.updated_at, t.updated_at);
  std::vector<std::string> types;
  for (const auto& e : Events(t.id)) types.push_back(e.type + ":" + e.field);
  EXPECT_EQ(types, (std::vector<std::string>{"created:state", "field_changed:team", "field_changed:priority",
                                              "field_changed:tags", "routed:assignee"}));
  auto records = engine.History(admin, t.id, service);
  ASSERT_TRUE(records);
  ASSERT_EQ(records->size(), 1u) << "the grade history is the triage record";
  EXPECT_EQ((*records)[0].emotion, 3);
  auto fired = json::ParseDocument((*records)[0].fired_rules);
  ASSERT_TRUE(fired && fired->is_array()) << (*records)[0].fired_rules;
  ASSERT_FALSE(fired->as_array().empty());
  for (const auto& r : fired->as_array()) {
    EXPECT_GT(r.at("id").as_int64(), 0);
    EXPECT_FALSE(r.at("name").as_string().empty()) << "names are the rules' own, in any script";
    EXPECT_GE(r.at("version").as_int64(), 1);
  }
  auto risk = engine.CustomerRiskNow(supervisor, t.customer_id);
  ASSERT_TRUE(risk);
  EXPECT_NE(risk->reasons.find(R"("kind":"angry_complaints","count":1)"), std::string::npos) << risk->reasons;
}

// The cues the text gave are worked out before the write; the customer's
// earlier complaints, known only in the writer, are added to them.
TEST_F(TriageTest, TheGradeHistoryNamesEarlierComplaintsBesideTheTextsCues) {
  CreateIn(east_id, "快递太慢了，非常失望");
  Ticket second = CreateIn(east_id, "快递太慢了，非常失望");
  auto records = engine.History(admin, second.id, service);
  ASSERT_TRUE(records);
  ASSERT_EQ(records->size(), 1u);
  const std::string& cues = (*records)[0].cues;
  EXPECT_NE(cues.find(R"("kind":"intensifier")"), std::string::npos) << cues;
  EXPECT_NE(cues.find(R"("kind":"prior_complaints","text":"1")"), std::string::npos) << cues;
  auto list = json::ParseDocument(cues);
  ASSERT_TRUE(list && list->is_array()) << cues;
  ASSERT_GE(list->as_array().size(), 2u);
  EXPECT_EQ(list->as_array().back().at("kind").as_string(), "prior_complaints") << "written after the text's cues";
}

TEST_F(TriageTest, UnassignedComplaintsOverflowToTheFallbackTeamAfterTheSetMinutes) {
  OverflowAfter30Minutes(east_id, south_id);
  Ticket t = CreateIn(east_id, "快递没到");
  clock.Advance(29 * 60'000);
  EXPECT_EQ(TeamAfterSweep(t.id), east_id);
  clock.Advance(60'000);
  EXPECT_EQ(TeamAfterSweep(t.id), south_id);
}

TEST_F(TriageTest, OverflowCountsFromWhenTheComplaintEnteredTheTeam) {
  OverflowAfter30Minutes(south_id, east_id);
  Ticket t = CreateIn(east_id, "快递没到");
  clock.Advance(60 * 60'000);
  TicketPatch move;
  move.team_id = std::optional<Id>(south_id);
  ASSERT_TRUE(service.Update(admin, t.id, move));
  clock.Advance(20 * 60'000);
  EXPECT_EQ(TeamAfterSweep(t.id), south_id) << "20 minutes in the south team, created 80 ago";
  clock.Advance(10 * 60'000);
  EXPECT_EQ(TeamAfterSweep(t.id), east_id);
}

// Regression: the sweep listed the 200 oldest-created complaints of the team
// and looked no further, so complaints created earlier but moved in lately
// kept one that had waited long from ever overflowing.
TEST_F(TriageTest, OverflowTakesTheLongestWaitingComplaintsNotTheOldestCreated) {
  OverflowAfter30Minutes(east_id, south_id);
  constexpr int kMovedIn = 201;  // more than a batch, and than the 200 the sweep once listed
  static_assert(kMovedIn > triage::TriageEngine::kOverflowBatch);
  std::vector<Id> moved_in;
  for (int i = 0; i < kMovedIn; ++i) {
    NewTicket elsewhere = Sample("快递没到", Tier::kRegular, fmt::format("1381234{:04}", i));
    elsewhere.team_id = south_id;
    auto r = service.Create(admin, elsewhere);
    ASSERT_TRUE(r) << r.error().message;
    moved_in.push_back(r->ticket.id);
  }
  clock.Advance(60'000);
  Ticket waiting = CreateIn(east_id, "发票开错了");
  clock.Advance(40 * 60'000);
  TicketPatch move;
  move.team_id = std::optional<Id>(east_id);
  for (Id id : moved_in) ASSERT_TRUE(service.Update(admin, id, move));
  EXPECT_EQ(TeamAfterSweep(waiting.id), south_id) << "waited 40 minutes in the east queue";
  for (Id id : moved_in) EXPECT_EQ(service.Get(admin, id)->ticket.team_id, east_id) << "moved in just now";
}

TEST_F(TriageTest, AnOverflowedComplaintWaitsAfreshInTheFallbackTeam) {
  for (auto [team, fallback] : {std::pair{east_id, south_id}, std::pair{south_id, east_id}})
    OverflowAfter30Minutes(team, fallback);
  Ticket t = CreateIn(east_id, "快递没到");
  clock.Advance(30 * 60'000);
  ASSERT_TRUE(engine.Sweep());
  Ticket overflowed = service.Get(admin, t.id)->ticket;
  EXPECT_EQ(overflowed.team_id, south_id);
  EXPECT_EQ(overflowed.assignee_id, std::nullopt);
  EXPECT_EQ(overflowed.queued_at, clock.Now());
  clock.Advance(29 * 60'000);
  EXPECT_EQ(TeamAfterSweep(t.id), south_id);
  clock.Advance(60'000);
  EXPECT_EQ(TeamAfterSweep(t.id), east_id);
}

// A complaint the store refuses to move (here a trigger of a second
// connection) is skipped: the rest of the queue still overflows.
TEST_F(TriageTest, AComplaintThatCannotBeMovedDoesNotHoldUpTheRestOfTheQueue) {
  OverflowAfter30Minutes(east_id, south_id);
  Ticket stuck = CreateIn(east_id, "快递没到");
  clock.Advance(60'000);
  Ticket behind = CreateIn(east_id, "发票开错了", "13900000001");
  sqlite::Db other;
  ASSERT_TRUE(other.Open(ts.dir + "/kefu.db", false));
  const std::string refuse = fmt::format(
      "CREATE TRIGGER refuse_move BEFORE UPDATE OF team_id ON tickets WHEN old.id = {} "
      "BEGIN SELECT RAISE(ABORT, 'refused'); END",
      stuck.id);
  ASSERT_TRUE(other.Exec(refuse.c_str()));
  clock.Advance(30 * 60'000);
  EXPECT_EQ(TeamAfterSweep(stuck.id), east_id);
  EXPECT_EQ(service.Get(admin, behind.id)->ticket.team_id, south_id);
}

TEST_F(TriageTest, AnAssignedComplaintNeverOverflows) {
  OverflowAfter30Minutes(east_id, south_id);
  NewTicket n = Sample("快递没到");
  n.team_id = east_id;
  n.assignee_id = agents[1];
  auto assigned_at_intake = service.Create(supervisor, n);
  ASSERT_TRUE(assigned_at_intake) << assigned_at_intake.error().message;
  n.assignee_id.reset();
  Ticket taken_late = Create(n);
  clock.Advance(40 * 60'000);
  TicketPatch take;
  take.assignee_id = std::optional<Id>(agents[2]);
  ASSERT_TRUE(service.Update(supervisor, taken_late.id, take));
  clock.Advance(24 * 60 * 60'000);
  ASSERT_TRUE(engine.Sweep());
  for (Id id : {assigned_at_intake->ticket.id, taken_late.id}) {
    Ticket current = service.Get(admin, id)->ticket;
    EXPECT_EQ(current.team_id, east_id);
    EXPECT_TRUE(current.assignee_id);
  }
}

TEST_F(TriageTest, DryRunShowsWhatWouldHappenAndChangesNothing) {
  triage::DryRunInput in;
  in.subject = "再不退款我就找律师起诉你们";
  in.tier = Tier::kVip;
  auto out = engine.DryRun(supervisor, in);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->at("emotion").as_int64(), 4);
  EXPECT_FALSE(out->at("fired").as_array().empty());
  EXPECT_TRUE(out->at("red_case").is_string());
  EXPECT_TRUE(red_cases.Board(supervisor)->empty());
  EXPECT_FALSE(engine.DryRun(agent, in)) << "agents cannot see the rules";
}

TEST_F(TriageTest, BusinessHoursConditionFollowsTheComplaintsCalendar) {
  auto rule = engine.CreateRule(admin, Obj(R"({"name":"after hours","when":{"field":"business_hours","op":"eq",
      "value":false},"then":[{"type":"add_tags","value":["after_hours"]}]})"));
  ASSERT_TRUE(rule) << rule.error().message;
  triage::DryRunInput in;
  in.subject = "快递丢了";
  auto fired = [&](const char* at) {
    in.at = ParseRfc3339(at);
    auto out = engine.DryRun(supervisor, in);
    EXPECT_TRUE(out) << out.error().message;
    for (const auto& f : out->at("fired").as_array())
      if (f.at("id").as_int64() == rule->id) return true;
    return false;
  };
  // The default calendar is mainland China 2026: weekdays 09:00-18:00 Asia/Shanghai.
  EXPECT_FALSE(fired("2026-09-21T02:00:00Z")) << "Monday 10:00 in Shanghai is business time";
  EXPECT_TRUE(fired("2026-09-21T13:00:00Z")) << "Monday 21:00 in Shanghai is not";
  EXPECT_TRUE(fired("2026-10-01T02:00:00Z")) << "National Day is a holiday";
  EXPECT_FALSE(fired("2026-09-20T02:00:00Z")) << "Sunday 2026-09-20 is an adjusted working day";
  // A team bound to the Bangkok calendar works Saturdays 08:00-20:00 local time.
  ASSERT_TRUE(calendars.Bind(admin, CalendarBinding{"team", std::to_string(south_id), "sea-bangkok"}));
  in.team_id = south_id;
  EXPECT_FALSE(fired("2026-09-26T12:00:00Z")) << "Saturday 19:00 in Bangkok is business time for that team";
  in.team_id = east_id;
  EXPECT_TRUE(fired("2026-09-26T12:00:00Z")) << "the same instant is a Saturday evening in Shanghai";
}

TEST_F(TriageTest, AVipWithThreeServiceFailuresIsARedCaseAndRaisesARiskAlert) {
  for (int i = 0; i < 3; ++i) {
    NewTicket n = Sample("客服态度不好", Tier::kVip);
    n.category = "service_attitude";
    Ticket t = Create(n);
    EXPECT_EQ(t.red_case, i == 2) << "complaint " << i;
  }
  auto risk = engine.ListRisk(supervisor, 0, 10);
  ASSERT_TRUE(risk);
  ASSERT_EQ(risk->size(), 1u);
  EXPECT_GE((*risk)[0].score, 60);
  EXPECT_TRUE((*risk)[0].alerted);
}

// A customer's risk is one row, rewritten in place: the list by score follows
// a score that falls, and the row keeps what was written last.
TEST_F(TriageTest, ACustomersRiskIsRewrittenAndTheListFollowsItsScore) {
  const Ticket first = Create(Sample("客服态度不好", Tier::kVip));
  const Ticket second = Create(Sample("快递还没到", Tier::kRegular, "13900000000"));
  ASSERT_NE(first.customer_id, second.customer_id);
  auto put = [&](Id customer, int score, std::string reasons, bool alerted) {
    ASSERT_TRUE(ts.store->Write([&](WriteTx& tx) -> Status {
      return tx.PutCustomerRisk(CustomerRisk{customer, score, std::move(reasons), 1000, alerted});
    }));
  };
  put(first.customer_id, 80, R"([{"kind":"reopens"}])", true);
  put(second.customer_id, 50, "[]", false);
  put(first.customer_id, 30, R"([{"kind":"waiting"}])", false);
  auto risk = engine.ListRisk(supervisor, 0, 10);
  ASSERT_TRUE(risk);
  ASSERT_EQ(risk->size(), 2u);
  EXPECT_EQ((*risk)[0].customer_id, second.customer_id);
  EXPECT_EQ((*risk)[1].customer_id, first.customer_id);
  EXPECT_EQ((*risk)[1].score, 30);
  EXPECT_EQ((*risk)[1].reasons, R"([{"kind":"waiting"}])");
  EXPECT_FALSE((*risk)[1].alerted);
  auto above = engine.ListRisk(supervisor, 40, 10);
  ASSERT_TRUE(above);
  ASSERT_EQ(above->size(), 1u);
  EXPECT_EQ((*above)[0].customer_id, second.customer_id);
}

// The writer finds the rules' text terms in one pass (TermIndex); a condition
// must answer as it does searching the text itself.
TEST_F(TriageTest, TextConditionsAnswerTheSameThroughTheRuleSetsTermIndex) {
  auto cat = catalog.Get();
  ASSERT_TRUE(cat);
  std::vector<triage::Rule> rules;
  for (const char* when : {R"({"field":"text","op":"contains_any","value":["sue","律师"]})",
                           R"({"field":"text","op":"contains_all","value":["退款","三天"]})",
                           R"({"field":"subject","op":"contains_any","value":["ＶＩＰ"]})",
                           R"({"not":{"field":"text","op":"contains_any","value":["refund"]}})"}) {
    auto rule = triage::ParseRule(Obj(fmt::format(R"({{"when":{},"then":[{{"type":"add_tags","value":["x"]}}]}})", when)),
                                  **cat);
    ASSERT_TRUE(rule) << rule.error().message;
    rules.push_back(std::move(*rule));
  }
  const triage::TermIndex index(rules);
  Ticket t;
  Customer c;
  for (auto [subject, text] : std::initializer_list<std::pair<const char*, const char*>>{
           {"vip 投诉", "this is an issue, not a lawsuit"}, {"退款", "退款三天了还没到，我要找律师"},
           {"VIP", "i will sue you"}, {"", "refund me; suez canal"}, {"", "退款还没到"}}) {
    triage::Facts facts;
    facts.ticket = &t;
    facts.customer = &c;
    facts.catalog = cat->get();
    facts.subject = nlp::Fold(subject);
    facts.text = nlp::Fold(text);
    const triage::FoundTerms found = index.Scan(facts);
    for (const auto& rule : rules) {
      const bool searched = triage::Matches(rule, facts);
      facts.found = &found;
      EXPECT_EQ(triage::Matches(rule, facts), searched) << subject << " | " << text;
      facts.found = nullptr;
    }
  }
}

// Conditions are compiled to nodes in pre-order (Program): all, any and not
// nested in each other answer as their logic says, over every combination of
// the facts they read.
TEST_F(TriageTest, NestedConditionsAnswerAsTheirLogicSays) {
  auto cat = catalog.Get();
  ASSERT_TRUE(cat);
  struct Expression {
    const char* when;
    std::function<bool(bool phone, int emotion, bool vip, bool term)> expected;
  };
  const std::vector<Expression> expressions = {
      {R"({"all":[{"any":[{"field":"channel","op":"eq","value":"phone"},{"not":{"field":"emotion","op":"lt","value":2}}]},
                  {"not":{"any":[{"field":"customer.tier","op":"eq","value":"vip"},
                                 {"field":"text","op":"contains_any","value":["律师"]}]}},
                  {"field":"emotion","op":"gte","value":1}]})",
       [](bool phone, int emotion, bool vip, bool term) {
         return (phone || !(emotion < 2)) && !(vip || term) && emotion >= 1;
       }},
      {R"({"any":[{"all":[{"field":"customer.tier","op":"eq","value":"vip"},{"field":"emotion","op":"in","value":[3,4]}]},
                  {"all":[{"not":{"field":"channel","op":"eq","value":"phone"}},
                          {"field":"text","op":"contains_all","value":["律师","退款"]}]},
                  {"not":{"not":{"field":"emotion","op":"eq","value":0}}}]})",
       [](bool phone, int emotion, bool vip, bool term) {
         return (vip && (emotion == 3 || emotion == 4)) || (!phone && term) || emotion == 0;
       }},
      {R"({"not":{"all":[{"any":[{"field":"emotion","op":"gt","value":3},{"field":"customer.tier","op":"ne","value":"vip"}]},
                         {"field":"channel","op":"in","value":["phone","chat"]}]}})",
       [](bool phone, int emotion, bool vip, bool) { return !((emotion > 3 || !vip) && phone); }},
  };
  for (const auto& e : expressions) {
    auto rule = triage::ParseRule(
        Obj(fmt::format(R"({{"when":{},"then":[{{"type":"add_tags","value":["x"]}}]}})", e.when)), **cat);
    ASSERT_TRUE(rule) << rule.error().message;
    for (bool phone : {false, true})
      for (int emotion = 0; emotion <= 4; ++emotion)
        for (bool vip : {false, true})
          for (bool term : {false, true}) {
            Ticket t;
            t.channel = phone ? Channel::kPhone : Channel::kEmail;
            t.emotion = emotion;
            Customer c;
            c.tier = vip ? Tier::kVip : Tier::kRegular;
            triage::Facts facts;
            facts.ticket = &t;
            facts.customer = &c;
            facts.catalog = cat->get();
            facts.text = nlp::Fold(term ? "我要找律师，退款" : "快递没到");
            EXPECT_EQ(triage::Matches(*rule, facts), e.expected(phone, emotion, vip, term))
                << e.when << " phone=" << phone << " emotion=" << emotion << " vip=" << vip << " term=" << term;
          }
  }
}

// RunRules passes over a rule whose guard (RuleGuard) fails without walking
// its condition: every guard shape must fire exactly the rules whose
// conditions hold, also when an earlier rule changed the guarded field.
TEST_F(TriageTest, RuleGuardsFireExactlyTheRulesWhoseConditionsHold) {
  auto cat = catalog.Get();
  ASSERT_TRUE(cat);
  std::vector<triage::Rule> rules;
  auto add = [&](const std::string& when, const std::string& then) {
    auto rule = triage::ParseRule(Obj(fmt::format(R"({{"when":{},"then":[{}]}})", when, then)), **cat);
    ASSERT_TRUE(rule) << rule.error().message;
    rules.push_back(std::move(*rule));
  };
  const std::string tag = R"({"type":"add_tags","value":["x"]})";
  add(R"({"field":"channel","op":"eq","value":"phone"})", tag);
  add(R"({"field":"customer.tier","op":"in","value":["vip","enterprise"]})", tag);
  add(R"({"all":[{"field":"emotion","op":"gte","value":1},{"field":"customer.region","op":"eq","value":"east"}]})",
      tag);
  add(R"({"field":"text","op":"contains_any","value":["sue","律师"]})", tag);
  add(R"({"field":"text","op":"contains_all","value":["退款","三天"]})", tag);
  add(R"({"field":"subject","op":"contains_any","value":["vip"]})", tag);
  add(R"({"any":[{"field":"channel","op":"eq","value":"email"},{"field":"emotion","op":"gte","value":3}]})", tag);
  add(R"({"field":"channel","op":"in","value":["chat","social","web","email","walk_in"]})", tag);  // too many to guard
  // The priority is read for a guard, then set by a rule, then read again.
  add(R"({"field":"priority","op":"eq","value":"low"})", tag);
  add(R"({"field":"text","op":"contains_any","value":["三天"]})", R"({"type":"set","field":"priority","value":"urgent"})");
  add(R"({"field":"priority","op":"eq","value":"urgent"})", tag);
  EXPECT_NE(rules[0].guard.test, triage::RuleGuard::Test::kNone);
  EXPECT_EQ(rules[6].guard.test, triage::RuleGuard::Test::kNone);
  EXPECT_EQ(rules[7].guard.test, triage::RuleGuard::Test::kNone);
  const triage::TermIndex index(rules);

  struct Case {
    Channel channel;
    Tier tier;
    const char* region;
    int emotion;
    const char* subject;
    const char* text;
  };
  for (const Case& k : {Case{Channel::kPhone, Tier::kVip, "east", 2, "VIP 投诉", "退款三天了，我要找律师"},
                        Case{Channel::kEmail, Tier::kRegular, "west", 0, "", "refund me; suez canal"},
                        Case{Channel::kChat, Tier::kEnterprise, "east", 3, "vip", "i will sue you"},
                        Case{Channel::kWeb, Tier::kRegular, "east", 0, "退款", "还没到，三天了"}}) {
    Ticket t;
    t.channel = k.channel;
    t.emotion = k.emotion;
    Customer c;
    c.tier = k.tier;
    c.region = k.region;
    triage::Facts facts;
    facts.ticket = &t;
    facts.customer = &c;
    facts.catalog = cat->get();
    facts.subject = nlp::Fold(k.subject);
    facts.text = nlp::Fold(k.text);
    const triage::FoundTerms found = index.Scan(facts);
    facts.found = &found;
    // What each rule's condition says, in order, with the earlier rules' changes applied.
    std::vector<const triage::Rule*> expected;
    Ticket walked = t;
    facts.ticket = &walked;
    for (const auto& rule : rules)
      if (triage::Matches(rule, facts)) {
        expected.push_back(&rule);
        if (&rule == &rules[9]) walked.priority = Priority::kUrgent;
      }
    triage::RuleEffects fx = triage::RunRules(rules, facts, t);
    EXPECT_EQ(fx.fired, expected) << k.subject << " | " << k.text;
  }
}

// Routing reads each candidate's open complaints: a reader counts them in
// SQL, the writer keeps them in memory (OpenLoads). Both follow assignment,
// reassignment, a complaint leaving the open states and coming back, whole
// and partial rewrites, and ignore a rolled-back write; the writer's count is
// loaded again from the store when the store is opened again.
TEST_F(TriageTest, OpenComplaintsPerAgentFollowAssignmentStateChangesAndRollback) {
  auto assigned_to = [&](Id user) {
    NewTicket n = Sample("账单有问题");
    n.team_id = east_id;
    n.assignee_id = user;
    auto r = service.Create(supervisor, n);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? r->ticket : Ticket{};
  };
  auto open_of = [&](std::vector<Id> users) {
    auto [read, kept] = OpenCounts(users);
    EXPECT_EQ(kept, read) << "the writer's count in memory";
    return read;
  };
  auto write = [&](Ticket& t, auto change) {
    return ts.store->Write([&](WriteTx& tx) -> Status {
      Ticket stored = t;
      change(t);
      return tx.UpdateTicket(t, stored);
    });
  };
  std::vector<Ticket> of_agent1;
  for (int i = 0; i < 3; ++i) of_agent1.push_back(assigned_to(agents[1]));
  Ticket of_agent2 = assigned_to(agents[2]);
  EXPECT_EQ(open_of({agents[2], agents[1], agents[0], agents[1]}), (std::vector<std::int64_t>{1, 3, 0, 3}));
  EXPECT_TRUE(open_of({}).empty());

  for (StateType s : {StateType::kNew, StateType::kOpen, StateType::kPendingCustomer, StateType::kPendingInternal,
                      StateType::kResolved, StateType::kClosed, StateType::kMerged}) {
    ASSERT_TRUE(write(of_agent2, [&](Ticket& t) { t.state_type = s; }));
    const bool open = !IsFinal(s) && s != StateType::kResolved;
    EXPECT_EQ(open_of({agents[2]}), (std::vector<std::int64_t>{open ? 1 : 0})) << Name(s);
  }
  ASSERT_TRUE(write(of_agent2, [](Ticket& t) { t.state_type = StateType::kOpen; }));
  EXPECT_EQ(open_of({agents[2]}), (std::vector<std::int64_t>{1}));

  ASSERT_TRUE(write(of_agent1[0], [&](Ticket& t) { t.assignee_id = agents[0]; }));
  ASSERT_TRUE(write(of_agent1[1], [&](Ticket& t) { t.assignee_id.reset(); }));
  EXPECT_EQ(open_of({agents[0], agents[1]}), (std::vector<std::int64_t>{1, 1}));

  ASSERT_FALSE(ts.store->Write([&](WriteTx& tx) -> Status {
    Ticket t = of_agent1[2];
    t.assignee_id = agents[0];
    KEFU_TRY(tx.UpdateTicket(t));
    return Fail(Error::Conflict("rolled back on purpose"));
  }));
  EXPECT_EQ(open_of({agents[0], agents[1]}), (std::vector<std::int64_t>{1, 1}));

  // A whole rewrite, and a partial one from a caller's stale copy: the count
  // follows what was stored, not the copy.
  Ticket whole = of_agent1[2];
  whole.assignee_id = agents[2];
  ASSERT_TRUE(ts.store->Write([&](WriteTx& tx) -> Status { return tx.UpdateTicket(whole); }));
  EXPECT_EQ(open_of({agents[1], agents[2]}), (std::vector<std::int64_t>{0, 2}));
  Ticket stale = of_agent1[2];  // still says agent 1
  Ticket closed = stale;
  closed.state_type = StateType::kClosed;
  ASSERT_TRUE(ts.store->Write([&](WriteTx& tx) -> Status { return tx.UpdateTicket(closed, stale); }));
  EXPECT_EQ(open_of({agents[1], agents[2]}), (std::vector<std::int64_t>{0, 1}));
  Ticket reopened_copy = closed;  // says agent 1; the store keeps agent 2, as the assignee is not written
  reopened_copy.state_type = StateType::kOpen;
  ASSERT_TRUE(ts.store->Write([&](WriteTx& tx) -> Status { return tx.UpdateTicket(reopened_copy, closed); }));
  EXPECT_EQ(open_of({agents[1], agents[2]}), (std::vector<std::int64_t>{0, 2}));
  closed.assignee_id = agents[2];
  ASSERT_TRUE(ts.store->Write([&](WriteTx& tx) -> Status {
    Ticket stored = closed;
    stored.state_type = StateType::kOpen;
    return tx.UpdateTicket(closed, stored);
  }));
  EXPECT_EQ(open_of({agents[1], agents[2]}), (std::vector<std::int64_t>{0, 1}));

  testing::TempStore& reopened = ts;
  reopened.store.reset();
  SqliteOptions o;
  o.data_dir = reopened.dir;
  auto again = OpenSqliteStore(o);
  ASSERT_TRUE(again) << again.error().message;
  reopened.store = std::move(*again);
  EXPECT_EQ(open_of({agents[0], agents[1], agents[2]}), (std::vector<std::int64_t>{1, 0, 1}));
}

// The writer keeps agents' loads in memory (OpenLoads); readers count them in
// SQL. After every step of a random run of inserts, partial and whole
// rewrites (state, assignee, emotion, reopens, customer, merges), some of them
// rolled back, both agree.
TEST_F(TriageTest, TheWritersCountOfOpenComplaintsAgreesWithTheStoreThroughARandomRun) {
  std::vector<Ticket> bases = {CreateIn(east_id, "快递没到", "13800000001"), CreateIn(east_id, "退款", "13800000002"),
                               CreateIn(east_id, "账单", "13800000003")};
  std::vector<Id> customers, tickets;
  for (const Ticket& b : bases) {
    customers.push_back(b.customer_id);
    tickets.push_back(b.id);
  }
  std::vector<std::optional<Id>> assignees = {std::nullopt, agents[0], agents[1], agents[2]};
  const StateType states[] = {StateType::kNew, StateType::kOpen, StateType::kPendingCustomer, StateType::kResolved,
                              StateType::kClosed, StateType::kMerged};
  std::mt19937 random(7);
  auto pick = [&](size_t n) { return static_cast<size_t>(random() % n); };
  Millis at = bases.back().created_at + 1000;
  for (int step = 0; step < 300; ++step) {
    const bool fail = pick(4) == 0;
    const size_t op = pick(3);
    (void)ts.store->Write([&](WriteTx& tx) -> Status {
      if (op == 0) {
        Ticket t = bases[pick(bases.size())];
        t.id = 0;
        t.number = fmt::format("T-{}", step);
        t.source_ref.reset();
        t.customer_id = customers[pick(customers.size())];
        t.assignee_id = assignees[pick(assignees.size())];
        t.state_type = states[pick(3)];
        t.emotion = static_cast<int>(pick(5));
        t.created_at = t.updated_at = (at += 1000);
        KEFU_TRY(tx.InsertTicket(t));
        if (!fail) tickets.push_back(t.id);
      } else {
        KEFU_ASSIGN(Ticket stored, tx.GetTicket(tickets[pick(tickets.size())]));
        Ticket t = stored;
        switch (pick(6)) {
          case 0: t.state_type = states[pick(std::size(states))]; break;
          case 1: t.assignee_id = assignees[pick(assignees.size())]; break;
          case 2: t.emotion = static_cast<int>(pick(5)); break;
          case 3: t.reopen_count += 1; break;
          case 4: t.customer_id = customers[pick(customers.size())]; break;
          default: t.state_type = states[pick(std::size(states))], t.assignee_id = assignees[pick(assignees.size())];
        }
        KEFU_TRY(op == 1 ? tx.UpdateTicket(t, stored) : tx.UpdateTicket(t));
      }
      // Read what the job changed, as routing does before it fails or commits.
      KEFU_TRY(tx.CountOpenAssigned({agents[0], agents[1], agents[2]}));
      return fail ? Fail(Error::Conflict("rolled back on purpose")) : Status{};
    });
    auto [read, kept] = OpenCounts({agents.begin(), agents.end()});
    ASSERT_EQ(kept, read) << "step " << step;
  }
}

// A complaint written back with only the columns that changed reads back as
// the complaint, collaborators included; nothing changed writes nothing.
TEST_F(TriageTest, UpdatingOnlyTheChangedColumnsReadsBackAsTheWholeComplaint) {
  Ticket stored = CreateIn(east_id, "快递三天没到");
  Ticket changed = stored;
  changed.emotion = 3;
  changed.language = "en";
  changed.tags = {"催单", "大促"};
  changed.assignee_id = agents[0];
  changed.collaborator_ids = {agents[1], agents[2]};
  changed.updated_at = stored.updated_at + 1000;
  ASSERT_TRUE(ts.store->Write([&](WriteTx& tx) -> Status { return tx.UpdateTicket(changed, stored); }));
  ASSERT_TRUE(ts.store->Write([&](WriteTx& tx) -> Status { return tx.UpdateTicket(changed, changed); }));
  ASSERT_TRUE(ts.store->Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(Ticket back, tx.GetTicket(stored.id));
    EXPECT_EQ(back.emotion, 3);
    EXPECT_EQ(back.language, "en");
    EXPECT_EQ(back.tags, changed.tags);
    EXPECT_EQ(back.assignee_id, agents[0]);
    auto collaborators = back.collaborator_ids;
    std::ranges::sort(collaborators);
    EXPECT_EQ(collaborators, (std::vector<Id>{agents[1], agents[2]}));
    EXPECT_EQ(back.updated_at, changed.updated_at);
    EXPECT_EQ(back.subject, stored.subject);
    EXPECT_EQ(back.description, stored.description);
    return {};
  }));
}

}  // namespace
}  // namespace kefu
