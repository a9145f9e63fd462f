#include "calendar/ics.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "core/text.h"

namespace kefu {

namespace {

constexpr size_t kFoldOctets = 75;  // RFC 5545 3.1: lines SHOULD NOT be longer, CRLF excluded
constexpr std::int64_t kMaxEventDays = 366;
constexpr size_t kMaxHolidays = 20000;

// ---- writing ----

std::string EscapeText(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case ';':
        out += "\\;";
        break;
      case ',':
        out += "\\,";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Appends one content line, folded so that no physical line exceeds 75 octets;
// a fold never splits a UTF-8 sequence.
void AppendLine(std::string& out, std::string_view line) {
  bool first = true;
  while (!line.empty()) {
    size_t room = first ? kFoldOctets : kFoldOctets - 1;  // continuation lines start with a space
    size_t n = std::min(room, line.size());
    while (n < line.size() && n > 0 && (static_cast<unsigned char>(line[n]) & 0xC0) == 0x80) --n;
    if (!first) out += ' ';
    out.append(line.substr(0, n));
    out += "\r\n";
    line.remove_prefix(n);
    first = false;
  }
}

std::string BasicDate(LocalDate d) { return fmt::format("{:04}{:02}{:02}", d.year, d.month, d.day); }

// FNV-1a: a stable tag of the calendar's name, so UIDs differ between calendars.
std::uint32_t NameTag(std::string_view name) {
  std::uint32_t h = 2166136261u;
  for (char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return h;
}

// ---- reading ----

struct ContentLine {
  size_t line_number = 0;                     // of the first physical line
  std::string name;                           // upper-cased
  std::map<std::string, std::string> params;  // upper-cased names
  std::string value;
};

std::string Upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

Error IcsError(size_t line, std::string message) {
  return Error::Validation("ics", fmt::format("line {}: {}", line, message));
}

// Splits into logical lines: CRLF or LF ends a line, a leading space or tab continues the previous one.
std::vector<std::pair<size_t, std::string>> Unfold(std::string_view ics) {
  std::vector<std::pair<size_t, std::string>> lines;
  size_t number = 0;
  while (!ics.empty()) {
    size_t eol = ics.find('\n');
    std::string_view physical = ics.substr(0, eol);
    ics.remove_prefix(eol == std::string_view::npos ? ics.size() : eol + 1);
    ++number;
    if (!physical.empty() && physical.back() == '\r') physical.remove_suffix(1);
    if (!physical.empty() && (physical.front() == ' ' || physical.front() == '\t') && !lines.empty())
      lines.back().second.append(physical.substr(1));
    else if (!physical.empty())
      lines.emplace_back(number, std::string(physical));
  }
  return lines;
}

Result<ContentLine> ParseContentLine(size_t number, std::string_view text) {
  ContentLine line;
  line.line_number = number;
  size_t pos = text.find_first_of(";:");
  if (pos == std::string_view::npos || pos == 0) return Fail(IcsError(number, "expected NAME:value"));
  line.name = Upper(text.substr(0, pos));
  while (text[pos] == ';') {
    size_t eq = text.find('=', pos);
    if (eq == std::string_view::npos) return Fail(IcsError(number, "parameter without a value"));
    std::string key = Upper(text.substr(pos + 1, eq - pos - 1));
    size_t end = eq + 1;
    bool quoted = false;
    while (end < text.size() && (quoted || (text[end] != ';' && text[end] != ':'))) {
      if (text[end] == '"') quoted = !quoted;
      ++end;
    }
    if (end >= text.size()) return Fail(IcsError(number, "expected NAME:value"));
    line.params[key] = std::string(text.substr(eq + 1, end - eq - 1));
    pos = end;
  }
  line.value = std::string(text.substr(pos + 1));
  return line;
}

std::string UnescapeText(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    char next = text[++i];
    out += (next == 'n' || next == 'N') ? '\n' : next;
  }
  return out;
}

Result<LocalDate> ParseIcsDate(const ContentLine& line) {
  auto value = line.params.find("VALUE");
  bool declared_date = value != line.params.end() && Upper(value->second) == "DATE";
  if (!declared_date && line.value.find('T') != std::string::npos)
    return Fail(IcsError(line.line_number, fmt::format("{} has a time of day; holidays are all-day events "
                                                       "({};VALUE=DATE:YYYYMMDD)",
                                                       line.name, line.name)));
  const auto& v = line.value;
  if (v.size() == 8 && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (auto date = ParseDate(fmt::format("{}-{}-{}", v.substr(0, 4), v.substr(4, 2), v.substr(6, 2)))) return *date;
  }
  return Fail(IcsError(line.line_number, fmt::format("{} is not a date (YYYYMMDD): \"{}\"", line.name, v)));
}

// "P3D", "P1W": the only durations an all-day event needs.
Result<std::int64_t> ParseDurationDays(const ContentLine& line) {
  const auto& v = line.value;
  if (v.size() >= 3 && v[0] == 'P' && (v.back() == 'D' || v.back() == 'W') &&
      std::all_of(v.begin() + 1, v.end() - 1, [](char c) { return c >= '0' && c <= '9'; }) && v.size() <= 8) {
    std::int64_t n = std::stoll(v.substr(1, v.size() - 2));
    return v.back() == 'W' ? n * kDaysPerWeek : n;
  }
  return Fail(IcsError(line.line_number, fmt::format("DURATION \"{}\" is not a number of days or weeks", v)));
}

struct Event {
  size_t line_number = 0;
  std::optional<LocalDate> start;
  std::optional<LocalDate> end;
  std::optional<std::int64_t> duration_days;
  std::optional<std::string> summary;
  bool cancelled = false;
};

Status AddEventDays(const Event& e, std::map<LocalDate, std::string>& days) {
  if (e.cancelled) return {};
  if (!e.start) return Fail(IcsError(e.line_number, "VEVENT without DTSTART"));
  if (!e.summary || e.summary->empty())
    return Fail(IcsError(e.line_number, "VEVENT without SUMMARY (the holiday's name)"));
  std::int64_t first = DaysSinceEpoch(*e.start);
  std::int64_t count = 1;  // RFC 5545 3.6.1: a DATE DTSTART alone lasts one day
  if (e.end) count = DaysSinceEpoch(*e.end) - first;
  if (e.duration_days) count = *e.duration_days;
  if (count < 1) return Fail(IcsError(e.line_number, "VEVENT ends before it starts"));
  if (count > kMaxEventDays)
    return Fail(IcsError(e.line_number, fmt::format("VEVENT longer than {} days", kMaxEventDays)));
  for (std::int64_t d = first; d < first + count; ++d) {
    auto [it, inserted] = days.try_emplace(DateFromDays(d), *e.summary);
    if (!inserted && it->second != *e.summary) it->second += " / " + *e.summary;
  }
  if (days.size() > kMaxHolidays)
    return Fail(IcsError(e.line_number, fmt::format("more than {} holidays", kMaxHolidays)));
  return {};
}

}  // namespace

std::string WriteIcsHolidays(const std::vector<CalendarDay>& holidays, std::string_view calendar_name) {
  std::vector<CalendarDay> sorted = holidays;
  std::ranges::stable_sort(sorted, {}, &CalendarDay::date);
  std::string out;
  AppendLine(out, "BEGIN:VCALENDAR");
  AppendLine(out, "VERSION:2.0");
  AppendLine(out, "PRODID:-//kefu//Business calendars//EN");
  AppendLine(out, "CALSCALE:GREGORIAN");
  AppendLine(out, "NAME:" + EscapeText(calendar_name));
  AppendLine(out, "X-WR-CALNAME:" + EscapeText(calendar_name));
  std::uint32_t tag = NameTag(calendar_name);
  for (size_t i = 0; i < sorted.size();) {
    size_t j = i + 1;
    while (j < sorted.size() && sorted[j].name == sorted[i].name &&
           DaysSinceEpoch(sorted[j].date) == DaysSinceEpoch(sorted[j - 1].date) + 1)
      ++j;
    std::string start = BasicDate(sorted[i].date);
    AppendLine(out, "BEGIN:VEVENT");
    AppendLine(out, fmt::format("UID:{}-{:08x}@kefu", start, tag));
    AppendLine(out, fmt::format("DTSTAMP:{}T000000Z", start));
    AppendLine(out, "DTSTART;VALUE=DATE:" + start);
    AppendLine(out, "DTEND;VALUE=DATE:" + BasicDate(DateFromDays(DaysSinceEpoch(sorted[j - 1].date) + 1)));
    AppendLine(out, "SUMMARY:" + EscapeText(sorted[i].name));
    AppendLine(out, "TRANSP:TRANSPARENT");
    AppendLine(out, "END:VEVENT");
    i = j;
  }
  AppendLine(out, "END:VCALENDAR");
  return out;
}

Result<std::vector<CalendarDay>> ParseIcsHolidays(std::string_view ics) {
  if (!IsValidUtf8(ics)) return Fail(Error::Validation("ics", "the iCalendar file is not valid UTF-8"));
  auto lines = Unfold(ics);
  if (lines.empty() || Upper(lines.front().second) != "BEGIN:VCALENDAR")
    return Fail(Error::Validation("ics", "not an iCalendar file: it must start with BEGIN:VCALENDAR"));

  std::map<LocalDate, std::string> days;
  std::vector<std::string> open;  // the components we are inside, outermost first
  std::optional<Event> event;
  for (const auto& [number, text] : lines) {
    KEFU_ASSIGN(ContentLine line, ParseContentLine(number, text));
    if (line.name == "BEGIN") {
      std::string component = Upper(line.value);
      if (open.empty() && component != "VCALENDAR")
        return Fail(IcsError(number, fmt::format("BEGIN:{} outside BEGIN:VCALENDAR", line.value)));
      if (component == "VEVENT" && open.size() == 1) event = Event{number};
      open.push_back(component);
      continue;
    }
    if (line.name == "END") {
      if (open.empty() || open.back() != Upper(line.value))
        return Fail(IcsError(number, fmt::format("END:{} does not close {}", line.value,
                                                 open.empty() ? "anything" : "BEGIN:" + open.back())));
      open.pop_back();
      if (event && open.size() == 1) {
        KEFU_TRY(AddEventDays(*event, days));
        event.reset();
      }
      continue;
    }
    if (open.empty()) return Fail(IcsError(number, "content after END:VCALENDAR"));
    if (!event || open.size() != 2) continue;  // a property of the calendar or of a nested component (VALARM)
    if (line.name == "DTSTART") {
      KEFU_ASSIGN(event->start, ParseIcsDate(line));
    } else if (line.name == "DTEND") {
      KEFU_ASSIGN(event->end, ParseIcsDate(line));
    } else if (line.name == "DURATION") {
      KEFU_ASSIGN(event->duration_days, ParseDurationDays(line));
    } else if (line.name == "SUMMARY") {
      event->summary = UnescapeText(line.value);
    } else if (line.name == "STATUS") {
      event->cancelled = Upper(line.value) == "CANCELLED";
    } else if (line.name == "RRULE" || line.name == "RDATE") {
      return Fail(IcsError(number, "recurring events (RRULE, RDATE) are not supported: list each holiday's dates"));
    }
  }
  if (!open.empty()) return Fail(Error::Validation("ics", fmt::format("BEGIN:{} is never closed", open.back())));

  std::vector<CalendarDay> out;
  out.reserve(days.size());
  for (auto& [date, name] : days) out.push_back({date, std::move(name)});
  return out;
}

}  // namespace kefu
