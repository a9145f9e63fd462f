// Holidays in iCalendar (RFC 5545): the format every calendar program and
// public holiday feed speaks.
//
// Import reads all-day VEVENTs (DTSTART;VALUE=DATE with DTEND or DURATION,
// SUMMARY as the name); an event of several days becomes one CalendarDay per
// date. Export writes one VEVENT per run of consecutive days with the same
// name, with CRLF line ends, lines folded at 75 octets (never inside a UTF-8
// character) and TEXT escaping. docs/calendars.md has the details.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "calendar/spec.h"
#include "core/error.h"

namespace kefu {

// The holidays of an iCalendar file, sorted by date, one per date (two events
// on the same date give one day named "A / B"). Fails with a validation error
// (field "ics", message naming the line) on malformed input, events with a
// time of day, recurring events (RRULE/RDATE), and events without a SUMMARY.
// Cancelled events (STATUS:CANCELLED) and other components are skipped.
Result<std::vector<CalendarDay>> ParseIcsHolidays(std::string_view ics);

// A VCALENDAR named `calendar_name` with the holidays. The output is a pure
// function of the arguments (DTSTAMP is the event's own date), so files made
// from the same data are byte-for-byte equal.
std::string WriteIcsHolidays(const std::vector<CalendarDay>& holidays, std::string_view calendar_name);

}  // namespace kefu
