// Calendars as JSON: the format of the shipped files in src/calendar/data/
// and of calendars given to the API.
//
// {
//   "name": "中国大陆 2026", "description": "…", "source": "…",
//   "time_zone": "Asia/Shanghai",
//   "weekly": {"monday": ["09:00-12:00", "13:30-18:00"], …, "sunday": []},
//   "holidays": [{"from": "2026-02-15", "to": "2026-02-23", "name": "春节"},
//                {"date": "2026-04-04", "name": "清明节"}],
//   "working_days": [{"date": "2026-02-14", "name": "春节调休上班", "works_like": "monday"},
//                    {"date": "2026-03-01", "name": "盘点", "hours": ["10:00-16:00"]}]
// }
//
// A weekday that is absent or [] has no hours; "24:00" may end a range; a
// holiday is one "date" or an inclusive "from"/"to" run of dates; a working
// day works like "monday" unless it says otherwise or gives its own "hours".
// Unknown fields are errors (they are usually typos).
#pragma once

#include <string>
#include <string_view>

#include "calendar/spec.h"
#include "core/error.h"

namespace kefu {

// Parses and validates (ValidateCalendar); errors name the field.
Result<CalendarSpec> ParseCalendarJson(std::string_view json);
// The canonical form: two-space indents, one holiday or working day per line,
// runs of consecutive holidays with the same name as "from"/"to", a final
// newline. ParseCalendarJson(CalendarJson(spec)) == spec for a valid spec
// whose holidays are sorted by date.
std::string CalendarJson(const CalendarSpec& spec);

}  // namespace kefu
