// SLA clocks (sla/clocks.h) on the shipped China 2026 calendar (Mon-Fri
// 09:00-12:00 and 13:30-18:00, Asia/Shanghai, with the holidays and adjusted
// working days of 国办发明电〔2025〕7号) and on New York office hours across DST.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <stdexcept>

#include "calendar/business_calendar.h"
#include "calendar/calendar_json.h"
#include "calendar/shipped_calendars.h"
#include "core/clock.h"
#include "sla/clocks.h"

namespace kefu {
namespace {

constexpr Millis kNever = BusinessCalendar::kNever;
constexpr std::int64_t kMinute = 60;

Millis At(std::string_view rfc3339) { return ParseRfc3339(rfc3339).value(); }
// Compared as text so that a failure shows the instants readably.
std::string Utc(Millis t) { return t == kNever ? "never" : FormatRfc3339(t); }
std::string Cn(std::string_view local) { return Utc(At(std::string(local) + "+08:00")); }

BusinessCalendar Shipped(std::string_view id) {
  for (const auto& c : ShippedCalendars())
    if (c.id == id) return BusinessCalendar::Compile(ParseCalendarJson(c.json).value()).value();
  throw std::runtime_error("no shipped calendar " + std::string(id));
}

const SlaClock* Find(const std::vector<SlaClock>& clocks, SlaMetric metric,
                     std::optional<std::int64_t> ref = std::nullopt) {
  for (const SlaClock& c : clocks)
    if (c.metric == metric && c.ref == ref) return &c;
  return nullptr;
}

class SlaClocks : public ::testing::Test {
 protected:
  BusinessCalendar cal = Shipped("cn-2026");
  std::vector<SlaTarget> targets;
  PauseRules pause;
  WarningPolicy warnings;
  std::vector<ClockEvent> history;

  static Millis T(std::string_view local) { return At(std::string(local) + "+08:00"); }
  std::vector<SlaClock> Compute(std::string_view now_local) { return Compute(T(now_local)); }
  std::vector<SlaClock> Compute(Millis now) { return ComputeClocks(targets, pause, cal, history, now, warnings); }
  SlaClock Clock(SlaMetric metric, std::string_view now_local, std::optional<std::int64_t> ref = std::nullopt) {
    auto clocks = Compute(now_local);
    const SlaClock* c = Find(clocks, metric, ref);
    if (!c) throw std::runtime_error("no such clock");
    return *c;
  }
};

// --- first response ---------------------------------------------------------

TEST_F(SlaClocks, FirstResponseCreatedBeforeOpeningStartsCountingAtOpening) {
  targets = {{SlaMetric::kFirstResponse, 30, true}};
  history = {ClockEvent::Created(T("2026-03-16T07:00:00"))};  // a Monday
  SlaClock c = Clock(SlaMetric::kFirstResponse, "2026-03-16T08:59:00");
  EXPECT_EQ(c.state, SlaClockState::kRunning);
  EXPECT_EQ(Utc(c.started_at), Cn("2026-03-16T07:00:00"));
  EXPECT_EQ(Utc(c.due_at), Cn("2026-03-16T09:30:00"));
  EXPECT_EQ(c.used_seconds, 0);
  EXPECT_EQ(c.left_seconds, 30 * kMinute);
  EXPECT_EQ(Clock(SlaMetric::kFirstResponse, "2026-03-16T09:10:00").used_seconds, 10 * kMinute);
}

TEST_F(SlaClocks, FirstResponseCreatedFridayEveningIsDueMondayMorning) {
  targets = {{SlaMetric::kFirstResponse, 30, true}};
  history = {ClockEvent::Created(T("2026-03-13T17:50:00"))};
  SlaClock c = Clock(SlaMetric::kFirstResponse, "2026-03-14T12:00:00");  // Saturday: nothing counts
  EXPECT_EQ(Utc(c.due_at), Cn("2026-03-16T09:20:00"));
  EXPECT_EQ(c.used_seconds, 10 * kMinute);
  EXPECT_EQ(c.left_seconds, 20 * kMinute);
}

TEST_F(SlaClocks, FirstResponseCreatedOnSpringFestivalHolidayCountsFromFirstWorkingDayAfter) {
  targets = {{SlaMetric::kFirstResponse, 30, true}};
  history = {ClockEvent::Created(T("2026-02-16T10:00:00"))};  // a Monday inside 春节 (02-15..02-23)
  SlaClock c = Clock(SlaMetric::kFirstResponse, "2026-02-23T17:00:00");
  EXPECT_EQ(Utc(c.due_at), Cn("2026-02-24T09:30:00"));
  EXPECT_EQ(c.used_seconds, 0);
}

TEST_F(SlaClocks, FirstResponseCreatedFridayEveningIsDueOnAdjustedWorkingSaturday) {
  targets = {{SlaMetric::kFirstResponse, 30, true}};
  history = {ClockEvent::Created(T("2026-02-13T17:45:00"))};  // 02-14 (Saturday) works like a Monday
  EXPECT_EQ(Utc(Clock(SlaMetric::kFirstResponse, "2026-02-13T18:00:00").due_at), Cn("2026-02-14T09:15:00"));
}

TEST_F(SlaClocks, WorkLeftOnAdjustedSaturdayContinuesAfterSpringFestival) {
  targets = {{SlaMetric::kFirstResponse, 60, true}};
  history = {ClockEvent::Created(T("2026-02-14T17:30:00"))};
  SlaClock c = Clock(SlaMetric::kFirstResponse, "2026-02-20T12:00:00");
  EXPECT_EQ(Utc(c.due_at), Cn("2026-02-24T09:30:00"));
  EXPECT_EQ(c.used_seconds, 30 * kMinute);
}

TEST_F(SlaClocks, FirstResponseMetExactlyAtTheDueInstantIsMetNotBreached) {
  targets = {{SlaMetric::kFirstResponse, 30, true}};
  history = {ClockEvent::Created(T("2026-03-16T10:00:00")), ClockEvent::AgentReply(T("2026-03-16T10:30:00"))};
  SlaClock c = Clock(SlaMetric::kFirstResponse, "2026-03-17T10:00:00");
  EXPECT_EQ(c.state, SlaClockState::kMet);
  EXPECT_FALSE(c.breached);
  EXPECT_EQ(c.breaches, 0);
  EXPECT_EQ(Utc(*c.met_at), Cn("2026-03-16T10:30:00"));
  EXPECT_EQ(c.used_seconds, 30 * kMinute);
  EXPECT_EQ(c.left_seconds, 0);
}

TEST_F(SlaClocks, FirstResponseOneSecondLateIsBreachedThenMet) {
  targets = {{SlaMetric::kFirstResponse, 30, true}};
  history = {ClockEvent::Created(T("2026-03-16T10:00:00")), ClockEvent::AgentReply(T("2026-03-16T10:30:01"))};
  SlaClock c = Clock(SlaMetric::kFirstResponse, "2026-03-17T10:00:00");
  EXPECT_EQ(c.state, SlaClockState::kMet);
  EXPECT_TRUE(c.breached);
  EXPECT_EQ(c.breaches, 1);
  EXPECT_EQ(*c.breached_at, T("2026-03-16T10:30:00") + 1);
  EXPECT_EQ(c.left_seconds, -1);
}

TEST_F(SlaClocks, RunningClockIsBreachedFromTheMillisecondAfterItsDueTime) {
  targets = {{SlaMetric::kFirstResponse, 30, true}};
  history = {ClockEvent::Created(T("2026-03-16T10:00:00"))};
  const Millis due = T("2026-03-16T10:30:00");
  auto at = [&](Millis now) { return *Find(Compute(now), SlaMetric::kFirstResponse); };
  EXPECT_EQ(at(due).state, SlaClockState::kRunning);
  EXPECT_FALSE(at(due).breached);
  EXPECT_EQ(at(due + 1).state, SlaClockState::kBreached);
  EXPECT_EQ(at(due + 1000).left_seconds, -1);
}

TEST_F(SlaClocks, BreachedThenMetStaysVisiblyBreached) {
  targets = {{SlaMetric::kFirstResponse, 30, true}};
  history = {ClockEvent::Created(T("2026-03-16T10:00:00")), ClockEvent::AgentReply(T("2026-03-16T11:00:00"))};
  SlaClock c = Clock(SlaMetric::kFirstResponse, "2026-03-20T10:00:00");
  EXPECT_EQ(c.state, SlaClockState::kMet);
  EXPECT_TRUE(c.breached);
  EXPECT_EQ(Utc(*c.breached_at), Utc(T("2026-03-16T10:30:00") + 1));
  EXPECT_EQ(Utc(*c.met_at), Cn("2026-03-16T11:00:00"));
  EXPECT_EQ(c.left_seconds, -30 * kMinute);
}

TEST_F(SlaClocks, FirstResponseNeverPausesWhilePendingCustomer) {
  targets = {{SlaMetric::kFirstResponse, 120, true}};
  history = {ClockEvent::Created(T("2026-03-16T09:00:00")),
             ClockEvent::StateChange(T("2026-03-16T10:00:00"), StateType::kPendingCustomer)};
  SlaClock c = Clock(SlaMetric::kFirstResponse, "2026-03-16T10:30:00");
  EXPECT_EQ(c.state, SlaClockState::kRunning);
  EXPECT_EQ(Utc(c.due_at), Cn("2026-03-16T11:00:00"));
  EXPECT_EQ(c.used_seconds, 90 * kMinute);
}

TEST_F(SlaClocks, NotesDoNotCountSoOnlyAgentRepliesMeetFirstResponse) {
  // Notes never reach the history; a customer message does not meet the clock either.
  targets = {{SlaMetric::kFirstResponse, 30, true}};
  history = {ClockEvent::Created(T("2026-03-16T10:00:00")), ClockEvent::CustomerMessage(T("2026-03-16T10:05:00"))};
  EXPECT_EQ(Clock(SlaMetric::kFirstResponse, "2026-03-16T10:10:00").state, SlaClockState::kRunning);
}

TEST_F(SlaClocks, ResolvingBeforeAnyReplyStopsFirstResponseWithoutMeetingIt) {
  targets = {{SlaMetric::kFirstResponse, 30, true}, {SlaMetric::kResolution, 240, true}};
  history = {ClockEvent::Created(T("2026-03-16T10:00:00")),
             ClockEvent::StateChange(T("2026-03-16T10:20:00"), StateType::kResolved)};
  auto clocks = Compute("2026-03-16T12:00:00");
  EXPECT_EQ(Find(clocks, SlaMetric::kFirstResponse)->state, SlaClockState::kStopped);
  EXPECT_FALSE(Find(clocks, SlaMetric::kFirstResponse)->met_at);
  EXPECT_EQ(Find(clocks, SlaMetric::kResolution)->state, SlaClockState::kMet);
}

// --- resolution: pauses and reopens ----------------------------------------

TEST_F(SlaClocks, ResolutionPausesInPendingCustomerAndResumesWithTheTimeLeft) {
  targets = {{SlaMetric::kResolution, 240, true}};
  history = {ClockEvent::Created(T("2026-03-16T09:00:00")),
             ClockEvent::StateChange(T("2026-03-16T10:00:00"), StateType::kPendingCustomer),
             ClockEvent::StateChange(T("2026-03-17T10:00:00"), StateType::kOpen)};
  SlaClock paused = Clock(SlaMetric::kResolution, "2026-03-16T16:00:00");
  EXPECT_EQ(paused.state, SlaClockState::kPaused);
  EXPECT_TRUE(paused.paused);
  EXPECT_EQ(paused.due_at, kNever);
  EXPECT_EQ(paused.used_seconds, 60 * kMinute);
  EXPECT_EQ(paused.left_seconds, 180 * kMinute);

  SlaClock resumed = Clock(SlaMetric::kResolution, "2026-03-17T11:00:00");
  EXPECT_EQ(resumed.state, SlaClockState::kRunning);
  EXPECT_EQ(resumed.used_seconds, 120 * kMinute);
  // Three hours from Tuesday 10:00: 10:00-12:00, then 13:30-14:30 after lunch.
  EXPECT_EQ(Utc(resumed.due_at), Cn("2026-03-17T14:30:00"));
}

TEST_F(SlaClocks, PendingInternalDoesNotPauseResolutionByDefault) {
  targets = {{SlaMetric::kResolution, 240, true}};
  history = {ClockEvent::Created(T("2026-03-16T09:00:00")),
             ClockEvent::StateChange(T("2026-03-16T10:00:00"), StateType::kPendingInternal)};
  EXPECT_EQ(Clock(SlaMetric::kResolution, "2026-03-16T11:00:00").used_seconds, 120 * kMinute);
  pause.resolution = {StateType::kPendingCustomer, StateType::kPendingInternal};
  EXPECT_EQ(Clock(SlaMetric::kResolution, "2026-03-16T11:00:00").used_seconds, 60 * kMinute);
}

TEST_F(SlaClocks, ClockBreachedBeforePausingStaysBreachedWhilePaused) {
  targets = {{SlaMetric::kResolution, 60, true}};
  history = {ClockEvent::Created(T("2026-03-16T09:00:00")),
             ClockEvent::StateChange(T("2026-03-16T11:00:00"), StateType::kPendingCustomer)};
  SlaClock c = Clock(SlaMetric::kResolution, "2026-03-17T09:00:00");
  EXPECT_EQ(c.state, SlaClockState::kBreached);
  EXPECT_TRUE(c.paused);
  EXPECT_EQ(c.left_seconds, -60 * kMinute);
  EXPECT_FALSE(NextFire(c, warnings, T("2026-03-17T09:00:00")));
}

TEST_F(SlaClocks, ReopenRestartsResolutionWithTheFullTarget) {
  targets = {{SlaMetric::kResolution, 240, true}};
  history = {ClockEvent::Created(T("2026-03-16T09:00:00")),
             ClockEvent::StateChange(T("2026-03-16T11:00:00"), StateType::kResolved),
             ClockEvent::StateChange(T("2026-03-17T09:00:00"), StateType::kOpen)};
  SlaClock resolved = Clock(SlaMetric::kResolution, "2026-03-16T17:00:00");
  EXPECT_EQ(resolved.state, SlaClockState::kMet);
  EXPECT_EQ(resolved.used_seconds, 120 * kMinute);
  EXPECT_EQ(resolved.instance, 1);

  SlaClock reopened = Clock(SlaMetric::kResolution, "2026-03-17T09:00:00");
  EXPECT_EQ(reopened.state, SlaClockState::kRunning);
  EXPECT_EQ(reopened.instance, 2);
  EXPECT_EQ(Utc(reopened.started_at), Cn("2026-03-17T09:00:00"));
  EXPECT_EQ(reopened.used_seconds, 0);
  EXPECT_EQ(Utc(reopened.due_at), Cn("2026-03-17T14:30:00"));
}

TEST_F(SlaClocks, ReopenKeepsTheCountOfEarlierBreaches) {
  targets = {{SlaMetric::kResolution, 60, true}};
  history = {ClockEvent::Created(T("2026-03-16T09:00:00")),
             ClockEvent::StateChange(T("2026-03-16T11:00:00"), StateType::kResolved),
             ClockEvent::StateChange(T("2026-03-17T09:00:00"), StateType::kOpen)};
  SlaClock c = Clock(SlaMetric::kResolution, "2026-03-17T09:30:00");
  EXPECT_FALSE(c.breached);  // this cycle is in time so far
  EXPECT_EQ(c.breaches, 1);  // the first cycle was late
}

TEST_F(SlaClocks, ClosingWithoutResolvingMeetsResolution) {
  targets = {{SlaMetric::kResolution, 240, true}};
  history = {ClockEvent::Created(T("2026-03-16T09:00:00")),
             ClockEvent::StateChange(T("2026-03-16T10:00:00"), StateType::kClosed)};
  EXPECT_EQ(Clock(SlaMetric::kResolution, "2026-03-16T12:00:00").state, SlaClockState::kMet);
}

// --- next response ---------------------------------------------------------

TEST_F(SlaClocks, NextResponseRestartsAtEachCustomerMessageAfterAReply) {
  targets = {{SlaMetric::kNextResponse, 60, true}};
  history = {ClockEvent::Created(T("2026-03-16T09:00:00")),
             ClockEvent::CustomerMessage(T("2026-03-16T09:00:00")),
             ClockEvent::CustomerMessage(T("2026-03-16T09:05:00")),  // before the first reply: no clock
             ClockEvent::AgentReply(T("2026-03-16T09:10:00")),
             ClockEvent::CustomerMessage(T("2026-03-16T10:00:00")),  // turn 1 starts
             ClockEvent::CustomerMessage(T("2026-03-16T10:20:00")),  // joins turn 1: the oldest counts
             ClockEvent::AgentReply(T("2026-03-16T10:30:00")),       // turn 1 met
             ClockEvent::CustomerMessage(T("2026-03-16T14:00:00")),  // turn 2
             ClockEvent::AgentReply(T("2026-03-16T15:30:00")),       // late
             ClockEvent::CustomerMessage(T("2026-03-16T16:00:00"))};  // turn 3
  auto clocks = Compute("2026-03-16T09:08:00");
  EXPECT_FALSE(Find(clocks, SlaMetric::kNextResponse));

  SlaClock turn1 = Clock(SlaMetric::kNextResponse, "2026-03-16T10:25:00");
  EXPECT_EQ(turn1.instance, 1);
  EXPECT_EQ(Utc(turn1.started_at), Cn("2026-03-16T10:00:00"));
  EXPECT_EQ(Utc(turn1.due_at), Cn("2026-03-16T11:00:00"));

  SlaClock met = Clock(SlaMetric::kNextResponse, "2026-03-16T11:00:00");
  EXPECT_EQ(met.state, SlaClockState::kMet);
  EXPECT_EQ(met.used_seconds, 30 * kMinute);

  SlaClock turn3 = Clock(SlaMetric::kNextResponse, "2026-03-16T16:10:00");
  EXPECT_EQ(turn3.instance, 3);
  EXPECT_EQ(turn3.state, SlaClockState::kRunning);
  EXPECT_FALSE(turn3.breached);
  EXPECT_EQ(turn3.breaches, 1);  // turn 2 was answered late
  EXPECT_EQ(Utc(turn3.due_at), Cn("2026-03-16T17:00:00"));
}

TEST_F(SlaClocks, NextResponsePausesWhilePendingCustomer) {
  targets = {{SlaMetric::kNextResponse, 60, true}};
  history = {ClockEvent::Created(T("2026-03-16T09:00:00")), ClockEvent::AgentReply(T("2026-03-16T09:10:00")),
             ClockEvent::CustomerMessage(T("2026-03-16T10:00:00")),
             ClockEvent::StateChange(T("2026-03-16T10:20:00"), StateType::kPendingCustomer)};
  SlaClock c = Clock(SlaMetric::kNextResponse, "2026-03-16T15:00:00");
  EXPECT_EQ(c.state, SlaClockState::kPaused);
  EXPECT_EQ(c.used_seconds, 20 * kMinute);
}

TEST_F(SlaClocks, CustomerMessageWhileResolvedStartsNextResponseAtTheReopen) {
  targets = {{SlaMetric::kNextResponse, 60, true}};
  history = {ClockEvent::Created(T("2026-03-16T09:00:00")), ClockEvent::AgentReply(T("2026-03-16T09:10:00")),
             ClockEvent::StateChange(T("2026-03-16T09:20:00"), StateType::kResolved),
             ClockEvent::CustomerMessage(T("2026-03-16T09:30:00")),
             ClockEvent::StateChange(T("2026-03-16T10:00:00"), StateType::kOpen)};
  EXPECT_FALSE(Find(Compute("2026-03-16T09:45:00"), SlaMetric::kNextResponse));
  SlaClock c = Clock(SlaMetric::kNextResponse, "2026-03-16T10:30:00");
  EXPECT_EQ(Utc(c.started_at), Cn("2026-03-16T10:00:00"));
  EXPECT_EQ(c.used_seconds, 30 * kMinute);
}

// --- handoffs --------------------------------------------------------------

TEST_F(SlaClocks, HandoffWithExplicitDueIsDueThenAndMetByTheAnswer) {
  targets = {{SlaMetric::kHandoff, 8 * 60, true}};
  history = {ClockEvent::Created(T("2026-03-16T09:00:00")),
             ClockEvent::HandoffOpened(T("2026-03-16T10:00:00"), 7, T("2026-03-18T18:00:00")),
             ClockEvent::HandoffOpened(T("2026-03-16T10:00:00"), 3),
             ClockEvent::HandoffAnswered(T("2026-03-18T17:00:00"), 7)};
  auto clocks = Compute("2026-03-17T10:00:00");
  ASSERT_EQ(clocks.size(), 2u);
  EXPECT_EQ(clocks[0].ref, 3);  // by handoff id
  EXPECT_EQ(clocks[1].ref, 7);
  EXPECT_EQ(Utc(clocks[1].due_at), Cn("2026-03-18T18:00:00"));
  EXPECT_EQ(clocks[1].target_seconds, (13 + 15 + 15) * 1800);  // Mon 10:00-18:00 (6.5 h), Tue and Wed (7.5 h each)
  // Without an agreed due time the target counts: 8 business hours from Monday 10:00.
  EXPECT_EQ(Utc(clocks[0].due_at), Cn("2026-03-17T10:30:00"));

  SlaClock answered = Clock(SlaMetric::kHandoff, "2026-03-19T10:00:00", 7);
  EXPECT_EQ(answered.state, SlaClockState::kMet);
  EXPECT_FALSE(answered.breached);
  SlaClock late = Clock(SlaMetric::kHandoff, "2026-03-19T10:00:00", 3);
  EXPECT_EQ(late.state, SlaClockState::kBreached);
}

TEST_F(SlaClocks, HandoffWithoutTargetOrDueHasNoClockAndCancelledOneStops) {
  history = {ClockEvent::Created(T("2026-03-16T09:00:00")), ClockEvent::HandoffOpened(T("2026-03-16T10:00:00"), 1),
             ClockEvent::HandoffOpened(T("2026-03-16T10:00:00"), 2, T("2026-03-16T12:00:00")),
             ClockEvent::HandoffCancelled(T("2026-03-16T11:00:00"), 2)};
  auto clocks = Compute("2026-03-16T13:00:00");
  ASSERT_EQ(clocks.size(), 1u);
  EXPECT_EQ(clocks[0].ref, 2);
  EXPECT_EQ(clocks[0].state, SlaClockState::kStopped);
  EXPECT_FALSE(clocks[0].business);  // an agreed due time without a target counts wall time
}

TEST_F(SlaClocks, HandoffKeepsRunningWhileComplaintWaitsOnCustomerOrIsResolved) {
  targets = {{SlaMetric::kHandoff, 60, true}};
  history = {ClockEvent::Created(T("2026-03-16T09:00:00")), ClockEvent::HandoffOpened(T("2026-03-16T10:00:00"), 1),
             ClockEvent::StateChange(T("2026-03-16T10:10:00"), StateType::kPendingCustomer),
             ClockEvent::StateChange(T("2026-03-16T10:20:00"), StateType::kResolved)};
  SlaClock c = Clock(SlaMetric::kHandoff, "2026-03-16T10:40:00", 1);
  EXPECT_EQ(c.state, SlaClockState::kRunning);
  EXPECT_EQ(c.used_seconds, 40 * kMinute);
}

// --- red cases -------------------------------------------------------------

TEST_F(SlaClocks, RedCaseUpdateCadenceCountsCalendarMinutesOverTheWeekend) {
  targets = {{SlaMetric::kRedCaseUpdate, 24 * 60, false}};  // a progress report every day
  history = {ClockEvent::Created(T("2026-03-13T18:00:00")),
             ClockEvent::RedCaseOpened(T("2026-03-14T10:00:00")),  // Saturday
             ClockEvent::RedCaseUpdate(T("2026-03-15T09:00:00"))};
  SlaClock first = Clock(SlaMetric::kRedCaseUpdate, "2026-03-14T20:00:00");
  EXPECT_FALSE(first.business);
  EXPECT_EQ(Utc(first.due_at), Cn("2026-03-15T10:00:00"));
  EXPECT_EQ(first.used_seconds, 10 * 3600);

  SlaClock second = Clock(SlaMetric::kRedCaseUpdate, "2026-03-16T09:00:00");
  EXPECT_EQ(second.instance, 2);
  EXPECT_EQ(second.state, SlaClockState::kRunning);
  EXPECT_EQ(Utc(second.due_at), Cn("2026-03-16T09:00:00"));
  SlaClock late = *Find(Compute(T("2026-03-16T09:00:00") + 1), SlaMetric::kRedCaseUpdate);
  EXPECT_EQ(late.state, SlaClockState::kBreached);

  history.push_back(ClockEvent::RedCaseClosed(T("2026-03-16T11:00:00")));
  SlaClock closed = Clock(SlaMetric::kRedCaseUpdate, "2026-03-17T09:00:00");
  EXPECT_EQ(closed.state, SlaClockState::kMet);
  EXPECT_TRUE(closed.breached);
  EXPECT_EQ(closed.breaches, 1);
}

TEST_F(SlaClocks, RedCaseReopenedStartsANewPeriod) {
  targets = {{SlaMetric::kRedCaseUpdate, 24 * 60, false}};
  history = {ClockEvent::Created(T("2026-03-16T09:00:00")), ClockEvent::RedCaseOpened(T("2026-03-16T10:00:00")),
             ClockEvent::RedCaseClosed(T("2026-03-16T11:00:00")), ClockEvent::RedCaseOpened(T("2026-03-17T10:00:00"))};
  SlaClock c = Clock(SlaMetric::kRedCaseUpdate, "2026-03-17T11:00:00");
  EXPECT_EQ(c.instance, 2);
  EXPECT_EQ(Utc(c.due_at), Cn("2026-03-18T10:00:00"));
}

// --- closing, merging, policy changes, input handling ----------------------

TEST_F(SlaClocks, MergeStopsEveryClockAndLaterEventsAreIgnored) {
  targets = {{SlaMetric::kFirstResponse, 30, true},
             {SlaMetric::kResolution, 240, true},
             {SlaMetric::kRedCaseUpdate, 1440, false},
             {SlaMetric::kHandoff, 60, true}};
  history = {ClockEvent::Created(T("2026-03-16T09:00:00")), ClockEvent::RedCaseOpened(T("2026-03-16T09:00:00")),
             ClockEvent::HandoffOpened(T("2026-03-16T09:00:00"), 5), ClockEvent::Merged(T("2026-03-16T09:10:00")),
             ClockEvent::StateChange(T("2026-03-16T09:20:00"), StateType::kOpen),
             ClockEvent::AgentReply(T("2026-03-16T09:30:00"))};
  auto clocks = Compute("2026-03-17T09:00:00");
  ASSERT_EQ(clocks.size(), 4u);
  for (const SlaClock& c : clocks) {
    EXPECT_EQ(c.state, SlaClockState::kStopped) << Name(c.metric);
    EXPECT_EQ(Utc(*c.stopped_at), Cn("2026-03-16T09:10:00"));
    EXPECT_EQ(c.used_seconds, 10 * kMinute);
  }
}

TEST_F(SlaClocks, ClosingStopsHandoffsAndRedCaseButResolvingDoesNot) {
  targets = {{SlaMetric::kRedCaseUpdate, 1440, false}, {SlaMetric::kHandoff, 600, true}};
  history = {ClockEvent::Created(T("2026-03-16T09:00:00")), ClockEvent::RedCaseOpened(T("2026-03-16T09:00:00")),
             ClockEvent::HandoffOpened(T("2026-03-16T09:00:00"), 5),
             ClockEvent::StateChange(T("2026-03-16T10:00:00"), StateType::kResolved),
             ClockEvent::StateChange(T("2026-03-16T11:00:00"), StateType::kClosed)};
  for (const SlaClock& c : Compute("2026-03-16T10:30:00")) EXPECT_EQ(c.state, SlaClockState::kRunning);
  for (const SlaClock& c : Compute("2026-03-16T11:30:00")) EXPECT_EQ(c.state, SlaClockState::kStopped);
}

TEST_F(SlaClocks, PolicyChangeAppliesToTheWholeHistory) {
  // A complaint raised to urgent gets the urgent targets from its creation:
  // the first response, met after 50 minutes, is late against 30.
  history = {ClockEvent::Created(T("2026-03-16T09:00:00")), ClockEvent::AgentReply(T("2026-03-16T09:50:00"))};
  targets = {{SlaMetric::kFirstResponse, 60, true}};
  EXPECT_FALSE(Clock(SlaMetric::kFirstResponse, "2026-03-16T10:00:00").breached);
  targets = {{SlaMetric::kFirstResponse, 30, true}};
  EXPECT_TRUE(Clock(SlaMetric::kFirstResponse, "2026-03-16T10:00:00").breached);
}

TEST_F(SlaClocks, FirstTargetOfAMetricWinsAndNonPositiveTargetsAreNone) {
  targets = {{SlaMetric::kFirstResponse, 0, true},
             {SlaMetric::kFirstResponse, 30, true},
             {SlaMetric::kFirstResponse, 60, true}};
  history = {ClockEvent::Created(T("2026-03-16T09:00:00"))};
  EXPECT_EQ(Clock(SlaMetric::kFirstResponse, "2026-03-16T09:00:00").target_seconds, 30 * kMinute);
}

TEST_F(SlaClocks, EventsAfterNowAndBeforeCreationAreIgnored) {
  targets = {{SlaMetric::kFirstResponse, 30, true}};
  history = {ClockEvent::AgentReply(T("2026-03-16T08:00:00")), ClockEvent::Created(T("2026-03-16T09:00:00")),
             ClockEvent::AgentReply(T("2026-03-16T09:20:00"))};
  EXPECT_EQ(Clock(SlaMetric::kFirstResponse, "2026-03-16T09:10:00").state, SlaClockState::kRunning);
  EXPECT_EQ(Clock(SlaMetric::kFirstResponse, "2026-03-16T09:20:00").state, SlaClockState::kMet);
  EXPECT_TRUE(Compute(T("2026-03-16T08:59:00")).empty());
}

TEST_F(SlaClocks, UnsortedHistoryGivesTheSameClocksAsSorted) {
  targets = {{SlaMetric::kFirstResponse, 30, true}, {SlaMetric::kResolution, 240, true}};
  history = {ClockEvent::StateChange(T("2026-03-16T10:00:00"), StateType::kPendingCustomer),
             ClockEvent::AgentReply(T("2026-03-16T09:20:00")), ClockEvent::Created(T("2026-03-16T09:00:00"))};
  auto unsorted = Compute("2026-03-16T11:00:00");
  std::ranges::sort(history, {}, &ClockEvent::at);
  EXPECT_EQ(unsorted, Compute("2026-03-16T11:00:00"));
}

TEST_F(SlaClocks, WallTimeTargetCountsNightsAndWeekends) {
  targets = {{SlaMetric::kResolution, 48 * 60, false}};
  history = {ClockEvent::Created(T("2026-03-13T17:00:00"))};  // Friday
  SlaClock c = Clock(SlaMetric::kResolution, "2026-03-14T17:00:00");
  EXPECT_EQ(c.used_seconds, 24 * 3600);
  EXPECT_EQ(Utc(c.due_at), Cn("2026-03-15T17:00:00"));
}

// --- warnings and NextFire ---------------------------------------------------

TEST_F(SlaClocks, WarningsAt75And90PercentOfBusinessTime) {
  targets = {{SlaMetric::kResolution, 600, true}};  // 10 business hours
  history = {ClockEvent::Created(T("2026-03-16T09:00:00"))};
  SlaClock c = Clock(SlaMetric::kResolution, "2026-03-16T10:00:00");
  ASSERT_EQ(c.warnings.size(), 2u);
  EXPECT_EQ(c.warnings[0].percent, 75);
  EXPECT_EQ(Utc(c.warnings[0].at), Cn("2026-03-16T18:00:00"));  // 7.5 h: the whole Monday
  EXPECT_EQ(c.warnings[1].percent, 90);
  EXPECT_EQ(Utc(c.warnings[1].at), Cn("2026-03-17T10:30:00"));  // 9 h
  EXPECT_EQ(Utc(c.due_at), Cn("2026-03-17T11:30:00"));

  auto fire = NextFire(c, warnings, T("2026-03-16T10:00:00"));
  EXPECT_EQ(fire, (SlaFire{T("2026-03-16T18:00:00"), SlaFireKind::kWarning, 75}));
  EXPECT_EQ(NextFire(c, warnings, T("2026-03-16T18:00:00")),
            (SlaFire{T("2026-03-17T10:30:00"), SlaFireKind::kWarning, 90}));
  EXPECT_EQ(NextFire(c, warnings, T("2026-03-17T10:30:00")),
            (SlaFire{T("2026-03-17T11:30:00") + 1, SlaFireKind::kBreach, 100}));
  EXPECT_FALSE(NextFire(c, warnings, T("2026-03-17T11:30:00") + 1));
  EXPECT_EQ(NextFire(c, WarningPolicy{{90}}, T("2026-03-16T10:00:00"))->percent, 90);
}

TEST_F(SlaClocks, WarningReachedBeforeAPauseKeepsItsInstant) {
  targets = {{SlaMetric::kResolution, 100, true}};
  history = {ClockEvent::Created(T("2026-03-16T09:00:00")),
             ClockEvent::StateChange(T("2026-03-16T10:20:00"), StateType::kPendingCustomer)};
  SlaClock c = Clock(SlaMetric::kResolution, "2026-03-16T15:00:00");
  EXPECT_EQ(Utc(c.warnings[0].at), Cn("2026-03-16T10:15:00"));  // 75 minutes
  EXPECT_EQ(c.warnings[1].at, kNever);                            // 90 minutes: not reached, paused
  EXPECT_FALSE(NextFire(c, warnings, T("2026-03-16T15:00:00")));   // paused clocks fire nothing
}

TEST_F(SlaClocks, NextFireIsNothingForFinishedClocks) {
  targets = {{SlaMetric::kFirstResponse, 30, true}};
  history = {ClockEvent::Created(T("2026-03-16T09:00:00")), ClockEvent::AgentReply(T("2026-03-16T09:05:00"))};
  EXPECT_FALSE(NextFire(Clock(SlaMetric::kFirstResponse, "2026-03-16T09:06:00"), warnings, 0));
}

// --- daylight saving time ----------------------------------------------------

class SlaClocksDst : public ::testing::Test {
 protected:
  static BusinessCalendar NewYorkOffice() {
    CalendarSpec spec;
    spec.name = "New York office";
    spec.time_zone = "America/New_York";
    for (int d = 0; d < 5; ++d) spec.weekly[d] = {{9 * 60, 17 * 60}};
    return BusinessCalendar::Compile(spec).value();
  }
  BusinessCalendar cal = NewYorkOffice();
  SlaClock Compute(std::vector<SlaTarget> targets, std::vector<ClockEvent> history, Millis now) {
    return ComputeClocks(targets, PauseRules{}, cal, history, now).at(0);
  }
};

TEST_F(SlaClocksDst, BusinessTimeOverSpringForwardWeekendKeepsOfficeHours) {
  // Friday 16:00 EST; one hour left that day, then Monday 09:00 EDT (2026-03-08 02:00 -> 03:00).
  SlaClock c = Compute({{SlaMetric::kFirstResponse, 120, true}},
                       {ClockEvent::Created(At("2026-03-06T16:00:00-05:00"))}, At("2026-03-09T09:30:00-04:00"));
  EXPECT_EQ(Utc(c.due_at), Utc(At("2026-03-09T10:00:00-04:00")));
  EXPECT_EQ(c.used_seconds, 90 * kMinute);
}

TEST_F(SlaClocksDst, WallTimeOverSpringForwardCountsRealHours) {
  // 24 wall hours from Saturday noon EST end Sunday 13:00 EDT: the day is 23 hours long.
  SlaClock c = Compute({{SlaMetric::kRedCaseUpdate, 24 * 60, false}},
                       {ClockEvent::Created(At("2026-03-07T12:00:00-05:00")),
                        ClockEvent::RedCaseOpened(At("2026-03-07T12:00:00-05:00"))},
                       At("2026-03-08T12:00:00-04:00"));
  EXPECT_EQ(Utc(c.due_at), Utc(At("2026-03-08T13:00:00-04:00")));
  EXPECT_EQ(c.used_seconds, 23 * 3600);
}

TEST_F(SlaClocksDst, BusinessTimeOverFallBackWeekend) {
  // Friday 2026-10-30 16:30 EDT, 60 business minutes: 30 that day, 30 on Monday 2026-11-02 (EST).
  SlaClock c = Compute({{SlaMetric::kFirstResponse, 60, true}},
                       {ClockEvent::Created(At("2026-10-30T16:30:00-04:00"))}, At("2026-10-31T12:00:00-04:00"));
  EXPECT_EQ(Utc(c.due_at), Utc(At("2026-11-02T09:30:00-05:00")));
}

// --- properties over random histories ---------------------------------------

struct RandomComplaint {
  std::vector<SlaTarget> targets;
  std::vector<ClockEvent> history;
  Millis end = 0;
};

RandomComplaint MakeRandomComplaint(std::mt19937_64& rng) {
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };
  RandomComplaint r;
  r.targets = {{SlaMetric::kFirstResponse, 15 + pick(240), pick(4) != 0},
               {SlaMetric::kNextResponse, 15 + pick(240), pick(4) != 0},
               {SlaMetric::kResolution, 60 + pick(3000), pick(4) != 0},
               {SlaMetric::kHandoff, 60 + pick(1000), pick(2) != 0},
               {SlaMetric::kRedCaseUpdate, 60 + pick(1440), pick(2) != 0}};
  // Whole seconds, so that due times and used time agree exactly.
  Millis t = At("2026-01-01T00:00:00+08:00") + static_cast<Millis>(pick(360 * 86400)) * 1000;
  r.history.push_back(ClockEvent::Created(t));
  const StateType states[] = {StateType::kOpen, StateType::kPendingCustomer, StateType::kPendingInternal,
                              StateType::kResolved, StateType::kClosed, StateType::kMerged};
  const int n = 5 + pick(30);
  for (int i = 0; i < n; ++i) {
    t += static_cast<Millis>(pick(3 * 86400)) * 1000;
    switch (pick(12)) {
      case 0: case 1: case 2: r.history.push_back(ClockEvent::AgentReply(t)); break;
      case 3: case 4: case 5: r.history.push_back(ClockEvent::CustomerMessage(t)); break;
      case 6: case 7: r.history.push_back(ClockEvent::StateChange(t, states[pick(pick(20) == 0 ? 6 : 5)])); break;
      case 8: r.history.push_back(ClockEvent::HandoffOpened(t, 1 + pick(3), pick(2) ? std::optional<Millis>(t + pick(5) * 86'400'000LL) : std::nullopt)); break;
      case 9: r.history.push_back(ClockEvent::HandoffAnswered(t, 1 + pick(3))); break;
      case 10: r.history.push_back(ClockEvent::RedCaseOpened(t)); break;
      default: r.history.push_back(pick(3) ? ClockEvent::RedCaseUpdate(t) : ClockEvent::RedCaseClosed(t)); break;
    }
  }
  r.end = t + 5 * 86'400'000LL;
  return r;
}

TEST_F(SlaClocks, PropertyRandomHistoriesAreConsistentMonotoneAndPure) {
  std::mt19937_64 rng(20260216);
  int running_checked = 0;
  for (int round = 0; round < 150; ++round) {
    RandomComplaint r = MakeRandomComplaint(rng);
    const Millis start = r.history.front().at;
    std::map<std::pair<SlaMetric, std::int64_t>, std::pair<int, std::int64_t>> last_used;  // instance, used
    for (int step = 0; step <= 40; ++step) {
      const Millis now = start + (r.end - start) / 40 * step / 1000 * 1000;
      auto clocks = ComputeClocks(r.targets, pause, cal, r.history, now, warnings);
      ASSERT_EQ(clocks, ComputeClocks(r.targets, pause, cal, r.history, now, warnings)) << "pure";
      for (const SlaClock& c : clocks) {
        SCOPED_TRACE(std::string(Name(c.metric)) + " round " + std::to_string(round) + " at " + Utc(now));
        EXPECT_EQ(c.used_seconds + c.left_seconds, c.target_seconds);
        EXPECT_GE(c.used_seconds, 0);
        EXPECT_LE(c.breached ? 1 : 0, c.breaches);
        EXPECT_EQ(c.breached, c.breached_at.has_value());
        const auto key = std::pair(c.metric, c.ref.value_or(0));
        if (auto it = last_used.find(key); it != last_used.end() && it->second.first == c.instance) {
          EXPECT_GE(c.used_seconds, it->second.second) << "used time never decreases";
        }
        last_used[key] = {c.instance, c.used_seconds};
        if (c.state == SlaClockState::kRunning) {
          ++running_checked;
          EXPECT_LE(now, c.due_at);
          // The due time is where the time left runs out (instants are whole seconds).
          if (c.metric != SlaMetric::kHandoff && c.left_seconds > 0) {
            EXPECT_EQ(Utc(c.business ? cal.AddBusinessSeconds(now, c.left_seconds) : now + c.left_seconds * 1000),
                      Utc(c.due_at));
          }
          for (std::size_t i = 0; i + 1 < c.warnings.size(); ++i) EXPECT_LE(c.warnings[i].at, c.warnings[i + 1].at);
          for (const SlaWarning& w : c.warnings) EXPECT_LE(w.at, c.due_at);
          auto fire = NextFire(c, warnings, now);
          ASSERT_TRUE(fire);
          EXPECT_GT(fire->at, now);
        }
        if (c.state == SlaClockState::kBreached && !c.paused) {
          EXPECT_GT(now, c.due_at);
        }
      }
    }
    // The order of events with distinct instants does not matter.
    std::vector<ClockEvent> shuffled = r.history;
    std::shuffle(shuffled.begin() + 1, shuffled.end(), rng);
    std::ranges::stable_sort(shuffled, {}, &ClockEvent::at);
    EXPECT_EQ(ComputeClocks(r.targets, pause, cal, shuffled, r.end, warnings),
              ComputeClocks(r.targets, pause, cal, r.history, r.end, warnings));
  }
  EXPECT_GT(running_checked, 100);
}

TEST(SlaNames, MetricsAndStatesHaveWireNames) {
  EXPECT_EQ(Name(SlaMetric::kRedCaseUpdate), "red_case_update");
  EXPECT_EQ(Parse<SlaMetric>("first_response"), SlaMetric::kFirstResponse);
  EXPECT_EQ(Name(SlaClockState::kBreached), "breached");
}

}  // namespace
}  // namespace kefu
