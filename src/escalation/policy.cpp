#include "escalation/policy.h"

#include <boost/json.hpp>
#include <fmt/format.h>

namespace kefu::escalation {

namespace bj = boost::json;

namespace {

Error Invalid(const std::string& path, const std::string& message) { return Error::Validation(path, message); }

Result<int> Minutes(const bj::value& v, const std::string& path, int lo, int hi) {
  if (!v.is_int64() || v.as_int64() < lo || v.as_int64() > hi)
    return Fail(Invalid(path, fmt::format("must be a whole number of minutes {}–{}", lo, hi)));
  return static_cast<int>(v.as_int64());
}

Result<bool> Bool(const bj::object& o, const char* key, const std::string& path, bool fallback) {
  const auto* v = o.if_contains(key);
  if (!v) return fallback;
  if (!v->is_bool()) return Fail(Invalid(path + "." + key, "must be true or false"));
  return v->as_bool();
}

Result<const bj::object*> Object(const bj::value& v, const std::string& path) {
  if (!v.is_object()) return Fail(Invalid(path, "must be an object"));
  return &v.as_object();
}

Status OnlyKeys(const bj::object& o, std::initializer_list<std::string_view> keys, const std::string& path) {
  for (const auto& [k, _] : o)
    if (std::find(keys.begin(), keys.end(), std::string_view(k)) == keys.end())
      return Fail(Invalid(path.empty() ? std::string(k) : path + "." + std::string(k), "unknown key"));
  return {};
}

Result<StateSet> States(const bj::value& v, const std::string& path) {
  if (!v.is_array()) return Fail(Invalid(path, "must be a list of state types"));
  StateSet set;
  for (size_t i = 0; i < v.as_array().size(); ++i) {
    const auto& s = v.as_array()[i];
    auto type = s.is_string() ? Parse<StateType>(std::string_view(s.as_string())) : std::nullopt;
    if (!type || *type == StateType::kResolved || *type == StateType::kClosed || *type == StateType::kMerged)
      return Fail(Invalid(fmt::format("{}[{}]", path, i), "must be new, open, pending_customer or pending_internal"));
    set.Add(*type);
  }
  return set;
}

Result<LadderStep> Step(const bj::value& v, const std::string& path) {
  KEFU_ASSIGN(const bj::object* o, Object(v, path));
  KEFU_TRY(OnlyKeys(*o, {"on", "after_minutes", "notify", "raise_priority", "reassign"}, path));
  LadderStep s;
  const auto* on = o->if_contains("on");
  if (!on || !on->is_string() || (on->as_string() != "warning" && on->as_string() != "breach"))
    return Fail(Invalid(path + ".on", "must be warning or breach"));
  s.on = on->as_string() == "warning" ? SlaFireKind::kWarning : SlaFireKind::kBreach;
  if (const auto* after = o->if_contains("after_minutes")) {
    KEFU_ASSIGN(s.after_minutes, Minutes(*after, path + ".after_minutes", 0, 30 * 24 * 60));
    if (s.on == SlaFireKind::kWarning && s.after_minutes)
      return Fail(Invalid(path + ".after_minutes", "only a breach step can wait"));
  }
  if (const auto* notify = o->if_contains("notify")) {
    if (!notify->is_array()) return Fail(Invalid(path + ".notify", "must be a list"));
    for (size_t i = 0; i < notify->as_array().size(); ++i) {
      const auto& n = notify->as_array()[i];
      std::string_view who = n.is_string() ? std::string_view(n.as_string()) : std::string_view();
      if (who == "assignee") s.notify.push_back(Audience::kAssignee);
      else if (who == "team_lead") s.notify.push_back(Audience::kTeamLead);
      else if (who == "supervisor") s.notify.push_back(Audience::kSupervisor);
      else if (who == "director") s.notify.push_back(Audience::kDirector);
      else return Fail(Invalid(fmt::format("{}.notify[{}]", path, i), "must be assignee, team_lead, supervisor or director"));
    }
  }
  KEFU_ASSIGN(s.raise_priority, Bool(*o, "raise_priority", path, false));
  KEFU_ASSIGN(s.reassign, Bool(*o, "reassign", path, false));
  if (s.on == SlaFireKind::kWarning && (s.raise_priority || s.reassign))
    return Fail(Invalid(path, "a warning only notifies"));
  return s;
}

}  // namespace

Result<SlaPolicy> ParsePolicy(const bj::object& body, const CatalogSnapshot& catalog,
                              const calendars::CalendarRegistry& calendars) {
  KEFU_TRY(OnlyKeys(body, {"when", "calendar", "targets", "pause", "warnings", "escalation"}, ""));
  SlaPolicy p;
  KEFU_ASSIGN(p.when, triage::ParseWhen(body.if_contains("when"), catalog, "when"));
  if (const auto* cal = body.if_contains("calendar"); cal && !cal->is_null()) {
    if (!cal->is_string() || !calendars.Find(std::string(cal->as_string())))
      return Fail(Invalid("calendar", "must be null (the complaint's calendar) or the id of a calendar"));
    p.calendar = std::string(cal->as_string());
  }
  const auto* targets = body.if_contains("targets");
  if (!targets) return Fail(Invalid("targets", "a policy needs at least one target"));
  KEFU_ASSIGN(const bj::object* to, Object(*targets, "targets"));
  KEFU_TRY(OnlyKeys(*to, {"first_response", "next_response", "resolution", "handoff", "red_case_update"}, "targets"));
  for (const auto& [key, value] : *to) {
    std::string path = "targets." + std::string(key);
    KEFU_ASSIGN(const bj::object* t, Object(value, path));
    KEFU_TRY(OnlyKeys(*t, {"minutes", "business"}, path));
    const auto* minutes = t->if_contains("minutes");
    if (!minutes) return Fail(Invalid(path + ".minutes", "is required"));
    SlaTarget target;
    target.metric = *Parse<SlaMetric>(std::string_view(key));
    KEFU_ASSIGN(target.minutes, Minutes(*minutes, path + ".minutes", 1, 365 * 24 * 60));
    KEFU_ASSIGN(target.business, Bool(*t, "business", path, target.metric != SlaMetric::kRedCaseUpdate));
    p.targets.push_back(target);
  }
  if (p.targets.empty()) return Fail(Invalid("targets", "a policy needs at least one target"));
  if (const auto* pause = body.if_contains("pause")) {
    KEFU_ASSIGN(const bj::object* po, Object(*pause, "pause"));
    KEFU_TRY(OnlyKeys(*po, {"resolution", "next_response"}, "pause"));
    if (const auto* r = po->if_contains("resolution")) {
      KEFU_ASSIGN(p.pause.resolution, States(*r, "pause.resolution"));
    }
    if (const auto* n = po->if_contains("next_response")) {
      KEFU_ASSIGN(p.pause.next_response, States(*n, "pause.next_response"));
    }
  }
  if (const auto* warnings = body.if_contains("warnings")) {
    if (!warnings->is_array() || warnings->as_array().size() > 5)
      return Fail(Invalid("warnings", "must be a list of up to 5 percentages"));
    p.warnings.percents.clear();
    for (size_t i = 0; i < warnings->as_array().size(); ++i) {
      KEFU_ASSIGN(int pct, Minutes(warnings->as_array()[i], fmt::format("warnings[{}]", i), 1, 99));
      p.warnings.percents.push_back(pct);
    }
  }
  if (const auto* ladder = body.if_contains("escalation")) {
    if (!ladder->is_array() || ladder->as_array().size() > 10)
      return Fail(Invalid("escalation", "must be a list of up to 10 steps"));
    for (size_t i = 0; i < ladder->as_array().size(); ++i) {
      KEFU_ASSIGN(auto step, Step(ladder->as_array()[i], fmt::format("escalation[{}]", i)));
      p.ladder.push_back(std::move(step));
    }
  } else {
    p.ladder = {LadderStep{SlaFireKind::kWarning, 0, {Audience::kAssignee}, false, false},
                LadderStep{SlaFireKind::kBreach, 0, {Audience::kAssignee, Audience::kTeamLead}, true, false},
                LadderStep{SlaFireKind::kBreach, 60, {Audience::kSupervisor}, false, true}};
  }
  return p;
}

std::string PolicyBodyText(const bj::object& body) {
  bj::object out;
  for (const char* key : {"when", "calendar", "targets", "pause", "warnings", "escalation"})
    if (const auto* v = body.if_contains(key)) out[key] = *v;
  return bj::serialize(out);
}

std::vector<DefaultPolicy> DefaultPolicies() {
  return {
      {"红案 Red cases",
       R"({"when":{"field":"red_case","op":"eq","value":true},
           "targets":{"first_response":{"minutes":15},"next_response":{"minutes":60},"resolution":{"minutes":1440},
                      "handoff":{"minutes":240},"red_case_update":{"minutes":1440,"business":false}}})"},
      {"社交媒体 30 分钟答复 Social media: an answer within 30 minutes",
       R"({"when":{"field":"channel","op":"eq","value":"social"},
           "targets":{"first_response":{"minutes":30,"business":false},"next_response":{"minutes":60,"business":false},
                      "resolution":{"minutes":1440},"handoff":{"minutes":480}}})"},
      {"紧急 Urgent",
       R"({"when":{"field":"priority","op":"eq","value":"urgent"},
           "targets":{"first_response":{"minutes":30},"next_response":{"minutes":120},"resolution":{"minutes":960},
                      "handoff":{"minutes":480}}})"},
      {"默认 Everything else",
       R"({"targets":{"first_response":{"minutes":240},"next_response":{"minutes":480},"resolution":{"minutes":2160},
                      "handoff":{"minutes":960}}})"},
  };
}

}  // namespace kefu::escalation
