// Holidays to and from iCalendar (RFC 5545).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "calendar/calendar_json.h"
#include "calendar/ics.h"
#include "calendar/shipped_calendars.h"

namespace kefu {
namespace {

CalendarSpec ShippedSpec(std::string_view id) {
  for (const auto& c : ShippedCalendars())
    if (c.id == id) return ParseCalendarJson(c.json).value();
  throw std::runtime_error("no shipped calendar " + std::string(id));
}

std::vector<std::string> PhysicalLines(const std::string& ics) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < ics.size()) {
    size_t eol = ics.find("\r\n", pos);
    if (eol == std::string::npos) throw std::runtime_error("a line does not end with CRLF");
    lines.push_back(ics.substr(pos, eol - pos));
    pos = eol + 2;
  }
  return lines;
}

std::string Ics(std::string_view body) {
  return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + std::string(body) + "END:VCALENDAR\r\n";
}

TEST(IcsExport, ChineseHolidaysRoundTrip) {
  auto holidays = ShippedSpec("cn-2026").holidays;
  auto parsed = ParseIcsHolidays(WriteIcsHolidays(holidays, "中国大陆 2026"));
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, holidays);
}

TEST(IcsExport, RunsOfDaysBecomeOneEventWithExclusiveEnd) {
  std::string ics = WriteIcsHolidays(ShippedSpec("cn-2026").holidays, "中国大陆 2026");
  size_t events = 0;
  for (size_t pos = 0; (pos = ics.find("BEGIN:VEVENT", pos)) != std::string::npos; ++pos) ++events;
  EXPECT_EQ(events, 7u);  // seven festivals
  EXPECT_NE(ics.find("DTSTART;VALUE=DATE:20260215\r\nDTEND;VALUE=DATE:20260224\r\nSUMMARY:春节\r\n"),
            std::string::npos);
}

TEST(IcsExport, EveryLineEndsWithCrlfAndTheCalendarIsWrapped) {
  std::string ics = WriteIcsHolidays({{{2026, 1, 1}, "元旦"}}, "cal");
  auto lines = PhysicalLines(ics);
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(lines.front(), "BEGIN:VCALENDAR");
  EXPECT_EQ(lines.back(), "END:VCALENDAR");
  EXPECT_EQ(ics.find('\n'), ics.find("\r\n") + 1);
}

TEST(IcsExport, LongLinesFoldAt75OctetsWithoutSplittingCharacters) {
  std::string name;
  for (int i = 0; i < 40; ++i) name += "春节假期";  // 480 octets
  std::string ics = WriteIcsHolidays({{{2026, 2, 15}, name}}, name);
  size_t continuations = 0;
  for (const auto& line : PhysicalLines(ics)) {
    EXPECT_LE(line.size(), 75u) << line;
    if (!line.empty() && line[0] == ' ') {
      ++continuations;
      ASSERT_GT(line.size(), 1u);
      EXPECT_NE(static_cast<unsigned char>(line[1]) & 0xC0, 0x80) << "fold split a UTF-8 character";
    }
  }
  EXPECT_GE(continuations, 12u);  // the name appears three times, each over several lines
  auto parsed = ParseIcsHolidays(ics);
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_EQ(parsed->size(), 1u);
  EXPECT_EQ((*parsed)[0].name, name);
}

TEST(IcsExport, TextIsEscaped) {
  std::string ics = WriteIcsHolidays({{{2026, 5, 1}, "Labour Day, May Day; a\\b"}}, "x");
  EXPECT_NE(ics.find("SUMMARY:Labour Day\\, May Day\\; a\\\\b\r\n"), std::string::npos);
  EXPECT_EQ(ParseIcsHolidays(ics).value()[0].name, "Labour Day, May Day; a\\b");
}

TEST(IcsExport, OutputDependsOnlyOnTheInput) {
  std::vector<CalendarDay> days = {{{2026, 10, 2}, "国庆节"}, {{2026, 10, 1}, "国庆节"}};
  EXPECT_EQ(WriteIcsHolidays(days, "a"), WriteIcsHolidays({days[1], days[0]}, "a"));
  EXPECT_NE(WriteIcsHolidays(days, "a"), WriteIcsHolidays(days, "b"));  // UIDs differ per calendar
}

TEST(IcsExport, ShippedFileEqualsWhatTheWriterWrites) {
  // KEFU_UPDATE_GOLDEN=1 rewrites the file instead (then review the diff).
  const std::string path = std::string(KEFU_SOURCE_DIR) + "/src/calendar/data/cn-2026-holidays.ics";
  auto spec = ShippedSpec("cn-2026");
  std::string expected = WriteIcsHolidays(spec.holidays, spec.name);
  if (std::getenv("KEFU_UPDATE_GOLDEN")) std::ofstream(path, std::ios::binary) << expected;
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << path;
  std::stringstream file;
  file << in.rdbuf();
  EXPECT_EQ(file.str(), expected);
}

TEST(IcsImport, MultiDayEventsExpandToEachDate) {
  auto days = ParseIcsHolidays(Ics(
      "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261001\r\nDTEND;VALUE=DATE:20261008\r\nSUMMARY:国庆节\r\nEND:VEVENT\r\n"));
  ASSERT_TRUE(days) << days.error().message;
  ASSERT_EQ(days->size(), 7u);
  EXPECT_EQ(days->front(), (CalendarDay{{2026, 10, 1}, "国庆节"}));
  EXPECT_EQ(days->back(), (CalendarDay{{2026, 10, 7}, "国庆节"}));
}

TEST(IcsImport, EventWithoutEndLastsOneDayAndDurationCounts) {
  auto days = ParseIcsHolidays(
      Ics("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260101\r\nSUMMARY:元旦\r\nEND:VEVENT\r\n"
          "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260501\r\nDURATION:P5D\r\nSUMMARY:劳动节\r\nEND:VEVENT\r\n"));
  ASSERT_TRUE(days) << days.error().message;
  ASSERT_EQ(days->size(), 6u);
  EXPECT_EQ((*days)[0].date, (LocalDate{2026, 1, 1}));
  EXPECT_EQ((*days)[5].date, (LocalDate{2026, 5, 5}));
}

TEST(IcsImport, AcceptsBareLineFeedsLowercaseNamesAndTabFolds) {
  auto days = ParseIcsHolidays(
      "begin:vcalendar\nbegin:vevent\ndtstart;value=date:20260619\nsummary:Dragon Boat\n\t Festival\nend:vevent\n"
      "end:vcalendar\n");
  ASSERT_TRUE(days) << days.error().message;
  ASSERT_EQ(days->size(), 1u);
  EXPECT_EQ((*days)[0].name, "Dragon Boat Festival");
}

TEST(IcsImport, SkipsAlarmsTimeZonesAndCancelledEvents) {
  auto days = ParseIcsHolidays(
      Ics("BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nEND:STANDARD\r\n"
          "END:VTIMEZONE\r\n"
          "BEGIN:VEVENT\r\nSUMMARY:清明节\r\nDTSTART;VALUE=DATE:20260404\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\n"
          "SUMMARY:reminder\r\nTRIGGER:-P1D\r\nEND:VALARM\r\nEND:VEVENT\r\n"
          "BEGIN:VEVENT\r\nSUMMARY:moved\r\nDTSTART;VALUE=DATE:20260405\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n"));
  ASSERT_TRUE(days) << days.error().message;
  ASSERT_EQ(days->size(), 1u);
  EXPECT_EQ((*days)[0], (CalendarDay{{2026, 4, 4}, "清明节"}));
}

TEST(IcsImport, TwoEventsOnOneDateShareIt) {
  auto days =
      ParseIcsHolidays(Ics("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260101\r\nSUMMARY:元旦\r\nEND:VEVENT\r\n"
                           "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260101\r\nSUMMARY:New Year\r\nEND:VEVENT\r\n"));
  ASSERT_TRUE(days) << days.error().message;
  ASSERT_EQ(days->size(), 1u);
  EXPECT_EQ((*days)[0].name, "元旦 / New Year");
}

TEST(IcsImport, RejectsWhatItCannotRepresent) {
  struct Bad {
    std::string ics;
    std::string message_part;
  };
  std::vector<Bad> cases = {
      {"hello", "BEGIN:VCALENDAR"},
      {Ics("BEGIN:VEVENT\r\nDTSTART:20260101T090000Z\r\nSUMMARY:x\r\nEND:VEVENT\r\n"), "time of day"},
      {Ics("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260101\r\nRRULE:FREQ=YEARLY\r\nSUMMARY:x\r\nEND:VEVENT\r\n"), "RRULE"},
      {Ics("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260101\r\nEND:VEVENT\r\n"), "SUMMARY"},
      {Ics("BEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VEVENT\r\n"), "DTSTART"},
      {Ics("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260230\r\nSUMMARY:x\r\nEND:VEVENT\r\n"), "not a date"},
      {Ics("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260105\r\nDTEND;VALUE=DATE:20260101\r\nSUMMARY:x\r\nEND:VEVENT\r\n"),
       "ends before"},
      {Ics("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260101\r\nDURATION:PT8H\r\nSUMMARY:x\r\nEND:VEVENT\r\n"), "DURATION"},
      {Ics("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260101\r\nSUMMARY:x\r\nEND:VTODO\r\n"), "does not close"},
      {"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n", "never closed"},
      {Ics("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260101\r\nSUMMARY:\xff\r\nEND:VEVENT\r\n"), "UTF-8"},
      {Ics("no colon here\r\n"), "NAME:value"},
  };
  for (const auto& c : cases) {
    auto r = ParseIcsHolidays(c.ics);
    ASSERT_FALSE(r) << c.ics;
    EXPECT_EQ(r.error().code, ErrorCode::kValidation);
    EXPECT_EQ(r.error().field, "ics");
    EXPECT_NE(r.error().message.find(c.message_part), std::string::npos) << r.error().message;
  }
}

TEST(IcsImport, ErrorsNameTheLine) {
  auto r = ParseIcsHolidays(Ics("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:2026-01-01\r\nSUMMARY:x\r\nEND:VEVENT\r\n"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message.rfind("line 5:", 0), 0u) << r.error().message;
}

}  // namespace
}  // namespace kefu
