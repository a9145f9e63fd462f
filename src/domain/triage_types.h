// Records of triage: rules, lexicon extensions, the grade history of a
// complaint, red cases, routing profiles, customer risk and in-app
// notifications. Plain data; behaviour lives in triage/.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/types.h"

namespace kefu {

// A triage rule as stored: its body is the rule-language JSON document
// (triage/rules.h parses and validates it). Every save bumps `version` and
// keeps the previous body in the rule's history.
struct StoredRule {
  Id id = 0;
  std::string name;
  int position = 0;  // rules run in ascending position
  bool enabled = true;
  int version = 1;
  std::string body;  // JSON: {"on":[…],"when":{…},"then":[…],"stop":false}
  std::optional<Id> updated_by;
  Millis created_at = 0;
  Millis updated_at = 0;
  bool deleted = false;
};

struct RuleVersion {
  Id rule_id = 0;
  int version = 0;
  std::string name;
  bool enabled = true;
  std::string body;
  std::optional<Id> changed_by;
  Millis changed_at = 0;
};

// A department's own lexicon term, added to the built-in lexicon.
struct LexiconRow {
  Id id = 0;
  std::string kind;  // negative, intensifier, negation, threat.media, …
  std::string term;
  double weight = 1;
  std::string language;  // "zh", "en" or "" for any
  std::optional<Id> created_by;
  Millis created_at = 0;
};

// One triage of a complaint: on creation and on each customer message.
// The sequence of these is the complaint's grade history.
struct TriageRecord {
  Id id = 0;
  Id ticket_id = 0;
  std::optional<Id> message_id;
  Millis at = 0;
  std::string trigger;  // created | updated | customer_message | manual
  int emotion = 0;
  std::vector<ThreatKind> threats;
  std::string cues;         // JSON array of {kind,text,weight}
  std::string language;     // detected, ISO 639-1
  std::string suggestions;  // JSON array of {category,probability} when the classifier was unsure
  std::string fired_rules;  // JSON array of {id,name,version}
};

struct RedCase {
  Id id = 0;
  Id ticket_id = 0;
  RedCaseState state = RedCaseState::kOpen;
  std::string reason;
  std::string source;  // "rule:<id>", "manual", "threat", "vip_emotion", "vip_failures", "severe"
  std::optional<Id> owner_id;
  std::vector<Id> member_ids;  // the task force (专项小组)
  int cadence_minutes = 1440;  // progress update required every …
  Millis opened_at = 0;
  std::optional<Id> opened_by;
  std::optional<Millis> last_update_at;
  Millis next_update_due = 0;
  int missed_updates = 0;
  std::optional<Millis> closed_at;
  std::optional<Id> closed_by;
  std::string close_reason;
};

struct RedCaseUpdate {
  Id id = 0;
  Id red_case_id = 0;
  std::optional<Id> author_id;
  std::string body;
  Millis at = 0;
};

// How an agent takes work: skills such as "lang:th", "product:phone",
// "tier:2", "region:south-east-asia", "channel:social".
struct AgentProfile {
  Id user_id = 0;
  std::vector<std::string> skills;
  int capacity = 10;  // open complaints at most
  Presence presence = Presence::kOffline;
  Millis presence_at = 0;
  Millis last_assigned_at = 0;
};

struct TeamRouting {
  Id team_id = 0;
  RoutingMode mode = RoutingMode::kManual;
  std::vector<std::string> skills;  // what the team covers (for routing rules and display)
  std::optional<Id> fallback_team_id;
  int overflow_minutes = 0;  // 0 = no overflow
  std::optional<Id> last_assigned_user;  // round-robin position
};

// What churn risk and the rules' history conditions read of one of a
// customer's complaints.
struct CustomerComplaint {
  Id id = 0;
  Millis created_at = 0;
  std::optional<Id> category_id;
  StateType state_type = StateType::kNew;
  int reopen_count = 0;
  int emotion = 0;
};

struct CustomerRisk {
  Id customer_id = 0;
  int score = 0;  // 0–100
  std::string reasons;  // JSON array of {kind,count,points}
  Millis updated_at = 0;
  bool alerted = false;  // an alert was raised since the score last crossed the threshold
};

struct Notification {
  Id id = 0;
  Id user_id = 0;
  std::string kind;  // red_case, red_case_overdue, risk_alert, rule, overflow, …
  std::optional<Id> ticket_id;
  std::string title;
  std::string body;
  Millis created_at = 0;
  std::optional<Millis> read_at;
};

// A trained model (the root-cause classifier), serialized by triage/.
struct StoredModel {
  std::string kind;
  Millis trained_at = 0;
  int examples = 0;
  std::string body;
};

}  // namespace kefu
