// SLA clocks: the state of every SLA clock of one complaint, as a pure
// function of (targets, pause rules, calendar, event history, now).
//
//   std::vector<ClockEvent> history = {
//       ClockEvent::Created(t0), ClockEvent::CustomerMessage(t0),
//       ClockEvent::AgentReply(t1), ClockEvent::StateChange(t2, StateType::kPendingCustomer)};
//   auto clocks = ComputeClocks({{SlaMetric::kFirstResponse, 30, true},
//                                {SlaMetric::kResolution, 3 * 450, true}},
//                               PauseRules{}, calendar, history, now);
//   for (const SlaClock& c : clocks)
//     if (auto fire = NextFire(c, WarningPolicy{}, now)) timers.Schedule(...);
//
// Nothing here stores, sleeps or reads a clock: the caller passes the whole
// history (the complaint's events) and `now`; the same input always gives the
// same output, so the due times can be recomputed after a restart, a policy
// change or a calendar edit. docs/sla.md ("Clock semantics") has the long
// form; in short:
// - first response: from creation to the first agent reply; never pauses.
// - next response: from the oldest customer message not yet answered (after
//   the first response) to the next agent reply; only the current one is
//   reported, with the number of breaches so far.
// - resolution: from creation to resolved/closed; pauses in the states of
//   PauseRules; a reopen starts a new cycle with the full target.
// - handoff: one per handoff, from its opening to its answer; due at the
//   explicit due time agreed with the other department, else at the target.
// - red-case update: from the red case's opening or last progress report to
//   the next one, until the red case is closed.
// - closing or merging the complaint ends every clock still open (closing
//   meets resolution; everything else is stopped, not met).
// A clock is late ("breached") from the first millisecond after its due time;
// an event exactly at the due time is in time. Business targets count
// business time on the calendar (whole seconds per running stretch); others
// count wall time. Breached-then-met clocks stay visibly breached.
//
// Thread-safe: the functions are pure; BusinessCalendar is immutable.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>
#include <vector>

#include "calendar/business_calendar.h"
#include "core/clock.h"
#include "domain/enums.h"

namespace kefu {

enum class SlaMetric : std::uint8_t { kFirstResponse, kNextResponse, kResolution, kHandoff, kRedCaseUpdate };
inline constexpr int kSlaMetricCount = 5;

// What a clock shows, in this order of precedence: finished clocks are kMet or
// kStopped (ended without being met: the complaint was resolved before a reply,
// closed, merged, or the handoff cancelled); unfinished late clocks are
// kBreached (even while paused); then kPaused or kRunning.
enum class SlaClockState : std::uint8_t { kRunning, kPaused, kBreached, kMet, kStopped };

template <>
struct EnumNames<SlaMetric> {
  static constexpr std::array kNames = {"first_response", "next_response", "resolution", "handoff", "red_case_update"};
};
template <>
struct EnumNames<SlaClockState> {
  static constexpr std::array kNames = {"running", "paused", "breached", "met", "stopped"};
};

// One target of an SLA policy. `minutes` <= 0 means "no target": the metric
// has no clock (handoffs still get one from an explicit due time).
struct SlaTarget {
  SlaMetric metric = SlaMetric::kFirstResponse;
  int minutes = 0;
  bool business = true;  // business minutes on the calendar, else calendar (wall) minutes
};

// A set of state types, e.g. {StateType::kPendingCustomer}.
class StateSet {
 public:
  constexpr StateSet() = default;
  constexpr StateSet(std::initializer_list<StateType> states) {
    for (StateType s : states) bits_ |= Bit(s);
  }
  constexpr bool Contains(StateType s) const { return (bits_ & Bit(s)) != 0; }
  constexpr void Add(StateType s) { bits_ |= Bit(s); }
  friend constexpr bool operator==(StateSet, StateSet) = default;

 private:
  static constexpr std::uint8_t Bit(StateType s) { return static_cast<std::uint8_t>(1u << static_cast<int>(s)); }
  std::uint8_t bits_ = 0;
};

// In which state types the pausable clocks stop counting. Only resolution and
// next response can pause: first response, handoff and red-case update clocks
// measure promises that waiting on the customer does not suspend. Resolved,
// closed and merged are not pauses: they end the clocks (see above).
// The defaults pause both while the complaint waits on the customer;
// pending_internal (waiting on another department, Zendesk's "on-hold") does
// not pause them: the customer is still waiting, and the handoff clock holds
// the other department to its own due time.
struct PauseRules {
  StateSet resolution = {StateType::kPendingCustomer};
  StateSet next_response = {StateType::kPendingCustomer};
};

// Warnings before a breach, in percent of the target's time (1..99; others
// are ignored).
struct WarningPolicy {
  std::vector<int> percents = {75, 90};
};

enum class ClockEventKind : std::uint8_t {
  kCreated,          // the complaint was created (in `state`, normally kNew)
  kAgentReply,       // a public reply to the customer by an agent (a message or a call); notes don't count
  kCustomerMessage,  // a message from the customer
  kStateChange,      // the complaint moved to a state of type `state`
  kHandoffOpened,    // handoff `handoff_id` was opened, with an optional agreed due time
  kHandoffAnswered,  // the other department answered handoff `handoff_id`
  kHandoffCancelled,
  kRedCaseOpened,
  kRedCaseUpdate,  // a progress report on the red case
  kRedCaseClosed,
  kMerged,  // the complaint was merged into another one (same as a change to kMerged)
};

// One fact of a complaint's history that SLA clocks react to.
struct ClockEvent {
  Millis at = 0;
  ClockEventKind kind = ClockEventKind::kCreated;
  StateType state = StateType::kNew;  // kCreated, kStateChange
  std::int64_t handoff_id = 0;        // kHandoff*
  std::optional<Millis> handoff_due;  // kHandoffOpened: due time agreed with the other department

  static ClockEvent Created(Millis at, StateType state = StateType::kNew) {
    return {at, ClockEventKind::kCreated, state};
  }
  static ClockEvent AgentReply(Millis at) { return {at, ClockEventKind::kAgentReply}; }
  static ClockEvent CustomerMessage(Millis at) { return {at, ClockEventKind::kCustomerMessage}; }
  static ClockEvent StateChange(Millis at, StateType state) { return {at, ClockEventKind::kStateChange, state}; }
  static ClockEvent HandoffOpened(Millis at, std::int64_t id, std::optional<Millis> due = std::nullopt) {
    return {at, ClockEventKind::kHandoffOpened, StateType::kNew, id, due};
  }
  static ClockEvent HandoffAnswered(Millis at, std::int64_t id) {
    return {at, ClockEventKind::kHandoffAnswered, StateType::kNew, id};
  }
  static ClockEvent HandoffCancelled(Millis at, std::int64_t id) {
    return {at, ClockEventKind::kHandoffCancelled, StateType::kNew, id};
  }
  static ClockEvent RedCaseOpened(Millis at) { return {at, ClockEventKind::kRedCaseOpened}; }
  static ClockEvent RedCaseUpdate(Millis at) { return {at, ClockEventKind::kRedCaseUpdate}; }
  static ClockEvent RedCaseClosed(Millis at) { return {at, ClockEventKind::kRedCaseClosed}; }
  static ClockEvent Merged(Millis at) { return {at, ClockEventKind::kMerged}; }
};

struct SlaWarning {
  int percent = 0;
  // When the used time reaches `percent` of the target: the instant it did,
  // or, for a running clock, the instant it will. kNever when not reached and
  // not running (paused, or finished before).
  Millis at = BusinessCalendar::kNever;
  friend bool operator==(const SlaWarning&, const SlaWarning&) = default;
};

struct SlaClock {
  SlaMetric metric = SlaMetric::kFirstResponse;
  std::optional<std::int64_t> ref;  // the handoff id of a handoff clock
  SlaClockState state = SlaClockState::kRunning;
  bool business = true;  // counts business time (else wall time)
  bool paused = false;   // not counting now (and not finished)
  bool breached = false;  // late at some point; stays true once met or stopped
  Millis started_at = 0;  // the event that started this instance of the clock
  // Running: the instant after which it is late, given no further events.
  // Paused: kNever (the due time depends on when it resumes; see
  // left_seconds). Finished: the due time when it finished (kNever if it
  // finished while paused).
  Millis due_at = BusinessCalendar::kNever;
  std::optional<Millis> breached_at;  // the first late instant: due_at + 1 ms
  std::optional<Millis> met_at;
  std::optional<Millis> stopped_at;  // when it finished, met or not
  std::int64_t target_seconds = 0;
  std::int64_t used_seconds = 0;  // counted time, up to now or to when it finished
  std::int64_t left_seconds = 0;  // target - used; negative when more than the target was used
  std::vector<SlaWarning> warnings;
  // Which instance of this clock this is, from 1: the resolution cycle
  // (reopens), the customer turn (next response), the reporting period (red
  // case), the opening of the handoff.
  int instance = 1;
  int breaches = 0;  // breached instances so far, this one included

  friend bool operator==(const SlaClock&, const SlaClock&) = default;
};

// The clocks of one complaint at `now`: for each metric with a target, the
// current (or last) instance, if it ever started; handoff clocks follow,
// one per handoff id in ascending order. Events after `now` are ignored, the
// history need not be sorted (it is ordered by `at`; events at the same
// instant keep their order). The first target of a metric wins.
std::vector<SlaClock> ComputeClocks(const std::vector<SlaTarget>& targets, const PauseRules& pause,
                                    const BusinessCalendar& calendar, const std::vector<ClockEvent>& history,
                                    Millis now, const WarningPolicy& warnings = {});

enum class SlaFireKind : std::uint8_t { kWarning, kBreach };

struct SlaFire {
  Millis at = 0;
  SlaFireKind kind = SlaFireKind::kBreach;
  int percent = 100;  // the warning's percent; 100 for a breach
  friend bool operator==(const SlaFire&, const SlaFire&) = default;
};

// The next warning or breach of a running clock strictly after `after`:
// the earliest of its warnings whose percent is in `policy` (the clock must
// have been computed with a policy holding them) and the breach at due_at + 1.
// nullopt for paused, breached and finished clocks.
std::optional<SlaFire> NextFire(const SlaClock& clock, const WarningPolicy& policy, Millis after);

}  // namespace kefu
