#include "calendar/calendar_json.h"

#include <algorithm>
#include <initializer_list>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "core/json.h"

namespace kefu {

namespace {

namespace bj = boost::json;

Status OnlyKnownFields(const bj::object& o, std::initializer_list<std::string_view> known, std::string_view where) {
  for (const auto& kv : o) {
    if (std::find(known.begin(), known.end(), std::string_view(kv.key())) == known.end()) {
      std::string field =
          where.empty() ? std::string(kv.key()) : fmt::format("{}.{}", where, std::string_view(kv.key()));
      return Fail(Error::Validation(field, fmt::format("unknown field {}", field)));
    }
  }
  return {};
}

Result<std::string> RequiredString(const bj::object& o, std::string_view key, const std::string& field) {
  KEFU_ASSIGN(auto value, json::OptString(o, key, field));
  if (!value) return Fail(Error::Validation(field, fmt::format("{} is required", field)));
  return std::move(*value);
}

Result<LocalDate> RequiredDate(const bj::object& o, std::string_view key, const std::string& field) {
  KEFU_ASSIGN(std::string text, RequiredString(o, key, field));
  auto date = ParseDate(text);
  if (!date)
    return Fail(Error::Validation(field, fmt::format("{} must be a date YYYY-MM-DD, got \"{}\"", field, text)));
  return *date;
}

// "HH:MM" with HH 00..24 and MM 00..59, as minutes since midnight.
std::optional<int> ParseClock(std::string_view s) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (s.size() != 5 || s[2] != ':' || !digit(s[0]) || !digit(s[1]) || !digit(s[3]) || !digit(s[4])) return std::nullopt;
  int h = (s[0] - '0') * 10 + (s[1] - '0');
  int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 24 || m > 59) return std::nullopt;
  return h * 60 + m;
}

std::string FormatClock(int minutes) { return fmt::format("{:02}:{:02}", minutes / 60, minutes % 60); }

// ["09:00-12:00", …]
Result<std::vector<TimeRange>> ParseRanges(const bj::value& v, const std::string& field) {
  if (!v.is_array())
    return Fail(Error::Validation(field, fmt::format("{} must be an array of \"HH:MM-HH:MM\"", field)));
  std::vector<TimeRange> out;
  for (size_t i = 0; i < v.get_array().size(); ++i) {
    std::string item = fmt::format("{}[{}]", field, i);
    const auto& r = v.get_array()[i];
    std::string_view text = r.is_string() ? std::string_view(r.get_string()) : std::string_view();
    std::optional<int> start, end;
    if (text.size() == 11 && text[5] == '-') {
      start = ParseClock(text.substr(0, 5));
      end = ParseClock(text.substr(6));
    }
    if (!start || !end) return Fail(Error::Validation(item, fmt::format("{} must be \"HH:MM-HH:MM\"", item)));
    out.push_back({*start, *end});
  }
  return out;
}

std::string FormatRanges(const std::vector<TimeRange>& ranges) {
  std::string out = "[";
  for (size_t i = 0; i < ranges.size(); ++i)
    out += fmt::format("{}\"{}-{}\"", i ? ", " : "", FormatClock(ranges[i].start_minute),
                       FormatClock(ranges[i].end_minute));
  return out + "]";
}

std::string Quote(std::string_view s) { return bj::serialize(bj::string(s)); }

// Calls parse_one(item, "key[i]") for each object of the array `key`; absent or null is no items.
template <typename ParseOne>
Status ForEachObject(const bj::object& o, std::string_view key, std::initializer_list<std::string_view> known,
                     ParseOne parse_one) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return {};
  if (!it->value().is_array())
    return Fail(Error::Validation(std::string(key), fmt::format("{} must be an array", key)));
  const auto& items = it->value().get_array();
  for (size_t i = 0; i < items.size(); ++i) {
    std::string field = fmt::format("{}[{}]", key, i);
    KEFU_ASSIGN(const bj::object* item, json::AsObject(items[i], field));
    KEFU_TRY(OnlyKnownFields(*item, known, field));
    KEFU_TRY(parse_one(*item, field));
  }
  return {};
}

Status ParseWeekly(const bj::object& o, CalendarSpec& spec) {
  KEFU_ASSIGN(const bj::object* weekly, json::OptObject(o, "weekly"));
  if (!weekly) return {};
  for (const auto& kv : *weekly) {
    std::string field = fmt::format("weekly.{}", std::string_view(kv.key()));
    auto day = ParseWeekday(kv.key());
    if (!day) return Fail(Error::Validation(field, fmt::format("{}: expected a weekday monday … sunday", field)));
    KEFU_ASSIGN(spec.weekly[static_cast<size_t>(*day)], ParseRanges(kv.value(), field));
  }
  return {};
}

Status ParseHolidays(const bj::object& o, CalendarSpec& spec) {
  return ForEachObject(
      o, "holidays", {"date", "from", "to", "name"}, [&](const bj::object& h, const std::string& field) -> Status {
        KEFU_ASSIGN(std::string name, RequiredString(h, "name", field + ".name"));
        LocalDate from, to;
        if (json::Has(h, "date")) {
          if (json::Has(h, "from") || json::Has(h, "to"))
            return Fail(Error::Validation(field, fmt::format("{} has either a date or from/to, not both", field)));
          KEFU_ASSIGN(from, RequiredDate(h, "date", field + ".date"));
          to = from;
        } else {
          KEFU_ASSIGN(from, RequiredDate(h, "from", field + ".from"));
          KEFU_ASSIGN(to, RequiredDate(h, "to", field + ".to"));
          if (to < from)
            return Fail(Error::Validation(field + ".to", fmt::format("{}.to is before {}.from", field, field)));
          if (DaysSinceEpoch(to) - DaysSinceEpoch(from) > 366)
            return Fail(Error::Validation(field + ".to", fmt::format("{} is longer than a year", field)));
        }
        for (auto d = DaysSinceEpoch(from); d <= DaysSinceEpoch(to); ++d)
          spec.holidays.push_back({DateFromDays(d), name});
        return {};
      });
}

Status ParseWorkingDays(const bj::object& o, CalendarSpec& spec) {
  return ForEachObject(
      o, "working_days", {"date", "name", "works_like", "hours"},
      [&](const bj::object& w, const std::string& field) -> Status {
        WorkingDay day;
        KEFU_ASSIGN(day.date, RequiredDate(w, "date", field + ".date"));
        KEFU_ASSIGN(day.name, RequiredString(w, "name", field + ".name"));
        KEFU_ASSIGN(auto works_like, json::OptString(w, "works_like", field + ".works_like"));
        if (works_like) {
          auto weekday = ParseWeekday(*works_like);
          if (!weekday)
            return Fail(Error::Validation(field + ".works_like",
                                          fmt::format("{}.works_like must be a weekday monday … sunday", field)));
          day.works_like = *weekday;
        }
        if (json::Has(w, "hours")) {
          if (works_like)
            return Fail(Error::Validation(field, fmt::format("{} has either works_like or hours, not both", field)));
          KEFU_ASSIGN(day.hours, ParseRanges(w.at("hours"), field + ".hours"));
        }
        spec.working_days.push_back(std::move(day));
        return {};
      });
}

}  // namespace

Result<CalendarSpec> ParseCalendarJson(std::string_view text) {
  KEFU_ASSIGN(auto doc, json::ParseDocument(text));
  KEFU_ASSIGN(const bj::object* o, json::AsObject(doc, "calendar"));
  KEFU_TRY(
      OnlyKnownFields(*o, {"name", "description", "source", "time_zone", "weekly", "holidays", "working_days"}, ""));
  CalendarSpec spec;
  KEFU_ASSIGN(spec.name, RequiredString(*o, "name", "name"));
  KEFU_ASSIGN(spec.time_zone, RequiredString(*o, "time_zone", "time_zone"));
  KEFU_ASSIGN(auto description, json::OptString(*o, "description"));
  KEFU_ASSIGN(auto source, json::OptString(*o, "source"));
  spec.description = description.value_or("");
  spec.source = source.value_or("");
  KEFU_TRY(ParseWeekly(*o, spec));
  KEFU_TRY(ParseHolidays(*o, spec));
  KEFU_TRY(ParseWorkingDays(*o, spec));
  KEFU_TRY(ValidateCalendar(spec));
  return spec;
}

std::string CalendarJson(const CalendarSpec& spec) {
  std::string out = "{\n";
  out += fmt::format("  \"name\": {},\n", Quote(spec.name));
  if (!spec.description.empty()) out += fmt::format("  \"description\": {},\n", Quote(spec.description));
  if (!spec.source.empty()) out += fmt::format("  \"source\": {},\n", Quote(spec.source));
  out += fmt::format("  \"time_zone\": {},\n", Quote(spec.time_zone));
  out += "  \"weekly\": {\n";
  for (size_t d = 0; d < spec.weekly.size(); ++d)
    out += fmt::format("    \"{}\": {}{}\n", WeekdayName(static_cast<Weekday>(d)), FormatRanges(spec.weekly[d]),
                       d + 1 < spec.weekly.size() ? "," : "");
  out += "  },\n  \"holidays\": [";
  const auto& hs = spec.holidays;
  for (size_t i = 0; i < hs.size();) {
    size_t j = i + 1;
    while (j < hs.size() && hs[j].name == hs[i].name &&
           DaysSinceEpoch(hs[j].date) == DaysSinceEpoch(hs[j - 1].date) + 1)
      ++j;
    out += i ? ",\n    " : "\n    ";
    if (j - i == 1)
      out += fmt::format("{{\"date\": \"{}\", \"name\": {}}}", FormatDate(hs[i].date), Quote(hs[i].name));
    else
      out += fmt::format("{{\"from\": \"{}\", \"to\": \"{}\", \"name\": {}}}", FormatDate(hs[i].date),
                         FormatDate(hs[j - 1].date), Quote(hs[i].name));
    i = j;
  }
  out += hs.empty() ? "],\n" : "\n  ],\n";
  out += "  \"working_days\": [";
  for (size_t i = 0; i < spec.working_days.size(); ++i) {
    const auto& w = spec.working_days[i];
    out += i ? ",\n    " : "\n    ";
    out += fmt::format("{{\"date\": \"{}\", \"name\": {}, ", FormatDate(w.date), Quote(w.name));
    out += w.hours ? fmt::format("\"hours\": {}}}", FormatRanges(*w.hours))
                   : fmt::format("\"works_like\": \"{}\"}}", WeekdayName(w.works_like));
  }
  out += spec.working_days.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

}  // namespace kefu
