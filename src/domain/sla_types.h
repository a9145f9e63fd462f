// Records of service levels: the department's business calendars and which
// team or region works on which. Plain data; the arithmetic is in calendar/,
// the service in calendars/.
#pragma once

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

}  // namespace kefu
