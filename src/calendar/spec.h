// The business calendar as data: an IANA time zone, weekly working hours,
// holidays, and extra working days (China's adjusted working weekends, 调休).
// A CalendarSpec is a plain value: it is what the JSON files, the iCalendar
// import and (later) the store hold. BusinessCalendar::Compile turns a valid
// spec into the form that answers questions about time.
//
//   CalendarSpec spec;
//   spec.time_zone = "Asia/Shanghai";
//   spec.weekly[0] = {{9 * 60, 12 * 60}, {13 * 60 + 30, 18 * 60}};   // Monday
//   spec.holidays.push_back({{2026, 10, 1}, "国庆节"});
//   spec.working_days.push_back({{2026, 10, 10}, "国庆节调休上班", Weekday::kMonday});
//   if (auto ok = ValidateCalendar(spec); !ok) ...  // ok.error().field names the culprit
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace kefu {

// A day of the civil (proleptic Gregorian) calendar, in the calendar's zone.
struct LocalDate {
  int year = 1970;
  int month = 1;
  int day = 1;
  friend auto operator<=>(const LocalDate&, const LocalDate&) = default;
};

// True for real dates in years 1..9999.
bool IsValidDate(LocalDate date);
// Days since 1970-01-01 (negative before it); `date` must be valid.
std::int64_t DaysSinceEpoch(LocalDate date);
LocalDate DateFromDays(std::int64_t days);
// "2026-02-14" and back; ParseDate accepts exactly that form of a valid date.
std::string FormatDate(LocalDate date);
std::optional<LocalDate> ParseDate(std::string_view text);

enum class Weekday : std::uint8_t { kMonday, kTuesday, kWednesday, kThursday, kFriday, kSaturday, kSunday };
inline constexpr int kDaysPerWeek = 7;
Weekday WeekdayOf(LocalDate date);
Weekday WeekdayOfDay(std::int64_t days_since_epoch);
// "monday" … "sunday".
std::string_view WeekdayName(Weekday day);
std::optional<Weekday> ParseWeekday(std::string_view name);

inline constexpr int kMinutesPerDay = 24 * 60;

// Working time within one local day: [start_minute, end_minute) counted from
// local midnight, 0 <= start < end <= 1440 (an end of 1440 is 24:00).
struct TimeRange {
  int start_minute = 0;
  int end_minute = 0;
  friend bool operator==(const TimeRange&, const TimeRange&) = default;
};

// A holiday: a local date without working time, with its name.
struct CalendarDay {
  LocalDate date;
  std::string name;
  friend bool operator==(const CalendarDay&, const CalendarDay&) = default;
};

// An extra working day: a date that works although it falls on a weekend
// (e.g. 2026-02-14, a Saturday, before the Spring Festival). Its hours are
// those of the weekday `works_like`, unless `hours` gives its own.
struct WorkingDay {
  LocalDate date;
  std::string name;
  Weekday works_like = Weekday::kMonday;
  std::optional<std::vector<TimeRange>> hours;  // when set: non-empty, replaces works_like
  friend bool operator==(const WorkingDay&, const WorkingDay&) = default;
};

struct CalendarSpec {
  std::string name;                                         // shown to people, e.g. "中国大陆 2026"
  std::string description;                                  // free text: whose hours these are, what was chosen and why
  std::string source;                                       // where the holidays come from (a citation), may be empty
  std::string time_zone;                                    // IANA name, e.g. "Asia/Shanghai"
  std::array<std::vector<TimeRange>, kDaysPerWeek> weekly;  // [0] = Monday; sorted, disjoint
  std::vector<CalendarDay> holidays;
  std::vector<WorkingDay> working_days;
  friend bool operator==(const CalendarSpec&, const CalendarSpec&) = default;
};

// Checks everything Compile relies on. The error's field names the culprit,
// e.g. "time_zone", "weekly.tuesday[1]", "holidays[3].date",
// "working_days[0].works_like":
// - the time zone is a known IANA zone;
// - ranges lie within 00:00..24:00, start before they end, and each day's
//   ranges are sorted and do not overlap (touching is fine);
// - dates are real dates in years 1..9999; a date is at most once a holiday,
//   at most once a working day, and never both;
// - names are 1..100 characters of UTF-8 without control characters;
// - a working day that works like a weekday names one that has hours.
Status ValidateCalendar(const CalendarSpec& spec);

// Open around the clock in `time_zone`: every day 00:00-24:00, no holidays.
// Business time then equals elapsed time, across DST changes too.
CalendarSpec AlwaysOpenCalendar(std::string time_zone = "UTC");

}  // namespace kefu
