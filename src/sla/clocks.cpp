#include "sla/clocks.h"

#include <algorithm>
#include <utility>

namespace kefu {
namespace {

constexpr Millis kNever = BusinessCalendar::kNever;

bool EndsComplaint(StateType s) {
  return s == StateType::kResolved || s == StateType::kClosed || s == StateType::kMerged;
}

// Counts business time on a calendar, or wall time, in whole seconds.
class TimeBase {
 public:
  explicit TimeBase(const BusinessCalendar* calendar) : calendar_(calendar) {}

  std::int64_t Between(Millis from, Millis to) const {
    if (calendar_) return calendar_->BusinessSecondsBetween(from, to);
    return to > from ? (to - from) / 1000 : 0;
  }
  Millis Add(Millis from, std::int64_t seconds) const {
    if (seconds <= 0) return from;
    if (calendar_) return calendar_->AddBusinessSeconds(from, seconds);
    Millis ms = 0;
    Millis due = 0;
    if (__builtin_mul_overflow(seconds, Millis{1000}, &ms) || __builtin_add_overflow(from, ms, &due)) return kNever;
    return due;
  }

 private:
  const BusinessCalendar* calendar_;
};

// One instance of a clock, replayed event by event. `clock_` holds the state
// as of the last event: used_seconds is the time counted before the current
// running stretch, which began at run_from_.
class Tracker {
 public:
  Tracker(SlaMetric metric, std::optional<std::int64_t> ref, TimeBase base, bool business, std::int64_t target_seconds,
          const std::vector<int>& percents, int instance, int prior_breaches)
      : base_(base) {
    clock_.metric = metric;
    clock_.ref = ref;
    clock_.business = business;
    clock_.target_seconds = target_seconds;
    clock_.instance = instance;
    clock_.breaches = prior_breaches;
    clock_.warnings.reserve(percents.size());
    for (int p : percents) clock_.warnings.push_back({p, kNever});
  }

  // A clock whose due time is fixed (a handoff with an agreed due time) never
  // pauses: Resume would replace the due time.
  void Start(Millis at, bool counting, std::optional<Millis> fixed_due = std::nullopt) {
    clock_.started_at = at;
    run_from_ = at;
    counting_ = counting;
    clock_.due_at = !counting ? kNever : fixed_due ? *fixed_due : base_.Add(at, clock_.target_seconds);
  }
  void Pause(Millis at) {
    if (!counting_ || finished_) return;
    CloseStretch(at);
    counting_ = false;
    clock_.due_at = kNever;
  }
  void Resume(Millis at) {
    if (counting_ || finished_) return;
    counting_ = true;
    run_from_ = at;
    clock_.due_at = base_.Add(at, clock_.target_seconds - clock_.used_seconds);
  }
  void Finish(Millis at, bool met) {
    if (finished_) return;
    if (counting_) CloseStretch(at);
    counting_ = false;
    finished_ = true;
    clock_.stopped_at = at;
    if (met) clock_.met_at = at;
  }
  void Apply(bool counting, Millis at) { counting ? Resume(at) : Pause(at); }

  bool finished() const { return finished_; }
  bool counting() const { return counting_; }
  int instance() const { return clock_.instance; }
  int breaches() const { return clock_.breaches; }

  SlaClock Report(Millis now) const {
    Tracker t = *this;
    if (t.counting_) {
      t.CloseStretch(now);
      for (SlaWarning& w : t.clock_.warnings)  // not reached yet: when it will be
        if (w.at == kNever) w.at = base_.Add(run_from_, Threshold(w.percent) - clock_.used_seconds);
    }
    SlaClock& c = t.clock_;
    c.paused = !finished_ && !counting_;
    c.state = finished_    ? (c.met_at ? SlaClockState::kMet : SlaClockState::kStopped)
              : c.breached ? SlaClockState::kBreached
              : c.paused   ? SlaClockState::kPaused
                           : SlaClockState::kRunning;
    c.left_seconds = c.target_seconds - c.used_seconds;
    return std::move(c);
  }

 private:
  std::int64_t Threshold(int percent) const { return clock_.target_seconds * percent / 100; }

  // Counts the running stretch [run_from_, end): its time, the warnings it
  // reached, and a breach if it ran past the due time.
  void CloseStretch(Millis end) {
    const std::int64_t used = clock_.used_seconds;
    const std::int64_t total = used + base_.Between(run_from_, end);
    for (SlaWarning& w : clock_.warnings)
      if (w.at == kNever && total >= Threshold(w.percent)) w.at = base_.Add(run_from_, Threshold(w.percent) - used);
    if (!clock_.breached && clock_.due_at != kNever && end > clock_.due_at) {
      clock_.breached = true;
      clock_.breached_at = clock_.due_at + 1;
      ++clock_.breaches;
    }
    clock_.used_seconds = total;
    run_from_ = end;
  }

  TimeBase base_;
  SlaClock clock_;
  Millis run_from_ = 0;
  bool counting_ = false;
  bool finished_ = false;
};

// The replay of one complaint's history.
class Replay {
 public:
  Replay(const std::vector<SlaTarget>& targets, const PauseRules& pause, const BusinessCalendar& calendar,
         const WarningPolicy& warnings)
      : pause_(pause), calendar_(&calendar) {
    for (const SlaTarget& t : targets) {
      auto& slot = targets_[static_cast<int>(t.metric)];
      if (t.minutes > 0 && !slot) slot = t;
    }
    for (int p : warnings.percents)
      if (p > 0 && p < 100 && std::ranges::find(percents_, p) == percents_.end()) percents_.push_back(p);
  }

  void Apply(const ClockEvent& e) {
    if (!created_ && e.kind != ClockEventKind::kCreated) return;  // nothing exists before the complaint
    if (state_ == StateType::kMerged) return;                      // a merged complaint is over
    switch (e.kind) {
      case ClockEventKind::kCreated: return OnCreated(e);
      case ClockEventKind::kAgentReply: return OnAgentReply(e.at);
      case ClockEventKind::kCustomerMessage: return OnCustomerMessage(e.at);
      case ClockEventKind::kStateChange: return OnStateChange(e.at, e.state);
      case ClockEventKind::kMerged: return OnStateChange(e.at, StateType::kMerged);
      case ClockEventKind::kHandoffOpened: return OnHandoffOpened(e);
      case ClockEventKind::kHandoffAnswered:
      case ClockEventKind::kHandoffCancelled:
        if (Tracker* h = FindHandoff(e.handoff_id)) h->Finish(e.at, e.kind == ClockEventKind::kHandoffAnswered);
        return;
      case ClockEventKind::kRedCaseOpened:
        if (!red_ || red_->finished()) Start(red_, SlaMetric::kRedCaseUpdate, e.at, true);
        return;
      case ClockEventKind::kRedCaseUpdate:
        if (red_ && !red_->finished()) {
          red_->Finish(e.at, true);
          Start(red_, SlaMetric::kRedCaseUpdate, e.at, true);
        }
        return;
      case ClockEventKind::kRedCaseClosed:  // the closing report is the last update
        if (red_) red_->Finish(e.at, true);
        return;
    }
  }

  std::vector<SlaClock> Report(Millis now) {
    std::vector<SlaClock> out;
    out.reserve(4 + handoffs_.size());
    for (const auto* t : {&first_, &next_, &resolution_, &red_})
      if (*t) out.push_back((*t)->Report(now));
    std::ranges::sort(handoffs_, {}, &std::pair<std::int64_t, Tracker>::first);
    for (const auto& [id, h] : handoffs_) out.push_back(h.Report(now));
    return out;
  }

 private:
  const SlaTarget* Target(SlaMetric m) const {
    const auto& t = targets_[static_cast<int>(m)];
    return t ? &*t : nullptr;
  }
  TimeBase Base(bool business) const { return TimeBase(business ? calendar_ : nullptr); }

  // Starts the next instance of a clock in `slot`, if the metric has a target.
  void Start(std::optional<Tracker>& slot, SlaMetric metric, Millis at, bool counting) {
    const SlaTarget* t = Target(metric);
    if (!t) return;
    const int instance = slot ? slot->instance() + 1 : 1;
    const int breaches = slot ? slot->breaches() : 0;
    slot.emplace(metric, std::nullopt, Base(t->business), t->business, std::int64_t{t->minutes} * 60, percents_,
                 instance, breaches);
    slot->Start(at, counting);
  }

  void OnCreated(const ClockEvent& e) {
    if (created_) return;
    created_ = true;
    state_ = e.state;
    Start(first_, SlaMetric::kFirstResponse, e.at, true);
    Start(resolution_, SlaMetric::kResolution, e.at, !pause_.resolution.Contains(state_));
  }

  void OnAgentReply(Millis at) {
    if (first_) first_->Finish(at, true);
    if (next_) next_->Finish(at, true);
    first_turn_over_ = true;
    unanswered_since_end_.reset();
  }

  void OnCustomerMessage(Millis at) {
    if (EndsComplaint(state_)) {
      if (!unanswered_since_end_) unanswered_since_end_ = at;  // answered at the reopen, if any
      return;
    }
    // Before the first response the first-response clock covers the customer;
    // later messages join the oldest unanswered one.
    if (first_turn_over_ && (!next_ || next_->finished()))
      Start(next_, SlaMetric::kNextResponse, at, !pause_.next_response.Contains(state_));
  }

  void OnStateChange(Millis at, StateType to) {
    const StateType from = state_;
    if (to == from) return;
    state_ = to;
    if (EndsComplaint(to)) {
      if (!EndsComplaint(from)) {
        if (resolution_) resolution_->Finish(at, to != StateType::kMerged);
        if (first_) first_->Finish(at, false);
        if (next_) next_->Finish(at, false);
        first_turn_over_ = true;
      }
      if (to != StateType::kResolved) {  // closed or merged: nothing is owed any more
        if (red_) red_->Finish(at, false);
        for (auto& [id, h] : handoffs_) h.Finish(at, false);
      }
      return;
    }
    if (EndsComplaint(from)) {  // a reopen: a new resolution cycle with the full target
      Start(resolution_, SlaMetric::kResolution, at, !pause_.resolution.Contains(to));
      if (unanswered_since_end_ && first_turn_over_)
        Start(next_, SlaMetric::kNextResponse, at, !pause_.next_response.Contains(to));
      unanswered_since_end_.reset();
      return;
    }
    if (resolution_ && !resolution_->finished()) resolution_->Apply(!pause_.resolution.Contains(to), at);
    if (next_ && !next_->finished()) next_->Apply(!pause_.next_response.Contains(to), at);
  }

  Tracker* FindHandoff(std::int64_t id) {
    for (auto& [hid, h] : handoffs_)
      if (hid == id) return &h;
    return nullptr;
  }

  void OnHandoffOpened(const ClockEvent& e) {
    Tracker* existing = FindHandoff(e.handoff_id);
    if (existing && !existing->finished()) return;  // already open
    const SlaTarget* t = Target(SlaMetric::kHandoff);
    if (!t && !e.handoff_due) return;  // nothing to measure against
    const bool business = t ? t->business : false;
    const TimeBase base = Base(business);
    const std::int64_t target = e.handoff_due ? base.Between(e.at, *e.handoff_due) : std::int64_t{t->minutes} * 60;
    Tracker next(SlaMetric::kHandoff, e.handoff_id, base, business, target, percents_,
                 existing ? existing->instance() + 1 : 1, existing ? existing->breaches() : 0);
    next.Start(e.at, true, e.handoff_due);
    if (existing)
      *existing = std::move(next);
    else
      handoffs_.emplace_back(e.handoff_id, std::move(next));
  }

  const PauseRules& pause_;
  const BusinessCalendar* calendar_;
  std::array<std::optional<SlaTarget>, kSlaMetricCount> targets_;
  std::vector<int> percents_;

  bool created_ = false;
  StateType state_ = StateType::kNew;
  bool first_turn_over_ = false;                 // an agent replied, or the first-response clock ended
  std::optional<Millis> unanswered_since_end_;  // a customer message while resolved or closed
  std::optional<Tracker> first_, next_, resolution_, red_;
  std::vector<std::pair<std::int64_t, Tracker>> handoffs_;
};

}  // namespace

std::vector<SlaClock> ComputeClocks(const std::vector<SlaTarget>& targets, const PauseRules& pause,
                                    const BusinessCalendar& calendar, const std::vector<ClockEvent>& history,
                                    Millis now, const WarningPolicy& warnings) {
  Replay replay(targets, pause, calendar, warnings);
  auto by_time = [](const ClockEvent& a, const ClockEvent& b) { return a.at < b.at; };
  auto replay_all = [&](const std::vector<ClockEvent>& events) {
    for (const ClockEvent& e : events)
      if (e.at <= now) replay.Apply(e);
  };
  if (std::ranges::is_sorted(history, by_time)) {
    replay_all(history);
  } else {
    std::vector<ClockEvent> sorted = history;
    std::ranges::stable_sort(sorted, by_time);
    replay_all(sorted);
  }
  return replay.Report(now);
}

std::optional<SlaFire> NextFire(const SlaClock& clock, const WarningPolicy& policy, Millis after) {
  if (clock.state != SlaClockState::kRunning) return std::nullopt;
  std::optional<SlaFire> next;
  auto consider = [&](SlaFire f) {
    if (f.at > after && (!next || f.at < next->at || (f.at == next->at && f.kind == SlaFireKind::kBreach))) next = f;
  };
  for (const SlaWarning& w : clock.warnings)
    if (w.at != kNever && std::ranges::find(policy.percents, w.percent) != policy.percents.end())
      consider({w.at, SlaFireKind::kWarning, w.percent});
  if (clock.due_at != kNever) consider({clock.due_at + 1, SlaFireKind::kBreach, 100});
  return next;
}

}  // namespace kefu
