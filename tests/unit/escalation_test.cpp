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

}  // namespace
}  // namespace kefu
