#include "calendar/spec.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <set>

#include <fmt/format.h>

#include "calendar/zone.h"
#include "core/text.h"

namespace kefu {

namespace calendar_internal {

const date::time_zone* FindZone(const std::string& name) {
  if (name.empty()) return nullptr;
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {  // the library reports an unknown name by throwing
    return nullptr;
  }
}

}  // namespace calendar_internal

namespace {

constexpr std::array<std::string_view, kDaysPerWeek> kWeekdayNames = {"monday", "tuesday",  "wednesday", "thursday",
                                                                      "friday", "saturday", "sunday"};

constexpr size_t kMaxNameLength = 100;
constexpr size_t kMaxDescriptionLength = 2000;

std::chrono::year_month_day Civil(LocalDate d) {
  return {std::chrono::year(d.year), std::chrono::month(static_cast<unsigned>(d.month)),
          std::chrono::day(static_cast<unsigned>(d.day))};
}

Status CheckRanges(const std::vector<TimeRange>& ranges, const std::string& field) {
  for (size_t i = 0; i < ranges.size(); ++i) {
    const auto& r = ranges[i];
    std::string name = fmt::format("{}[{}]", field, i);
    if (r.start_minute < 0 || r.end_minute > kMinutesPerDay)
      return Fail(Error::Validation(name, fmt::format("{} must lie within 00:00-24:00", name)));
    if (r.start_minute >= r.end_minute)
      return Fail(Error::Validation(name, fmt::format("{} must start before it ends", name)));
    if (i > 0 && r.start_minute < ranges[i - 1].end_minute)
      return Fail(Error::Validation(
          name, fmt::format("{} overlaps or precedes the range before it (ranges must be sorted and disjoint)", name)));
  }
  return {};
}

Status CheckDate(LocalDate date, const std::string& field) {
  if (!IsValidDate(date))
    return Fail(Error::Validation(field, fmt::format("{} is not a date between years 1 and 9999", field)));
  return {};
}

// A holiday or working day: a real date, a name, and not listed before (`seen`).
template <typename Day>
Status CheckListedDay(const Day& day, const std::string& field, std::set<LocalDate>& seen, std::string_view listed_as) {
  KEFU_TRY(CheckDate(day.date, field + ".date"));
  KEFU_TRY(CheckText(field + ".name", day.name, 1, kMaxNameLength));
  if (!seen.insert(day.date).second)
    return Fail(
        Error::Validation(field + ".date", fmt::format("{} is listed as {} twice", FormatDate(day.date), listed_as)));
  return {};
}

}  // namespace

bool IsValidDate(LocalDate date) {
  return date.year >= 1 && date.year <= 9999 && date.month >= 1 && date.month <= 12 && date.day >= 1 &&
         date.day <= 31 && Civil(date).ok();
}

std::int64_t DaysSinceEpoch(LocalDate date) { return std::chrono::sys_days(Civil(date)).time_since_epoch().count(); }

LocalDate DateFromDays(std::int64_t days) {
  std::chrono::year_month_day ymd{std::chrono::sys_days(std::chrono::days(days))};
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

std::string FormatDate(LocalDate date) { return fmt::format("{:04}-{:02}-{:02}", date.year, date.month, date.day); }

std::optional<LocalDate> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto number = [&](size_t pos, size_t len) -> std::optional<int> {
    int v = 0;
    auto part = text.substr(pos, len);
    if (!std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
    std::from_chars(part.data(), part.data() + part.size(), v);
    return v;
  };
  auto y = number(0, 4), m = number(5, 2), d = number(8, 2);
  if (!y || !m || !d) return std::nullopt;
  LocalDate date{*y, *m, *d};
  if (!IsValidDate(date)) return std::nullopt;
  return date;
}

Weekday WeekdayOf(LocalDate date) { return WeekdayOfDay(DaysSinceEpoch(date)); }

Weekday WeekdayOfDay(std::int64_t days_since_epoch) {
  // 1970-01-01 was a Thursday (index 3 when Monday is 0).
  return static_cast<Weekday>(((days_since_epoch % kDaysPerWeek) + kDaysPerWeek + 3) % kDaysPerWeek);
}

std::string_view WeekdayName(Weekday day) { return kWeekdayNames[static_cast<size_t>(day)]; }

std::optional<Weekday> ParseWeekday(std::string_view name) {
  auto it = std::find(kWeekdayNames.begin(), kWeekdayNames.end(), name);
  if (it == kWeekdayNames.end()) return std::nullopt;
  return static_cast<Weekday>(it - kWeekdayNames.begin());
}

Status ValidateCalendar(const CalendarSpec& spec) {
  KEFU_TRY(CheckText("name", spec.name, 1, kMaxNameLength));
  KEFU_TRY(CheckText("description", spec.description, 0, kMaxDescriptionLength, /*multiline=*/true));
  KEFU_TRY(CheckText("source", spec.source, 0, kMaxDescriptionLength, /*multiline=*/true));
  if (!calendar_internal::FindZone(spec.time_zone))
    return Fail(Error::Validation("time_zone", fmt::format("time_zone \"{}\" is not a known IANA time zone "
                                                           "(e.g. Asia/Shanghai, America/New_York)",
                                                           spec.time_zone)));
  for (size_t d = 0; d < spec.weekly.size(); ++d)
    KEFU_TRY(CheckRanges(spec.weekly[d], fmt::format("weekly.{}", kWeekdayNames[d])));

  std::set<LocalDate> holiday_dates;
  for (size_t i = 0; i < spec.holidays.size(); ++i)
    KEFU_TRY(CheckListedDay(spec.holidays[i], fmt::format("holidays[{}]", i), holiday_dates, "a holiday"));
  std::set<LocalDate> working_dates;
  for (size_t i = 0; i < spec.working_days.size(); ++i) {
    const auto& w = spec.working_days[i];
    std::string field = fmt::format("working_days[{}]", i);
    KEFU_TRY(CheckListedDay(w, field, working_dates, "a working day"));
    if (holiday_dates.contains(w.date))
      return Fail(Error::Validation(field + ".date",
                                    fmt::format("{} is both a holiday and a working day", FormatDate(w.date))));
    if (w.hours) {
      if (w.hours->empty())
        return Fail(Error::Validation(field + ".hours", fmt::format("{}.hours must not be empty "
                                                                    "(a day without hours is a holiday)",
                                                                    field)));
      KEFU_TRY(CheckRanges(*w.hours, field + ".hours"));
    } else if (static_cast<size_t>(w.works_like) >= spec.weekly.size()) {
      return Fail(Error::Validation(field + ".works_like", fmt::format("{}.works_like is not a weekday", field)));
    } else if (spec.weekly[static_cast<size_t>(w.works_like)].empty()) {
      return Fail(Error::Validation(
          field + ".works_like",
          fmt::format("{}.works_like names {}, which has no working hours", field, WeekdayName(w.works_like))));
    }
  }
  return {};
}

CalendarSpec AlwaysOpenCalendar(std::string time_zone) {
  CalendarSpec spec;
  spec.name = "24×7";
  spec.description = "Open around the clock: business time is elapsed time.";
  spec.time_zone = std::move(time_zone);
  for (auto& day : spec.weekly) day = {{0, kMinutesPerDay}};
  return spec;
}

}  // namespace kefu
