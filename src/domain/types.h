// Plain records of the kefu domain. No behaviour beyond invariants that need
// no storage; services in tickets/, auth/ etc. operate on these.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "domain/enums.h"

namespace kefu {

using Id = std::int64_t;

struct Team {
  Id id = 0;
  std::string name;
  std::string region;
  Millis created_at = 0;
};

struct Department {
  Id id = 0;
  std::string key;  // "product", "logistics", …
  std::string name;
  std::string name_en;
};

struct Category {
  Id id = 0;
  std::optional<Id> parent_id;
  std::string key;
  std::string name;     // zh-CN
  std::string name_en;
  bool active = true;
  int sort = 0;
};

struct User {
  Id id = 0;
  std::string username;
  std::string display_name;
  Role role = Role::kAgent;
  std::vector<Id> team_ids;
  std::optional<Id> department_id;  // for department liaisons
  std::string password_hash;        // argon2id string; never serialized
  bool disabled = false;
  std::string language = "zh-CN";
  std::string time_zone = "Asia/Shanghai";
  Millis created_at = 0;
};

struct Customer {
  Id id = 0;
  std::string name;
  std::optional<std::string> phone;
  std::optional<std::string> email;
  std::optional<std::string> external_id;
  Tier tier = Tier::kRegular;
  std::string region;
  std::string language;
  std::string time_zone;
  std::string organization;
  Millis created_at = 0;
  Millis updated_at = 0;
};

// An admin-named state on one of the fixed state types.
struct TicketState {
  Id id = 0;
  std::string name;     // zh-CN
  std::string name_en;
  StateType type = StateType::kNew;
  bool is_default = false;  // the state chosen when a transition names only a type
};

struct Ticket {
  Id id = 0;
  std::string number;  // "YYYYMMDD-NNNNN", unique and sortable
  std::string subject;
  std::string description;
  Channel channel = Channel::kOther;
  std::optional<std::string> source_ref;
  Id customer_id = 0;
  std::optional<Id> category_id;
  Severity severity = Severity::kNormal;
  Priority priority = Priority::kNormal;
  Id state_id = 0;
  StateType state_type = StateType::kNew;
  std::optional<Id> team_id;
  std::optional<Id> assignee_id;
  std::vector<std::string> tags;
  std::vector<Id> collaborator_ids;
  std::optional<Id> merged_into_id;
  int reopen_count = 0;
  // Triage: the latest emotion grade (0 calm … 4 threatening), the threats
  // seen so far, the detected language, and whether it is a red case (红案).
  int emotion = 0;
  std::vector<ThreatKind> threats;
  std::string language;
  bool red_case = false;
  Millis created_at = 0;
  Millis updated_at = 0;
  std::optional<Millis> first_response_at;
  std::optional<Millis> resolved_at;
  std::optional<Millis> closed_at;
  // Since when it has waited unassigned in its team's queue; empty when it is
  // assigned or in no team. Kept by the store: a write that puts the complaint
  // in a team without an assignee stamps it with the write's updated_at
  // (created_at when inserted), one that assigns it clears it. What a caller
  // sets here is never written.
  std::optional<Millis> queued_at;
};

struct Message {
  Id id = 0;
  Id ticket_id = 0;
  MessageKind kind = MessageKind::kReply;
  AuthorKind author_kind = AuthorKind::kAgent;
  std::optional<Id> author_id;
  Channel channel = Channel::kOther;
  std::string body;
  std::optional<CallDirection> call_direction;
  std::optional<std::int64_t> call_duration_seconds;
  Millis created_at = 0;
};

struct Handoff {
  Id id = 0;
  Id ticket_id = 0;
  Id department_id = 0;
  std::string question;
  Millis due_at = 0;
  std::optional<Id> owner_id;
  HandoffState state = HandoffState::kOpen;
  std::string answer;
  std::optional<Millis> answered_at;
  std::optional<Id> answered_by;
  std::optional<Id> created_by;
  Millis created_at = 0;
};

struct TicketLink {
  Id id = 0;
  Id ticket_id = 0;
  Id other_id = 0;
  LinkKind kind = LinkKind::kRelated;
  std::optional<Id> created_by;
  Millis created_at = 0;
};

// One change to a complaint: kept forever, the source of its history and of
// every stage timing. `type` is e.g. "created", "state_changed",
// "field_changed", "message_added", "handoff_created", "handoff_answered",
// "linked", "unlinked", "merged", "merged_from", "reopened".
struct TicketEvent {
  Id id = 0;
  Id ticket_id = 0;
  Millis at = 0;
  AuthorKind actor_kind = AuthorKind::kSystem;
  std::optional<Id> actor_id;
  std::string type;
  std::string field;
  std::string from;
  std::string to;
  std::string detail;  // why, in words: the rule that fired, the routing decision, a reason given
};

struct AuditEntry {
  Id id = 0;
  Millis at = 0;
  std::optional<Id> actor_id;
  std::string action;  // "login", "login_failed", "user.create", "permissions.change", "export", …
  std::string target;
  std::string detail;  // JSON text
  std::string ip;
};

// A credential: an interactive session or a scoped API token. Only the hash
// of the secret is stored.
struct Credential {
  Id id = 0;
  std::string token_hash;  // hex of a keyed hash of the secret
  Id user_id = 0;
  bool api_token = false;
  std::string name;
  std::vector<std::string> scopes;  // empty = all of the role's permissions
  std::string csrf_token;           // sessions only
  Millis created_at = 0;
  std::optional<Millis> expires_at;
  std::optional<Millis> revoked_at;
};

}  // namespace kefu
