// Service levels on real complaints: policies chosen by the rule language,
// clocks stored with the complaint, warnings, breaches and the escalation
// ladder fired from the timers (with a ManualClock), restart safety.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "calendars/registry.h"
#include "core/json.h"
#include "escalation/service.h"
#include "test_support.h"
#include "tickets/service.h"
#include "triage/engine.h"
#include "triage/red_cases.h"

namespace kefu {
namespace {

using testing::PrincipalFor;
namespace bj = boost::json;

constexpr Millis kMinute = 60'000;

bj::object Obj(std::string_view text) { return json::ParseDocument(text)->as_object(); }

class EscalationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(ts.store->Write([&](WriteTx& tx) -> Status {
      Team east{0, "华东", "east-china", 0};
      KEFU_TRY(tx.InsertTeam(east));
      team_id = east.id;
      auto add = [&](const char* name, Role role, std::vector<Id> teams) -> Result<Id> {
        User u;
        u.username = name;
        u.display_name = name;
        u.role = role;
        u.team_ids = std::move(teams);
        KEFU_TRY(tx.InsertUser(u));
        return u.id;
      };
      KEFU_ASSIGN(agent_a, add("agent-a", Role::kAgent, {east.id}));
      KEFU_ASSIGN(agent_b, add("agent-b", Role::kAgent, {east.id}));
      KEFU_ASSIGN(lead_id, add("lead", Role::kTeamLead, {east.id}));
      KEFU_ASSIGN(supervisor_id, add("sup", Role::kSupervisor, {east.id}));
      KEFU_ASSIGN(director_id, add("director", Role::kDirector, {}));
      return {};
    }));
    ASSERT_TRUE(calendars.Load());
    ASSERT_TRUE(engine.Load());
    ASSERT_TRUE(sla.Load());
    service.AddHook(&engine);
    service.AddHook(&sla);
    red_cases.SetHook(&sla);
    ASSERT_TRUE(sla.Start(false));
    admin = PrincipalFor(director_id, Role::kAdmin);
    supervisor = PrincipalFor(supervisor_id, Role::kSupervisor, {team_id});
    agent = PrincipalFor(agent_a, Role::kAgent, {team_id});
    ASSERT_TRUE(engine.PutTeamRouting(admin, team_id, Obj(R"({"mode":"least_loaded"})")));
    for (Id a : {agent_a, agent_b})
      ASSERT_TRUE(engine.PutProfile(admin, a, Obj(R"({"presence":"online","capacity":10})")));
  }

  Ticket Create(Channel channel, std::string phone = "13900000001") {
    NewTicket n;
    n.subject = "宽带断了";
    n.description = "家里宽带从昨天开始断了";
    n.channel = channel;
    n.customer.name = "李娜";
    n.customer.phone = std::move(phone);
    n.team_id = team_id;
    auto r = service.Create(supervisor, n);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    return r ? r->ticket : Ticket{};
  }

  escalation::TicketLevels Levels(Id id) {
    auto l = sla.Of(id);
    EXPECT_TRUE(l);
    return *l;
  }

  bj::object Clock(Id id, std::string_view metric) {
    auto doc = json::ParseDocument(Levels(id).stored.clocks);
    for (const auto& c : doc->as_array())
      if (c.at("metric").as_string() == metric) return c.as_object();
    return {};
  }

  int CountEvents(Id id, std::string_view type) {
    int n = 0;
    EXPECT_TRUE(ts.store->Read([&](ReadTx& tx) -> Status {
      KEFU_ASSIGN(auto events, tx.ListEvents(id));
      for (const auto& e : events) n += e.type == type;
      return {};
    }));
    return n;
  }

  int CountNotifications(Id user, std::string_view kind) {
    int n = 0;
    EXPECT_TRUE(ts.store->Read([&](ReadTx& tx) -> Status {
      KEFU_ASSIGN(auto all, tx.ListNotifications(user, false, std::nullopt, 500));
      for (const auto& x : all) n += x.kind == kind;
      return {};
    }));
    return n;
  }

  Ticket Load(Id id) { return service.Get(admin, id)->ticket; }

  testing::TempStore ts;
  // Tuesday 2026-11-24 10:00 in Shanghai: business time on the default calendar.
  ManualClock clock{*ParseRfc3339("2026-11-24T02:00:00Z")};
  Catalog catalog{*ts.store};
  calendars::CalendarRegistry calendars{*ts.store, clock};
  TicketService service{*ts.store, catalog, clock};
  triage::TriageEngine engine{*ts.store, catalog, clock, calendars};
  triage::RedCaseService red_cases{*ts.store, catalog, clock, [] { return 1440; }};
  escalation::SlaService sla{*ts.store, catalog, clock, calendars, engine};
  Id team_id = 0, agent_a = 0, agent_b = 0, lead_id = 0, supervisor_id = 0, director_id = 0;
  Principal admin, supervisor, agent;
};

TEST_F(EscalationTest, ANewComplaintRunsUnderTheFirstMatchingPolicyOnItsCalendar) {
  Ticket phone = Create(Channel::kPhone);
  auto levels = Levels(phone.id);
  EXPECT_EQ(levels.policy_name, "默认 Everything else");
  EXPECT_EQ(levels.stored.calendar_id, "cn-2026");
  auto first = Clock(phone.id, "first_response");
  EXPECT_EQ(first.at("state").as_string(), "running");
  // 240 business minutes from Tuesday 10:00: 10:00-12:00 and 13:30-15:30.
  EXPECT_EQ(first.at("due_at").as_string(), "2026-11-24T07:30:00.000Z");
  Ticket social = Create(Channel::kSocial, "13900000002");
  EXPECT_EQ(Levels(social.id).policy_name, "社交媒体 30 分钟答复 Social media: an answer within 30 minutes");
  EXPECT_EQ(Clock(social.id, "first_response").at("due_at").as_string(), "2026-11-24T02:30:00.000Z");
}

TEST_F(EscalationTest, WarningsBreachAndLaterRungsFireOnceEachInOrder) {
  Ticket t = Create(Channel::kSocial);
  ASSERT_TRUE(t.assignee_id) << "routing assigns an online agent";
  Id first_assignee = *t.assignee_id;
  clock.Advance(22 * kMinute + 30'000);  // 75% of 30 minutes
  EXPECT_GE(sla.RunDue(), 1u);
  EXPECT_EQ(CountEvents(t.id, "sla_warning"), 1);
  EXPECT_EQ(CountNotifications(first_assignee, "sla_warning"), 1);
  clock.Advance(4 * kMinute + 30'000);  // 90%
  sla.RunDue();
  EXPECT_EQ(CountEvents(t.id, "sla_warning"), 2);
  clock.Set(t.created_at + 30 * kMinute);  // exactly due: still in time
  sla.RunDue();
  EXPECT_EQ(CountEvents(t.id, "sla_breach"), 0);
  clock.Advance(1);
  sla.RunDue();
  EXPECT_EQ(CountEvents(t.id, "sla_breach"), 1);
  EXPECT_EQ(CountNotifications(lead_id, "sla_breach"), 1);
  EXPECT_EQ(Load(t.id).priority, Priority::kUrgent) << "the social rule made it high; the breach raised it";
  EXPECT_TRUE(Levels(t.id).stored.breached);
  sla.RunDue();
  EXPECT_EQ(CountEvents(t.id, "sla_breach"), 1) << "nothing fires twice";
  clock.Advance(60 * kMinute);
  sla.RunDue();
  EXPECT_EQ(CountEvents(t.id, "sla_escalated"), 1);
  EXPECT_EQ(CountNotifications(supervisor_id, "sla_escalated"), 1);
  Ticket after = Load(t.id);
  ASSERT_TRUE(after.assignee_id);
  EXPECT_NE(*after.assignee_id, first_assignee) << "reassigned to the other agent";
}

TEST_F(EscalationTest, AReplyInTimeMeetsTheClockAndNothingFiresLater) {
  Ticket t = Create(Channel::kSocial);
  clock.Advance(10 * kMinute);
  NewMessage reply;
  reply.body = "您好，我们已安排师傅今天上门";
  ASSERT_TRUE(service.AddMessage(supervisor, t.id, reply));
  EXPECT_EQ(Clock(t.id, "first_response").at("state").as_string(), "met");
  clock.Advance(40 * kMinute);
  sla.RunDue();
  EXPECT_EQ(CountEvents(t.id, "sla_breach"), 0);
  EXPECT_EQ(CountEvents(t.id, "sla_warning"), 0);
}

TEST_F(EscalationTest, AfterARestartWhatCameDueFiresOnceAndNeverTwice) {
  Ticket t = Create(Channel::kSocial);
  sla.Stop();
  clock.Advance(45 * kMinute);  // the server was down across the warnings and the breach
  {
    escalation::SlaService restarted(*ts.store, catalog, clock, calendars, engine);
    ASSERT_TRUE(restarted.Load());
    ASSERT_TRUE(restarted.Start(false));
    EXPECT_EQ(restarted.TimerCount(), 2u) << "first response and resolution";
    restarted.RunDue();
  }
  EXPECT_EQ(CountEvents(t.id, "sla_breach"), 1);
  EXPECT_EQ(CountEvents(t.id, "sla_warning"), 0) << "a warning that comes due after its breach is not sent";
  escalation::SlaService again(*ts.store, catalog, clock, calendars, engine);
  ASSERT_TRUE(again.Load());
  ASSERT_TRUE(again.Start(false));
  again.RunDue();
  EXPECT_EQ(CountEvents(t.id, "sla_breach"), 1);
}

TEST_F(EscalationTest, ARedCaseBreachGoesToTheDirector) {
  Ticket t = Create(Channel::kPhone);
  ASSERT_TRUE(red_cases.Open(supervisor, t.id, "客户投诉到媒体", std::nullopt));
  EXPECT_EQ(Levels(t.id).policy_name, "红案 Red cases");
  clock.Advance(16 * kMinute);
  sla.RunDue();
  EXPECT_EQ(CountEvents(t.id, "sla_breach"), 1);
  EXPECT_EQ(CountNotifications(director_id, "sla_breach"), 1);
}

TEST_F(EscalationTest, PolicyValidationNamesThePathAndChangesNothing) {
  auto bad = sla.CreatePolicy(admin, Obj(R"({"name":"x","targets":{"resolution":{"minutes":0}}})"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "targets.resolution.minutes");
  auto typo = sla.CreatePolicy(admin, Obj(R"({"name":"x","targets":{"resolution":{"minutes":5}},"escalaton":[]})"));
  ASSERT_FALSE(typo);
  EXPECT_EQ(typo.error().field, "escalaton");
  auto bad_when = sla.CreatePolicy(admin, Obj(R"({"name":"x","when":{"field":"channel","op":"gte","value":"x"},
      "targets":{"resolution":{"minutes":5}}})"));
  ASSERT_FALSE(bad_when);
  EXPECT_EQ(bad_when.error().field.rfind("when", 0), 0u) << bad_when.error().field;
  EXPECT_FALSE(sla.CreatePolicy(agent, Obj(R"({"name":"x","targets":{"resolution":{"minutes":5}}})")));
  EXPECT_EQ(sla.ListPolicies(admin)->size(), 4u);
}

TEST_F(EscalationTest, AnEditAppliesToNewComplaintsAndReevaluationMovesOpenOnes) {
  Ticket before = Create(Channel::kPhone);
  auto policies = *sla.ListPolicies(admin);
  const auto& fallback = policies.back();
  ASSERT_TRUE(sla.UpdatePolicy(admin, fallback.id, Obj(R"({"targets":{"first_response":{"minutes":60}}})")));
  Ticket after = Create(Channel::kPhone, "13900000009");
  EXPECT_EQ(Levels(before.id).stored.policy_version, 1);
  EXPECT_EQ(Levels(after.id).stored.policy_version, 2);
  EXPECT_EQ(Clock(after.id, "first_response").at("due_at").as_string(), "2026-11-24T03:00:00.000Z");
  auto changed = sla.Reevaluate(admin);
  ASSERT_TRUE(changed);
  EXPECT_EQ(*changed, 1);
  EXPECT_EQ(Levels(before.id).stored.policy_version, 2);
  EXPECT_EQ(CountEvents(before.id, "sla_policy"), 1);
}

TEST_F(EscalationTest, AnEditKeepsThePartsOfThePolicyItDoesNotName) {
  auto chat = sla.CreatePolicy(admin, Obj(R"({"name":"在线","position":1,
      "when":{"field":"channel","op":"eq","value":"chat"},
      "targets":{"first_response":{"minutes":30,"business":false}},"warnings":[50]})"));
  ASSERT_TRUE(chat) << chat.error().message;
  auto edited = sla.UpdatePolicy(admin, chat->id, Obj(R"({"targets":{"first_response":{"minutes":20,"business":false}}})"));
  ASSERT_TRUE(edited) << edited.error().message;
  EXPECT_EQ(edited->version, 2);
  auto body = json::ParseDocument(edited->body)->as_object();
  EXPECT_EQ(bj::serialize(body.at("when")), R"({"field":"channel","op":"eq","value":"chat"})");
  EXPECT_EQ(bj::serialize(body.at("warnings")), "[50]");
  const Ticket phone = Create(Channel::kPhone);
  EXPECT_NE(Levels(phone.id).stored.policy_id, chat->id) << "the condition still holds a phone complaint out";
  const Ticket online = Create(Channel::kChat, "13900000013");
  EXPECT_EQ(Levels(online.id).stored.policy_id, chat->id);
  EXPECT_EQ(Clock(online.id, "first_response").at("due_at").as_string(), "2026-11-24T02:20:00.000Z");
  // A part set to null is cleared: the policy now holds every complaint.
  ASSERT_TRUE(sla.UpdatePolicy(admin, chat->id, Obj(R"({"when":null})")));
  EXPECT_EQ(Levels(Create(Channel::kPhone, "13900000014").id).stored.policy_id, chat->id);
}

TEST_F(EscalationTest, ListsShowComplaintsDueSoonAndThoseLate) {
  Ticket social = Create(Channel::kSocial);
  Create(Channel::kPhone, "13900000003");
  SlaListQuery soon;
  soon.team_id = team_id;
  soon.due_before = clock.Now() + 60 * kMinute;
  auto due = sla.List(supervisor, soon);
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ(due->front().stored.ticket_id, social.id);
  clock.Advance(31 * kMinute);
  sla.RunDue();
  SlaListQuery late;
  late.team_id = team_id;
  late.breached = true;
  auto breached = sla.List(supervisor, late);
  ASSERT_TRUE(breached);
  ASSERT_EQ(breached->size(), 1u);
  EXPECT_EQ(breached->front().stored.ticket_id, social.id);
  SlaListQuery other;
  other.breached = true;
  EXPECT_FALSE(sla.List(agent, other)) << "an agent lists only their own teams";
}

TEST_F(EscalationTest, APageOfSummariesIsOneReadAndFollowsTheClockFromRunningToWarningToLate) {
  const Millis t0 = clock.Now();
  Ticket social = Create(Channel::kSocial);  // first response in 30 wall minutes, warnings at 75 and 90 %
  Ticket phone = Create(Channel::kPhone, "13900000003");
  auto page = sla.Summaries({social.id, phone.id, 999'999});
  ASSERT_TRUE(page);
  ASSERT_EQ(page->size(), 2u) << "a complaint without service levels is absent";
  auto s = page->at(social.id);
  EXPECT_EQ(s.next_metric, SlaMetric::kFirstResponse);
  EXPECT_EQ(s.next_due_at, t0 + 30 * kMinute);
  EXPECT_EQ(s.warning_at, t0 + 30 * kMinute * 75 / 100);
  EXPECT_FALSE(s.warning);
  EXPECT_FALSE(s.breached);
  EXPECT_EQ(s, Levels(social.id).summary) << "the complaint's own view says the same";
  EXPECT_EQ(page->at(phone.id).next_due_at, Levels(phone.id).stored.next_due_at);

  clock.Advance(23 * kMinute);  // past 75 %: read before and after the warning timer fired
  EXPECT_TRUE(sla.Summaries({social.id})->at(social.id).warning);
  sla.RunDue();
  s = sla.Summaries({social.id})->at(social.id);
  EXPECT_TRUE(s.warning);
  EXPECT_FALSE(s.breached);
  EXPECT_EQ(s.next_due_at, t0 + 30 * kMinute);

  clock.Advance(7 * kMinute);  // exactly the due instant: still in time
  EXPECT_FALSE(sla.Summaries({social.id})->at(social.id).breached);
  clock.Advance(1);  // late from the first millisecond after it, before the breach timer fires
  s = sla.Summaries({social.id})->at(social.id);
  EXPECT_TRUE(s.breached);
  EXPECT_EQ(s.breached_metric, SlaMetric::kFirstResponse);
  EXPECT_EQ(s.breached_at, t0 + 30 * kMinute + 1);
  EXPECT_NE(s.next_metric, SlaMetric::kFirstResponse) << "the late clock is not the next one due";
  sla.RunDue();
  auto fired = sla.Summaries({social.id})->at(social.id);
  EXPECT_EQ(fired, s) << "the stored breach says the same as the one seen before the timer";
  EXPECT_TRUE(Levels(social.id).stored.breached);
}

TEST(SlaSummary, NamesTheClockDueFirstAndTheFirstLateOneAndSkipsFinishedAndRedCaseClocks) {
  constexpr Millis kNow = 1'000'000'000;
  auto running = [](SlaMetric m, Millis due, std::vector<SlaWarning> w = {}) {
    SlaClock c;
    c.metric = m;
    c.due_at = due;
    c.warnings = std::move(w);
    return c;
  };
  std::vector<SlaClock> clocks = {running(SlaMetric::kResolution, kNow + 500'000, {{75, kNow - 5}}),
                                  running(SlaMetric::kFirstResponse, kNow + 100'000, {{75, kNow + 50'000}}),
                                  running(SlaMetric::kRedCaseUpdate, kNow + 10)};
  clocks.push_back(running(SlaMetric::kNextResponse, kNow + 1));
  clocks.back().state = SlaClockState::kMet;
  auto s = escalation::Summarize(clocks, kNow);
  EXPECT_EQ(s.next_metric, SlaMetric::kFirstResponse);
  EXPECT_EQ(s.next_due_at, kNow + 100'000);
  EXPECT_EQ(s.warning_at, kNow - 5) << "the earliest warning of any running clock";
  EXPECT_TRUE(s.warning);
  EXPECT_FALSE(s.breached);

  // A handoff late while paused (breached earlier) and a reply clock run past its due time.
  SlaClock handoff = running(SlaMetric::kHandoff, BusinessCalendar::kNever);
  handoff.ref = 12;
  handoff.state = SlaClockState::kBreached;
  handoff.paused = handoff.breached = true;
  handoff.breached_at = kNow - 60'000;
  clocks.push_back(handoff);
  clocks.push_back(running(SlaMetric::kNextResponse, kNow - 120'000));
  s = escalation::Summarize(clocks, kNow);
  EXPECT_TRUE(s.breached);
  EXPECT_EQ(s.breached_metric, SlaMetric::kNextResponse) << "late first: due two minutes ago";
  EXPECT_EQ(s.breached_at, kNow - 120'000 + 1);
  EXPECT_EQ(s.next_metric, SlaMetric::kFirstResponse);

  EXPECT_TRUE(escalation::Summarize({}, kNow).Empty());
  SlaClock paused = running(SlaMetric::kResolution, BusinessCalendar::kNever);
  paused.state = SlaClockState::kPaused;
  EXPECT_TRUE(escalation::Summarize({paused}, kNow).Empty()) << "a paused clock has no due time";
}

TEST(SlaSummary, StoredClocksReadBackAsWritten) {
  SlaClock c;
  c.metric = SlaMetric::kHandoff;
  c.ref = 7;
  c.state = SlaClockState::kMet;
  c.business = true;
  c.breached = true;
  c.started_at = 1'000;
  c.due_at = 2'000;
  c.breached_at = 2'001;
  c.met_at = c.stopped_at = 3'000;
  c.target_seconds = 60;
  c.used_seconds = 90;
  c.left_seconds = -30;
  c.warnings = {{75, 1'750}, {90, 1'900}};
  c.instance = 2;
  c.breaches = 1;
  SlaClock d;  // running, never due, no warnings reached
  d.warnings = {{75, BusinessCalendar::kNever}};
  const std::vector<SlaClock> clocks = {c, d};
  EXPECT_EQ(escalation::ParseClocks(bj::serialize(escalation::ClocksJson(clocks))), clocks);
  EXPECT_TRUE(escalation::ParseClocks("").empty());
  EXPECT_TRUE(escalation::ParseClocks("not json").empty());
  EXPECT_EQ(escalation::ParseClocks(R"([{"metric":"nope","state":"running"},{"metric":"resolution","state":"running"}])").size(), 1u);
}

TEST_F(EscalationTest, ThePageOfComplaintsIsReadAtOnceAndOnlyWhatTheCallerMaySee) {
  Ticket a = Create(Channel::kPhone, "13900000011");
  Ticket b = Create(Channel::kEmail, "13900000012");
  Ticket c = Create(Channel::kWeb, "13900000013");
  auto page = service.GetMany(supervisor, {c.id, 999'999, a.id, c.id, b.id});
  ASSERT_TRUE(page);
  std::vector<Id> got;
  for (const auto& t : page->items) got.push_back(t.id);
  EXPECT_EQ(got, (std::vector<Id>{c.id, a.id, b.id})) << "in the order asked, each once, missing ones left out";
  EXPECT_EQ(page->customers.size(), 3u);
  // Someone of no team, assigned nothing: sees none of them, as GET /tickets/{id} would say.
  Principal outsider = PrincipalFor(lead_id, Role::kAgent, {});
  auto none = service.GetMany(outsider, {a.id, b.id, c.id});
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->items.empty());
  EXPECT_FALSE(service.Get(outsider, a.id));
  EXPECT_FALSE(service.GetMany(Principal{}, {a.id})) << "tickets.read is needed";

  // The store reads a long list in chunks of 256 ids.
  std::vector<Id> many;
  for (Id id = 1; id <= 600; ++id) many.push_back(id);
  many.push_back(b.id);
  ASSERT_TRUE(ts.store->Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(auto all, tx.TicketsAfter(0, 1000));
    size_t with_sla = 0;
    for (const auto& t : all) {
      KEFU_ASSIGN(auto one, tx.GetTicketSla(t.id));
      with_sla += one.has_value();
    }
    EXPECT_GE(all.size(), 3u);
    KEFU_ASSIGN(auto tickets, tx.GetTickets(many));
    KEFU_ASSIGN(auto slas, tx.GetTicketSlas(many));
    EXPECT_EQ(tickets.size(), all.size()) << "each once, though b is asked twice";
    EXPECT_EQ(slas.size(), with_sla);
    KEFU_ASSIGN(auto five, tx.GetTickets({a.id, b.id, c.id, 999'999, 999'998}));  // 8 placeholders
    EXPECT_EQ(five.size(), 3u);
    KEFU_ASSIGN(auto empty, tx.GetTicketSlas({}));
    EXPECT_TRUE(empty.empty());
    return {};
  }));
}

}  // namespace
}  // namespace kefu
