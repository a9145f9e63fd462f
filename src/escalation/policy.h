// SLA policies: which complaints they apply to (a condition in the triage rule
// language), their targets, what pauses the clocks, the warnings, and the
// escalation ladder. A policy is data (JSON), validated when saved:
//
//   {"when": {"field": "channel", "op": "eq", "value": "social"},
//    "calendar": null,                       // null: the complaint's calendar
//    "targets": {"first_response": {"minutes": 30, "business": false},
//                "next_response": {"minutes": 120}, "resolution": {"minutes": 1440},
//                "handoff": {"minutes": 480}, "red_case_update": {"minutes": 1440, "business": false}},
//    "pause": {"resolution": ["pending_customer"], "next_response": ["pending_customer"]},
//    "warnings": [75, 90],
//    "escalation": [{"on": "warning", "notify": ["assignee"]},
//                   {"on": "breach", "notify": ["team_lead"], "raise_priority": true},
//                   {"on": "breach", "after_minutes": 60, "notify": ["supervisor"], "reassign": true}]}
//
// docs/sla.md has the semantics.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/fwd.hpp>

#include "calendars/registry.h"
#include "sla/clocks.h"
#include "triage/rules.h"

namespace kefu::escalation {

enum class Audience { kAssignee, kTeamLead, kSupervisor, kDirector };

// One rung of the ladder: on a warning, or at a breach (and `after_minutes`
// of wall time after it).
struct LadderStep {
  SlaFireKind on = SlaFireKind::kBreach;
  int after_minutes = 0;
  std::vector<Audience> notify;
  bool raise_priority = false;
  bool reassign = false;
};

struct SlaPolicy {
  Id id = 0;
  int version = 0;
  std::string name;
  triage::Rule when;
  std::optional<std::string> calendar;
  std::vector<SlaTarget> targets;
  PauseRules pause;
  WarningPolicy warnings;
  std::vector<LadderStep> ladder;
};

// Validates a policy body; errors name the path ("targets.resolution.minutes").
Result<SlaPolicy> ParsePolicy(const boost::json::object& body, const CatalogSnapshot& catalog,
                              const calendars::CalendarRegistry& calendars);
// The canonical JSON text of a valid body, as stored.
std::string PolicyBodyText(const boost::json::object& body);

// The policies a new department starts with (name, body), most specific first.
struct DefaultPolicy {
  const char* name;
  const char* body;
};
std::vector<DefaultPolicy> DefaultPolicies();

}  // namespace kefu::escalation
