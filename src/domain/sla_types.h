// Records of service levels: the department's business calendars and which
// team or region works on which. Plain data; the arithmetic is in calendar/,
// the service in calendars/.
#pragma once

#include <optional>
#include <string>

#include "domain/types.h"

namespace kefu {

// A business calendar as stored: `spec` is its JSON (calendar/calendar_json.h).
struct StoredCalendar {
  std::string id;  // "cn-2026", "sea-bangkok": letters, digits, '-' and '_'
  std::string spec;
  Millis updated_at = 0;
};

// Which calendar a team or region works on; the default one has scope
// "default" and an empty value.
struct CalendarBinding {
  std::string scope;  // "team" | "region" | "default"
  std::string value;  // the team id or the region code
  std::string calendar_id;
  friend bool operator==(const CalendarBinding&, const CalendarBinding&) = default;
};

// An SLA policy as stored: `body` is its JSON (escalation/policy.h parses
// it). Every save bumps `version` and keeps the body in the policy's history,
// so that a complaint keeps the version it started under.
struct StoredSlaPolicy {
  Id id = 0;
  std::string name;
  int position = 0;  // policies are tried in ascending position; the first that matches applies
  bool enabled = true;
  int version = 1;
  std::string body;
  Millis created_at = 0;
  Millis updated_at = 0;
  bool deleted = false;
};

// The service levels of one complaint: the policy version it runs under and
// its clocks as last computed (JSON), which escalation steps have fired, and
// its pending timers ("metric:ref:fire_at;…") for rebuilding the timer
// structure at start without recomputing every complaint.
struct TicketSla {
  Id ticket_id = 0;
  std::optional<Id> policy_id;  // none: no policy matched
  int policy_version = 0;
  std::string calendar_id;
  std::string clocks;  // JSON array
  std::string fired;   // "first_response:0:1:w75,…" one token per step taken
  std::string timers;
  std::optional<Millis> next_due_at;  // the earliest due time of a running clock
  bool breached = false;              // some clock of the current cycle is late
  std::optional<Id> team_id;          // copied from the complaint, for the per-team lists
  Millis updated_at = 0;
};

struct SlaListQuery {
  std::optional<Id> team_id;
  bool breached = false;                // late clocks, else those due at or before `due_before`
  std::optional<Millis> due_before;
  int limit = 200;
};

}  // namespace kefu
