#include "escalation/service.h"

#include <algorithm>
#include <chrono>
#include <set>

#include <boost/json.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/json.h"
#include "domain/lifecycle.h"
#include "triage/engine.h"
#include "triage/notify.h"

namespace kefu::escalation {

namespace bj = boost::json;

namespace {

bj::value TimeOrNull(Millis t) {
  return t == BusinessCalendar::kNever ? bj::value(nullptr) : bj::value(FormatRfc3339(t));
}
bj::value TimeOrNull(std::optional<Millis> t) { return t ? TimeOrNull(*t) : bj::value(nullptr); }

// The complaint's history as the clocks see it.
Result<std::vector<ClockEvent>> History(ReadTx& tx, const Ticket& t) {
  std::vector<ClockEvent> out;
  out.push_back(ClockEvent::Created(t.created_at));
  KEFU_ASSIGN(auto messages, tx.ListMessages(t.id));
  for (const auto& m : messages) {
    if (m.kind == MessageKind::kNote) continue;
    if (m.author_kind == AuthorKind::kCustomer) out.push_back(ClockEvent::CustomerMessage(m.created_at));
    else if (m.author_kind == AuthorKind::kAgent) out.push_back(ClockEvent::AgentReply(m.created_at));
  }
  KEFU_ASSIGN(auto events, tx.ListEvents(t.id));
  for (const auto& e : events)
    if (e.type == "state_changed")
      if (auto to = Parse<StateType>(e.to)) out.push_back(ClockEvent::StateChange(e.at, *to));
  KEFU_ASSIGN(auto handoffs, tx.ListHandoffs(t.id));
  for (const auto& h : handoffs) {
    out.push_back(ClockEvent::HandoffOpened(h.created_at, h.id, h.due_at > 0 ? std::optional(h.due_at) : std::nullopt));
    if (h.state == HandoffState::kAnswered && h.answered_at)
      out.push_back(ClockEvent::HandoffAnswered(*h.answered_at, h.id));
  }
  KEFU_ASSIGN(auto cases, tx.RedCasesOfTicket(t.id));
  for (const auto& rc : cases) {
    out.push_back(ClockEvent::RedCaseOpened(rc.opened_at));
    KEFU_ASSIGN(auto updates, tx.ListRedCaseUpdates(rc.id));
    for (const auto& u : updates) out.push_back(ClockEvent::RedCaseUpdate(u.at));
    if (rc.closed_at) out.push_back(ClockEvent::RedCaseClosed(*rc.closed_at));
  }
  return out;
}

bool Finished(const SlaClock& c) { return c.state == SlaClockState::kMet || c.state == SlaClockState::kStopped; }

// The token of one escalation step of one instance of a clock.
std::string Token(const SlaClock& c, std::string_view step) {
  return fmt::format("{}:{}:{}:{}", Name(c.metric), c.ref.value_or(0), c.instance, step);
}

std::set<std::string> SplitSet(const std::string& s) {
  std::set<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = s.find(',', i);
    if (j == std::string::npos) j = s.size();
    if (j > i) out.emplace(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

std::string JoinSet(const std::set<std::string>& s) {
  std::string out;
  for (const auto& x : s) out += (out.empty() ? "" : ",") + x;
  return out;
}

// "metric:ref:fire_at;…" <-> timer entries of one complaint.
std::string TimersText(const std::vector<TimerEntry>& entries) {
  std::string out;
  for (const auto& e : entries)
    out += fmt::format("{}{}:{}:{}", out.empty() ? "" : ";", static_cast<int>(e.key.metric), e.key.ref, e.fire_at);
  return out;
}

std::vector<TimerEntry> ParseTimers(Id ticket_id, const std::string& text) {
  std::vector<TimerEntry> out;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = text.find(';', i);
    if (j == std::string::npos) j = text.size();
    long long metric = 0, ref = 0, at = 0;
    if (std::sscanf(text.substr(i, j - i).c_str(), "%lld:%lld:%lld", &metric, &ref, &at) == 3 && metric >= 0 &&
        metric < kSlaMetricCount)
      out.push_back(TimerEntry{TimerKey{ticket_id, static_cast<SlaMetric>(metric), ref}, at});
    i = j + 1;
  }
  return out;
}

Priority Raised(Priority p) {
  switch (p) {
    case Priority::kLow: return Priority::kNormal;
    case Priority::kNormal: return Priority::kHigh;
    default: return Priority::kUrgent;
  }
}

std::string_view MetricZh(SlaMetric m) {
  switch (m) {
    case SlaMetric::kFirstResponse: return "首次响应";
    case SlaMetric::kNextResponse: return "再次响应";
    case SlaMetric::kResolution: return "解决";
    case SlaMetric::kHandoff: return "部门协办";
    case SlaMetric::kRedCaseUpdate: return "红案汇报";
  }
  return "";
}

}  // namespace

bj::array ClocksJson(const std::vector<SlaClock>& clocks) {
  bj::array out;
  for (const auto& c : clocks) {
    bj::array warnings;
    for (const auto& w : c.warnings) warnings.push_back(bj::object{{"percent", w.percent}, {"at", TimeOrNull(w.at)}});
    out.push_back(bj::object{{"metric", Name(c.metric)},
                             {"ref", c.ref ? bj::value(*c.ref) : bj::value(nullptr)},
                             {"state", Name(c.state)},
                             {"business", c.business},
                             {"breached", c.breached},
                             {"started_at", TimeOrNull(c.started_at)},
                             {"due_at", TimeOrNull(c.due_at)},
                             {"breached_at", TimeOrNull(c.breached_at)},
                             {"met_at", TimeOrNull(c.met_at)},
                             {"stopped_at", TimeOrNull(c.stopped_at)},
                             {"target_seconds", c.target_seconds},
                             {"used_seconds", c.used_seconds},
                             {"left_seconds", c.left_seconds},
                             {"instance", c.instance},
                             {"breaches", c.breaches},
                             {"warnings", std::move(warnings)}});
  }
  return out;
}

namespace {

std::optional<Millis> OptTimeOf(const bj::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return ParseRfc3339(v->get_string());
}
Millis TimeOf(const bj::object& o, std::string_view key) { return OptTimeOf(o, key).value_or(BusinessCalendar::kNever); }
std::int64_t IntOf(const bj::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_int64() ? v->get_int64() : 0;
}
bool BoolOf(const bj::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_bool() && v->get_bool();
}

}  // namespace

std::vector<SlaClock> ParseClocks(std::string_view text) {
  std::vector<SlaClock> out;
  if (text.empty()) return out;
  auto doc = json::ParseDocument(text);
  if (!doc || !doc->is_array()) return out;
  for (const auto& v : doc->get_array()) {
    if (!v.is_object()) continue;
    const auto& o = v.get_object();
    const auto* metric = o.if_contains("metric");
    const auto* state = o.if_contains("state");
    if (!metric || !metric->is_string() || !state || !state->is_string()) continue;
    auto m = Parse<SlaMetric>(metric->get_string());
    auto st = Parse<SlaClockState>(state->get_string());
    if (!m || !st) continue;
    SlaClock c;
    c.metric = *m;
    c.state = *st;
    if (const auto* ref = o.if_contains("ref"); ref && ref->is_int64()) c.ref = ref->get_int64();
    c.business = BoolOf(o, "business");
    c.paused = c.state == SlaClockState::kPaused;
    c.breached = BoolOf(o, "breached");
    c.started_at = OptTimeOf(o, "started_at").value_or(0);
    c.due_at = TimeOf(o, "due_at");
    c.breached_at = OptTimeOf(o, "breached_at");
    c.met_at = OptTimeOf(o, "met_at");
    c.stopped_at = OptTimeOf(o, "stopped_at");
    c.target_seconds = IntOf(o, "target_seconds");
    c.used_seconds = IntOf(o, "used_seconds");
    c.left_seconds = IntOf(o, "left_seconds");
    c.instance = static_cast<int>(IntOf(o, "instance"));
    c.breaches = static_cast<int>(IntOf(o, "breaches"));
    if (const auto* ws = o.if_contains("warnings"); ws && ws->is_array())
      for (const auto& w : ws->get_array())
        if (w.is_object())
          c.warnings.push_back(SlaWarning{static_cast<int>(IntOf(w.get_object(), "percent")), TimeOf(w.get_object(), "at")});
    out.push_back(std::move(c));
  }
  return out;
}

SlaSummary Summarize(const std::vector<SlaClock>& clocks, Millis now) {
  SlaSummary out;
  for (const auto& c : clocks) {
    if (Finished(c) || c.metric == SlaMetric::kRedCaseUpdate) continue;
    const bool running = c.state == SlaClockState::kRunning && c.due_at != BusinessCalendar::kNever;
    // Late from the first millisecond after the due time (docs/sla.md).
    if (c.breached || (running && c.due_at < now)) {
      Millis at = c.breached_at.value_or(c.due_at == BusinessCalendar::kNever ? now : c.due_at + 1);
      if (!out.breached || at < *out.breached_at) {
        out.breached_metric = c.metric;
        out.breached_ref = c.ref;
        out.breached_at = at;
      }
      out.breached = true;
      continue;
    }
    if (!running) continue;
    if (!out.next_due_at || c.due_at < *out.next_due_at) {
      out.next_metric = c.metric;
      out.next_ref = c.ref;
      out.next_due_at = c.due_at;
    }
    for (const auto& w : c.warnings)
      if (w.at != BusinessCalendar::kNever && (!out.warning_at || w.at < *out.warning_at)) out.warning_at = w.at;
  }
  out.warning = out.warning_at && *out.warning_at <= now;
  return out;
}

struct SlaService::Snapshot {
  std::vector<StoredSlaPolicy> stored;
  std::vector<std::shared_ptr<const SlaPolicy>> policies;  // enabled, in order
};

SlaService::SlaService(Store& store, Catalog& catalog, const Clock& clock,
                       const calendars::CalendarRegistry& calendars, triage::TriageEngine& triage)
    : store_(store), catalog_(catalog), clock_(clock), calendars_(calendars), triage_(triage) {}

SlaService::~SlaService() { Stop(); }

Status SlaService::Load() {
  KEFU_ASSIGN(auto cat, catalog_.Get());
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    KEFU_ASSIGN(auto existing, tx.ListSlaPolicies());
    if (!existing.empty()) return {};
    int position = 0;
    for (const auto& d : DefaultPolicies()) {
      KEFU_ASSIGN(auto body, json::ParseDocument(d.body));
      KEFU_TRY(ParsePolicy(body.as_object(), *cat, calendars_));
      StoredSlaPolicy p;
      p.name = d.name;
      p.position = position += 10;
      p.body = PolicyBodyText(body.as_object());
      p.created_at = p.updated_at = clock_.Now();
      KEFU_TRY(tx.InsertSlaPolicy(p));
    }
    return {};
  }));
  return Reload();
}

Status SlaService::Reload() {
  return snapshot_.Rebuild([&](const std::shared_ptr<const Snapshot>&) -> Result<std::shared_ptr<const Snapshot>> {
    KEFU_ASSIGN(auto cat, catalog_.Get());
    auto s = std::make_shared<Snapshot>();
    KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
      KEFU_ASSIGN(s->stored, tx.ListSlaPolicies());
      return {};
    }));
    for (const auto& sp : s->stored) {
      if (!sp.enabled) continue;
      KEFU_ASSIGN(auto body, json::ParseDocument(sp.body));
      KEFU_ASSIGN(auto parsed, ParsePolicy(body.as_object(), *cat, calendars_));
      parsed.id = sp.id;
      parsed.version = sp.version;
      parsed.name = sp.name;
      auto shared = std::make_shared<const SlaPolicy>(std::move(parsed));
      s->policies.push_back(shared);
      std::lock_guard lock(mu_);
      versions_[{sp.id, sp.version}] = shared;
    }
    return s;
  });
}

Result<std::shared_ptr<const SlaPolicy>> SlaService::PolicyVersion(ReadTx& tx, Id id, int version) {
  {
    std::lock_guard lock(mu_);
    if (auto it = versions_.find({id, version}); it != versions_.end()) return it->second;
  }
  KEFU_ASSIGN(auto body, tx.GetSlaPolicyBody(id, version));
  if (!body) return std::shared_ptr<const SlaPolicy>();
  KEFU_ASSIGN(auto cat, catalog_.Get());
  KEFU_ASSIGN(auto doc, json::ParseDocument(*body));
  auto parsed = ParsePolicy(doc.as_object(), *cat, calendars_);
  if (!parsed) return std::shared_ptr<const SlaPolicy>();  // e.g. its calendar was deleted since
  parsed->id = id;
  parsed->version = version;
  auto shared = std::make_shared<const SlaPolicy>(std::move(*parsed));
  std::lock_guard lock(mu_);
  versions_[{id, version}] = shared;
  return shared;
}

Status SlaService::Evaluate(WriteTx& tx, Ticket& t, Millis now, bool rematch, std::vector<Notification>& out,
                            bool* changed_policy, const Customer* known) {
  auto snap = snapshot_.Get();
  if (!snap) return {};
  KEFU_ASSIGN(auto existing, tx.GetTicketSla(t.id));
  TicketSla row = existing.value_or(TicketSla{});
  row.ticket_id = t.id;
  KEFU_ASSIGN(Customer customer, CustomerOf(tx, t, known));

  // 1. The policy: the first that matches; a complaint keeps the version it
  // started under until it moves to another policy or is re-evaluated.
  std::shared_ptr<const SlaPolicy> policy;
  if (IsFinal(t.state_type) && row.policy_id) {
    KEFU_ASSIGN(policy, PolicyVersion(tx, *row.policy_id, row.policy_version));
  } else {
    std::vector<const triage::Rule*> conditions;
    for (const auto& p : snap->policies) conditions.push_back(&p->when);
    KEFU_ASSIGN(auto match, triage_.FirstMatch(tx, conditions, t, customer, now));
    if (match) {
      const auto& current = snap->policies[*match];
      if (row.policy_id == current->id && !rematch) {
        KEFU_ASSIGN(policy, PolicyVersion(tx, current->id, row.policy_version));
      }
      if (!policy) policy = current;
    }
  }
  std::optional<Id> policy_id = policy ? std::optional(policy->id) : std::nullopt;
  int policy_version = policy ? policy->version : 0;
  if (existing && (existing->policy_id != policy_id || existing->policy_version != policy_version)) {
    if (changed_policy) *changed_policy = true;
    KEFU_TRY(triage::RecordEvent(tx, t.id, now, std::nullopt, "sla_policy", "sla_policy",
                                 existing->policy_id ? fmt::format("{} v{}", *existing->policy_id, existing->policy_version) : "",
                                 policy ? fmt::format("{} v{}", policy->id, policy->version) : "",
                                 policy ? policy->name : "no policy applies"));
  }
  row.policy_id = policy_id;
  row.policy_version = policy_version;

  // 2. The clocks, from the history.
  std::vector<SlaClock> clocks;
  std::vector<TimerEntry> timers;
  std::set<std::string> fired = SplitSet(row.fired);
  if (policy) {
    auto [cal_id, calendar] = calendars_.For(t.team_id, customer.region);
    if (policy->calendar)
      if (auto c = calendars_.Find(*policy->calendar)) std::tie(cal_id, calendar) = std::pair{*policy->calendar, c};
    row.calendar_id = cal_id;
    KEFU_ASSIGN(auto history, History(tx, t));
    clocks = ComputeClocks(policy->targets, policy->pause, *calendar, history, now, policy->warnings);

    // 3. The escalation steps due by now, each once.
    KEFU_ASSIGN(auto cat, catalog_.Get());
    triage::Notifier notify(tx, now, out);
    const std::string title_base = fmt::format("{} {}", t.number, t.subject);
    for (const auto& c : clocks) {
      if (c.metric == SlaMetric::kRedCaseUpdate) continue;  // the red-case service escalates missed reports
      auto audience = [&](const std::vector<Audience>& who) {
        std::vector<Id> users;
        std::vector<Role> roles;
        for (Audience a : who) {
          if (a == Audience::kAssignee && t.assignee_id) users.push_back(*t.assignee_id);
          if (a == Audience::kTeamLead) roles.push_back(Role::kTeamLead);
          if (a == Audience::kSupervisor) roles.push_back(Role::kSupervisor);
          if (a == Audience::kDirector) roles.push_back(Role::kDirector);
        }
        if (!roles.empty()) {
          auto ranked = triage::UsersWithRoles(*cat, t.team_id, roles);
          users.insert(users.end(), ranked.begin(), ranked.end());
        }
        return users;
      };
      const bool breach_due = c.breached && c.breached_at && *c.breached_at <= now;
      // Warnings: only while the clock still runs and has not breached.
      for (const auto& w : c.warnings) {
        std::string token = Token(c, fmt::format("w{}", w.percent));
        if (w.at > now || fired.contains(token)) continue;
        fired.insert(token);
        if (Finished(c) || breach_due) continue;
        KEFU_TRY(triage::RecordEvent(tx, t.id, now, std::nullopt, "sla_warning", std::string(Name(c.metric)), "",
                                     FormatRfc3339(c.due_at), fmt::format("{}% of the target used", w.percent)));
        for (const auto& step : policy->ladder)
          if (step.on == SlaFireKind::kWarning)
            KEFU_TRY(notify.Send(audience(step.notify), "sla_warning", t.id,
                                 fmt::format("{} 即将超时 / {} due soon: {}", MetricZh(c.metric), Name(c.metric), title_base),
                                 fmt::format("{}% used; due {}", w.percent, FormatRfc3339(c.due_at))));
      }
      if (!c.breached || !c.breached_at) continue;
      for (size_t i = 0; i < policy->ladder.size(); ++i) {
        const auto& step = policy->ladder[i];
        if (step.on != SlaFireKind::kBreach) continue;
        Millis at = *c.breached_at + static_cast<Millis>(step.after_minutes) * 60'000;
        std::string token = Token(c, fmt::format("b{}", i));
        if (at > now || fired.contains(token)) continue;
        fired.insert(token);
        if (step.after_minutes > 0 && Finished(c)) continue;  // met since: no later rungs
        std::vector<Audience> who = step.notify;
        if (t.red_case && step.after_minutes == 0) who.push_back(Audience::kDirector);  // a red case's breach
        KEFU_TRY(triage::RecordEvent(tx, t.id, now, std::nullopt, step.after_minutes ? "sla_escalated" : "sla_breach",
                                     std::string(Name(c.metric)), "", FormatRfc3339(c.due_at),
                                     step.after_minutes ? fmt::format("{} minutes after the breach", step.after_minutes)
                                                        : "target missed"));
        KEFU_TRY(notify.Send(audience(who), step.after_minutes ? "sla_escalated" : "sla_breach", t.id,
                             fmt::format("{} 已超时 / {} breached: {}", MetricZh(c.metric), Name(c.metric), title_base),
                             fmt::format("due {}", FormatRfc3339(c.due_at))));
        if (step.raise_priority && t.priority != Priority::kUrgent && !Finished(c)) {
          const Ticket stored = t;
          t.priority = Raised(t.priority);
          KEFU_TRY(triage::RecordEvent(tx, t.id, now, std::nullopt, "field_changed", "priority",
                                       std::string(Name(stored.priority)), std::string(Name(t.priority)),
                                       fmt::format("SLA {} breached", Name(c.metric))));
          KEFU_TRY(tx.UpdateTicket(t, stored));
        }
        if (step.reassign && !Finished(c)) {
          std::string why;
          KEFU_ASSIGN(bool moved, triage_.Reassign(tx, t, notify, why));
          if (!moved)
            KEFU_TRY(triage::RecordEvent(tx, t.id, now, std::nullopt, "sla_escalated", "assignee", "", "",
                                         "not reassigned: " + why));
        }
      }
    }

    // 4. The next instant each clock needs attention.
    for (const auto& c : clocks) {
      if (c.metric == SlaMetric::kRedCaseUpdate) continue;
      std::optional<Millis> next;
      if (auto f = NextFire(c, policy->warnings, now)) next = f->at;
      if (c.breached && c.breached_at && !Finished(c))
        for (size_t i = 0; i < policy->ladder.size(); ++i) {
          const auto& step = policy->ladder[i];
          Millis at = *c.breached_at + static_cast<Millis>(step.after_minutes) * 60'000;
          if (step.on == SlaFireKind::kBreach && !fired.contains(Token(c, fmt::format("b{}", i))) && at > now)
            next = std::min(next.value_or(at), at);
        }
      if (next) timers.push_back(TimerEntry{TimerKey{t.id, c.metric, c.ref.value_or(0)}, *next});
    }
  }

  // 5. Store, and replace the complaint's timers.
  std::vector<TimerEntry> old = ParseTimers(t.id, row.timers);
  row.clocks = bj::serialize(ClocksJson(clocks));
  row.fired = JoinSet(fired);
  row.timers = TimersText(timers);
  const SlaSummary summary = Summarize(clocks, now);
  row.next_due_at = summary.next_due_at;
  row.breached = summary.breached;
  row.team_id = t.team_id;
  row.updated_at = now;
  KEFU_TRY(tx.PutTicketSla(row));
  if (timers_) {
    for (const auto& e : old) timers_->Cancel(e.key);
    for (const auto& e : timers) timers_->Schedule(e);
  }
  return {};
}

Result<std::vector<Notification>> SlaService::AfterWrite(WriteTx& tx, TicketTrigger, Ticket& t, const Message*,
                                                         const Customer* customer) {
  std::vector<Notification> out;
  KEFU_TRY(Evaluate(tx, t, clock_.Now(), false, out, nullptr, customer));
  return out;
}

Status SlaService::Start(bool thread) {
  auto started = std::chrono::steady_clock::now();
  std::vector<TimerEntry> all;
  Id after = 0;
  for (;;) {
    std::vector<std::pair<Id, std::string>> page;
    KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
      KEFU_ASSIGN(page, tx.SlaTimersAfter(after, 20000));
      return {};
    }));
    for (const auto& [id, text] : page) {
      auto entries = ParseTimers(id, text);
      all.insert(all.end(), entries.begin(), entries.end());
    }
    if (page.size() < 20000) break;
    after = page.back().first;
  }
  timers_ = std::make_unique<TimerThread>(
      clock_, [this](std::span<const TimerEntry> due, Millis now) { Fire(due, now); },
      TimerThread::Options{thread});
  timers_->Rebuild(all);
  rebuild_ms_ = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  spdlog::info("sla: {} timers of open complaints, rebuilt in {} ms", all.size(), rebuild_ms_);
  if (thread) timers_->Poke();
  return {};
}

void SlaService::Stop() {
  if (timers_) timers_->Stop();
}

std::size_t SlaService::RunDue() { return timers_ ? timers_->RunDue() : 0; }
LatenessStats SlaService::Lateness() const { return timers_ ? timers_->Lateness() : LatenessStats{}; }
std::size_t SlaService::TimerCount() const { return timers_ ? timers_->size() : 0; }

void SlaService::Fire(std::span<const TimerEntry> due, Millis now) {
  std::set<Id> tickets;
  for (const auto& e : due) tickets.insert(e.key.ticket_id);
  std::vector<Notification> notifications;
  std::vector<Ticket> changed;
  auto one = [&](WriteTx& tx, Id id) -> Status {
    KEFU_ASSIGN(Ticket t, tx.GetTicket(id));
    Ticket before = t;
    KEFU_TRY(Evaluate(tx, t, now, false, notifications));
    if (t.priority != before.priority || t.assignee_id != before.assignee_id) changed.push_back(t);
    return {};
  };
  // One transaction for the whole batch; if it fails, one per complaint so
  // that one bad complaint does not hold back the others.
  auto batch = store_.Write([&](WriteTx& tx) -> Status {
    for (Id id : tickets) KEFU_TRY(one(tx, id));
    return {};
  });
  if (!batch) {
    notifications.clear();
    changed.clear();
    for (Id id : tickets) {
      auto r = store_.Write([&](WriteTx& tx) { return one(tx, id); });
      if (!r) spdlog::warn("sla: complaint {}: {}", id, r.error().message);
    }
  }
  if (listener_ && (!notifications.empty() || !changed.empty())) listener_(notifications, changed);
}

// --- policies ---

Result<std::vector<StoredSlaPolicy>> SlaService::ListPolicies(const Principal& p) {
  KEFU_TRY(Need(p, Permission::kTicketsRead));
  auto s = snapshot_.Get();
  return s ? s->stored : std::vector<StoredSlaPolicy>{};
}

namespace {

struct PolicyFields {
  std::optional<std::string> name;
  std::optional<int> position;
  std::optional<bool> enabled;
  bool has_body = false;
};

Result<PolicyFields> Fields(const bj::object& body) {
  PolicyFields f;
  KEFU_ASSIGN(f.name, json::OptString(body, "name", "name"));
  if (f.name && (f.name->empty() || f.name->size() > 200)) return Fail(Error::Validation("name", "name must be 1–200 characters"));
  KEFU_ASSIGN(auto position, json::OptInt(body, "position", "position"));
  if (position) f.position = static_cast<int>(*position);
  if (const auto* e = body.if_contains("enabled")) {
    if (!e->is_bool()) return Fail(Error::Validation("enabled", "must be true or false"));
    f.enabled = e->as_bool();
  }
  for (const char* key : {"when", "calendar", "targets", "pause", "warnings", "escalation"})
    f.has_body = f.has_body || body.contains(key);
  return f;
}

bj::object BodyOnly(const bj::object& body) {
  bj::object out;
  for (const auto& [k, v] : body)
    if (k != "name" && k != "position" && k != "enabled" && k != "id" && k != "version") out[k] = v;
  return out;
}

}  // namespace

Result<StoredSlaPolicy> SlaService::CreatePolicy(const Principal& p, const bj::object& body) {
  KEFU_TRY(Need(p, Permission::kSlaManage));
  KEFU_ASSIGN(auto f, Fields(body));
  if (!f.name) return Fail(Error::Validation("name", "name is required"));
  KEFU_ASSIGN(auto cat, catalog_.Get());
  bj::object policy_body = BodyOnly(body);
  KEFU_TRY(ParsePolicy(policy_body, *cat, calendars_));
  StoredSlaPolicy sp;
  sp.name = *f.name;
  sp.enabled = f.enabled.value_or(true);
  sp.body = PolicyBodyText(policy_body);
  sp.created_at = sp.updated_at = clock_.Now();
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    KEFU_ASSIGN(auto all, tx.ListSlaPolicies());
    int last = all.empty() ? 0 : all.back().position;
    sp.position = f.position.value_or(last + 10);
    return tx.InsertSlaPolicy(sp);
  }));
  KEFU_TRY(Reload());
  return sp;
}

Result<StoredSlaPolicy> SlaService::UpdatePolicy(const Principal& p, Id id, const bj::object& body) {
  KEFU_TRY(Need(p, Permission::kSlaManage));
  KEFU_ASSIGN(auto f, Fields(body));
  KEFU_ASSIGN(auto cat, catalog_.Get());
  StoredSlaPolicy sp;
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    KEFU_ASSIGN(auto all, tx.ListSlaPolicies());
    auto it = std::ranges::find_if(all, [&](const StoredSlaPolicy& x) { return x.id == id; });
    if (it == all.end()) return Fail(Error::NotFound(fmt::format("SLA policy {} not found", id)));
    sp = *it;
    if (f.has_body) {
      // A partial body keeps the parts it does not name; a part set to null is cleared.
      bj::object policy_body = json::Overlay(sp.body, BodyOnly(body));
      KEFU_TRY(ParsePolicy(policy_body, *cat, calendars_));
      std::string text = PolicyBodyText(policy_body);
      if (text != sp.body) {
        sp.body = text;
        ++sp.version;
      }
    }
    if (f.name) sp.name = *f.name;
    if (f.position) sp.position = *f.position;
    if (f.enabled) sp.enabled = *f.enabled;
    sp.updated_at = clock_.Now();
    return tx.UpdateSlaPolicy(sp);
  }));
  KEFU_TRY(Reload());
  return sp;
}

Status SlaService::DeletePolicy(const Principal& p, Id id) {
  KEFU_TRY(Need(p, Permission::kSlaManage));
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    KEFU_ASSIGN(auto all, tx.ListSlaPolicies());
    auto it = std::ranges::find_if(all, [&](const StoredSlaPolicy& x) { return x.id == id; });
    if (it == all.end()) return Fail(Error::NotFound(fmt::format("SLA policy {} not found", id)));
    StoredSlaPolicy sp = *it;
    sp.deleted = true;
    sp.updated_at = clock_.Now();
    return tx.UpdateSlaPolicy(sp);
  }));
  return Reload();
}

Result<int> SlaService::Reevaluate(const Principal& p) {
  KEFU_TRY(Need(p, Permission::kSlaManage));
  int changed = 0;
  std::optional<std::vector<std::int64_t>> after;
  for (;;) {
    TicketQuery q;
    q.scope.all = true;
    q.states = {StateType::kNew, StateType::kOpen, StateType::kPendingCustomer, StateType::kPendingInternal,
                StateType::kResolved};
    q.sort = TicketSort::kCreatedAsc;
    q.limit = 200;
    q.after = after;
    std::vector<Ticket> page;
    KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
      KEFU_ASSIGN(page, tx.ListTickets(q));
      return {};
    }));
    std::vector<Notification> out;
    KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
      for (auto t : page) {
        bool moved = false;
        KEFU_TRY(Evaluate(tx, t, clock_.Now(), true, out, &moved));
        changed += moved ? 1 : 0;
      }
      return {};
    }));
    if (listener_ && !out.empty()) listener_(out, {});
    if (page.size() < 200) break;
    after = std::vector<std::int64_t>{page.back().created_at, page.back().id};
  }
  return changed;
}

// --- views ---

Result<TicketLevels> SlaService::Of(Id ticket_id) {
  TicketLevels out;
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(auto row, tx.GetTicketSla(ticket_id));
    if (row) out.stored = *row;
    out.stored.ticket_id = ticket_id;
    return {};
  }));
  out.summary = Summarize(ParseClocks(out.stored.clocks), clock_.Now());
  if (auto s = snapshot_.Get(); s && out.stored.policy_id)
    for (const auto& sp : s->stored)
      if (sp.id == *out.stored.policy_id) out.policy_name = sp.name;
  return out;
}

Result<std::vector<TicketLevels>> SlaService::List(const Principal& p, const SlaListQuery& q) {
  KEFU_TRY(Need(p, Permission::kTicketsRead));
  if (!p.Can(Permission::kTicketsReadAll)) {
    if (!q.team_id || std::ranges::find(p.user.team_ids, *q.team_id) == p.user.team_ids.end())
      return Fail(Error::Validation("team_id", "give one of your teams"));
  }
  std::vector<TicketLevels> out;
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(auto rows, tx.ListTicketSla(q));
    for (auto& r : rows) out.push_back(TicketLevels{std::move(r), "", {}, {}});
    return {};
  }));
  const Millis now = clock_.Now();
  for (auto& l : out) l.summary = Summarize(ParseClocks(l.stored.clocks), now);
  return out;
}

Result<std::unordered_map<Id, SlaSummary>> SlaService::Summaries(const std::vector<Id>& ticket_ids) {
  std::unordered_map<Id, SlaSummary> out;
  if (ticket_ids.empty()) return out;
  std::vector<TicketSla> rows;
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(rows, tx.GetTicketSlas(ticket_ids));
    return {};
  }));
  const Millis now = clock_.Now();
  for (const auto& r : rows) out.emplace(r.ticket_id, Summarize(ParseClocks(r.clocks), now));
  return out;
}

Result<bj::object> SlaService::Counts(const Principal& p, Millis from, Millis to) {
  KEFU_TRY(Need(p, Permission::kTicketsReadAll));
  std::vector<std::string> all;
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(all, tx.SlaClocksUpdated(from, to));
    return {};
  }));
  std::map<std::string, std::array<std::int64_t, 4>> counts;  // met, met late, breached open, running
  std::int64_t complaints_breached = 0;
  for (const auto& text : all) {
    auto doc = json::ParseDocument(text);
    if (!doc || !doc->is_array()) continue;
    bool any = false;
    for (const auto& v : doc->as_array()) {
      const auto& c = v.as_object();
      auto& n = counts[std::string(c.at("metric").as_string())];
      bool breached = c.at("breached").as_bool();
      std::string_view state = c.at("state").as_string();
      any = any || breached;
      if (state == "met") ++n[breached ? 1 : 0];
      else if (breached) ++n[2];
      else ++n[3];
    }
    complaints_breached += any ? 1 : 0;
  }
  bj::object metrics;
  for (const auto& [metric, n] : counts)
    metrics[metric] = bj::object{{"met", n[0]}, {"met_late", n[1]}, {"breached", n[1] + n[2]}, {"open", n[3]}};
  return bj::object{{"from", FormatRfc3339(from)},
                    {"to", FormatRfc3339(to)},
                    {"complaints", static_cast<std::int64_t>(all.size())},
                    {"complaints_breached", complaints_breached},
                    {"metrics", std::move(metrics)}};
}

}  // namespace kefu::escalation
