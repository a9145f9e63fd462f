// Calendar specs: validation, the JSON format, and the shipped calendar files.
#include <gtest/gtest.h>

#include <stdexcept>

#include "calendar/business_calendar.h"
#include "calendar/calendar_json.h"
#include "calendar/shipped_calendars.h"

namespace kefu {
namespace {

CalendarSpec Office() {
  CalendarSpec spec;
  spec.name = "office";
  spec.time_zone = "Asia/Shanghai";
  for (int d = 0; d < 5; ++d) spec.weekly[d] = {{9 * 60, 12 * 60}, {13 * 60 + 30, 18 * 60}};
  spec.holidays = {{{2026, 10, 1}, "国庆节"}};
  spec.working_days = {{{2026, 10, 10}, "国庆节调休上班"}};
  return spec;
}

std::string_view ShippedJson(std::string_view id) {
  for (const auto& c : ShippedCalendars())
    if (c.id == id) return c.json;
  throw std::runtime_error("no shipped calendar " + std::string(id));
}

// The field a spec change makes ValidateCalendar (and Compile) reject.
template <typename Change>
std::string RejectedField(Change change) {
  CalendarSpec spec = Office();
  change(spec);
  auto status = ValidateCalendar(spec);
  if (status) return "(accepted)";
  EXPECT_EQ(status.error().code, ErrorCode::kValidation);
  auto compiled = BusinessCalendar::Compile(spec);
  EXPECT_FALSE(compiled);
  return status.error().field;
}

TEST(CalendarValidation, AcceptsAnOfficeWithHolidaysAndAdjustedDays) {
  EXPECT_TRUE(ValidateCalendar(Office()));
  EXPECT_TRUE(ValidateCalendar(AlwaysOpenCalendar("America/New_York")));
}

TEST(CalendarValidation, RejectsUnknownTimeZones) {
  EXPECT_EQ(RejectedField([](CalendarSpec& s) { s.time_zone = "Mars/Olympus_Mons"; }), "time_zone");
  EXPECT_EQ(RejectedField([](CalendarSpec& s) { s.time_zone = ""; }), "time_zone");
  EXPECT_EQ(RejectedField([](CalendarSpec& s) { s.time_zone = "../../etc/passwd"; }), "time_zone");
}

TEST(CalendarValidation, RejectsOverlappingAndUnsortedRanges) {
  EXPECT_EQ(RejectedField([](CalendarSpec& s) { s.weekly[1] = {{540, 720}, {700, 1080}}; }), "weekly.tuesday[1]");
  EXPECT_EQ(RejectedField([](CalendarSpec& s) { s.weekly[1] = {{810, 1080}, {540, 720}}; }), "weekly.tuesday[1]");
  EXPECT_EQ(RejectedField([](CalendarSpec& s) { s.weekly[1] = {{540, 720}, {720, 1080}}; }), "(accepted)");  // touching
}

TEST(CalendarValidation, RejectsBadMinutes) {
  EXPECT_EQ(RejectedField([](CalendarSpec& s) { s.weekly[6] = {{-1, 60}}; }), "weekly.sunday[0]");
  EXPECT_EQ(RejectedField([](CalendarSpec& s) { s.weekly[6] = {{0, 1441}}; }), "weekly.sunday[0]");
  EXPECT_EQ(RejectedField([](CalendarSpec& s) { s.weekly[6] = {{600, 600}}; }), "weekly.sunday[0]");
  EXPECT_EQ(RejectedField([](CalendarSpec& s) { s.weekly[6] = {{660, 600}}; }), "weekly.sunday[0]");
  EXPECT_EQ(RejectedField([](CalendarSpec& s) { s.weekly[6] = {{0, 1440}}; }), "(accepted)");  // 24:00
}

TEST(CalendarValidation, RejectsDatesThatAreBothHolidayAndWorkingDay) {
  EXPECT_EQ(RejectedField([](CalendarSpec& s) {
              s.working_days.push_back({{2026, 10, 1}, "x"});
            }),
            "working_days[1].date");
}

TEST(CalendarValidation, RejectsRepeatedAndImpossibleDates) {
  EXPECT_EQ(RejectedField([](CalendarSpec& s) { s.holidays.push_back({{2026, 10, 1}, "again"}); }), "holidays[1].date");
  EXPECT_EQ(RejectedField([](CalendarSpec& s) {
              s.working_days.push_back({{2026, 10, 10}, "again"});
            }),
            "working_days[1].date");
  EXPECT_EQ(RejectedField([](CalendarSpec& s) { s.holidays[0].date = {2026, 2, 30}; }), "holidays[0].date");
  EXPECT_EQ(RejectedField([](CalendarSpec& s) { s.holidays[0].date = {10000, 1, 1}; }), "holidays[0].date");
}

TEST(CalendarValidation, RejectsWorkingDaysWithoutHours) {
  EXPECT_EQ(RejectedField([](CalendarSpec& s) { s.working_days[0].works_like = Weekday::kSunday; }),
            "working_days[0].works_like");
  EXPECT_EQ(RejectedField([](CalendarSpec& s) { s.working_days[0].hours = std::vector<TimeRange>{}; }),
            "working_days[0].hours");
  EXPECT_EQ(RejectedField([](CalendarSpec& s) {
              s.working_days[0].hours = std::vector<TimeRange>{{600, 540}};
            }),
            "working_days[0].hours[0]");
}

TEST(CalendarValidation, RejectsMissingAndInvalidNames) {
  EXPECT_EQ(RejectedField([](CalendarSpec& s) { s.name = ""; }), "name");
  EXPECT_EQ(RejectedField([](CalendarSpec& s) { s.holidays[0].name = ""; }), "holidays[0].name");
  EXPECT_EQ(RejectedField([](CalendarSpec& s) { s.working_days[0].name = "bad\xff"; }), "working_days[0].name");
  EXPECT_EQ(RejectedField([](CalendarSpec& s) { s.holidays[0].name = "line\nbreak"; }), "holidays[0].name");
}

TEST(CalendarValidation, ErrorMessagesSayWhatIsWrong) {
  CalendarSpec spec = Office();
  spec.working_days.push_back({{2026, 10, 1}, "x"});
  auto status = ValidateCalendar(spec);
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message.find("2026-10-01 is both a holiday and a working day"), std::string::npos)
      << status.error().message;
}

TEST(LocalDates, ConvertBothWaysAndKnowTheirWeekday) {
  EXPECT_EQ(DaysSinceEpoch({1970, 1, 1}), 0);
  EXPECT_EQ(DateFromDays(DaysSinceEpoch({2026, 2, 14})), (LocalDate{2026, 2, 14}));
  EXPECT_EQ(DateFromDays(-1), (LocalDate{1969, 12, 31}));
  EXPECT_EQ(WeekdayOf({2026, 2, 14}), Weekday::kSaturday);
  EXPECT_EQ(WeekdayOf({2026, 1, 4}), Weekday::kSunday);
  EXPECT_EQ(WeekdayOf({1969, 12, 29}), Weekday::kMonday);
  EXPECT_EQ(ParseDate("2026-02-14"), (LocalDate{2026, 2, 14}));
  EXPECT_FALSE(ParseDate("2026-2-14"));
  EXPECT_FALSE(ParseDate("2026-02-29"));
  EXPECT_FALSE(ParseDate("2026-02-1x"));
  EXPECT_EQ(FormatDate({33, 1, 5}), "0033-01-05");
}

TEST(CalendarJsonFormat, ShippedChinaCalendarFollowsTheNotice) {
  auto spec = ParseCalendarJson(ShippedJson("cn-2026"));
  ASSERT_TRUE(spec) << spec.error().field << ": " << spec.error().message;
  EXPECT_EQ(spec->time_zone, "Asia/Shanghai");
  EXPECT_NE(spec->source.find("国办发明电〔2025〕7号"), std::string::npos);
  EXPECT_EQ(spec->holidays.size(), 3u + 9 + 3 + 5 + 3 + 3 + 7);
  EXPECT_EQ(spec->working_days.size(), 6u);
  for (const auto& w : spec->working_days) {
    auto weekday = WeekdayOf(w.date);
    EXPECT_TRUE(weekday == Weekday::kSaturday || weekday == Weekday::kSunday) << FormatDate(w.date);
  }
  EXPECT_EQ(spec->weekly[0], (std::vector<TimeRange>{{540, 720}, {810, 1080}}));
  EXPECT_TRUE(spec->weekly[5].empty());
}

TEST(CalendarJsonFormat, ShippedFilesAreInCanonicalForm) {
  ASSERT_EQ(ShippedCalendars().size(), 2u);
  for (const auto& c : ShippedCalendars()) {
    auto spec = ParseCalendarJson(c.json);
    ASSERT_TRUE(spec) << c.id << ": " << spec.error().field << ": " << spec.error().message;
    EXPECT_EQ(CalendarJson(*spec), c.json) << c.id;
  }
}

TEST(CalendarJsonFormat, RoundTripsOwnHoursAndSingleDays) {
  CalendarSpec spec = Office();
  spec.description = "line one\nline \"two\"";
  spec.working_days.push_back({{2026, 3, 1}, "盘点", Weekday::kMonday, std::vector<TimeRange>{{600, 960}}});
  spec.working_days.push_back({{2026, 3, 8}, "half day", Weekday::kFriday});
  spec.weekly[6] = {{0, kMinutesPerDay}};
  auto back = ParseCalendarJson(CalendarJson(spec));
  ASSERT_TRUE(back) << back.error().field << ": " << back.error().message;
  EXPECT_EQ(*back, spec);
}

TEST(CalendarJsonFormat, ErrorsNameTheField) {
  struct Bad {
    std::string json;
    std::string field;
  };
  const std::string head = R"({"name": "x", "time_zone": "Asia/Shanghai", )";
  std::vector<Bad> cases = {
      {R"({"name": "x", "timezone": "Asia/Shanghai"})", "timezone"},
      {R"({"name": "x"})", "time_zone"},
      {head + R"("weekly": {"monday": ["09:00-25:00"]}})", "weekly.monday[0]"},
      {head + R"("weekly": {"monday": ["9:00-12:00"]}})", "weekly.monday[0]"},
      {head + R"("weekly": {"monday": [540]}})", "weekly.monday[0]"},
      {head + R"("weekly": {"mon": []}})", "weekly.mon"},
      {head + R"("weekly": {"monday": ["12:00-18:00", "09:00-13:00"]}})", "weekly.monday[1]"},
      {head + R"("holidays": [{"name": "x"}]})", "holidays[0].from"},
      {head + R"("holidays": [{"date": "2026-13-01", "name": "x"}]})", "holidays[0].date"},
      {head + R"("holidays": [{"date": "2026-01-01"}]})", "holidays[0].name"},
      {head + R"("holidays": [{"from": "2026-01-03", "to": "2026-01-01", "name": "x"}]})", "holidays[0].to"},
      {head + R"("holidays": [{"date": "2026-01-01", "name": "x", "kind": "public"}]})", "holidays[0].kind"},
      {head + R"("holidays": {}})", "holidays"},
      {head +
           R"("weekly": {"monday": ["09:00-18:00"]}, "working_days": [{"date": "2026-01-04", "name": "x", "works_like": "funday"}]})",
       "working_days[0].works_like"},
      {head + R"("working_days": [{"date": "2026-01-04", "name": "x"}]})", "working_days[0].works_like"},
      {"[1, 2]", "calendar"},
  };
  for (const auto& c : cases) {
    auto r = ParseCalendarJson(c.json);
    ASSERT_FALSE(r) << c.json;
    EXPECT_EQ(r.error().code, ErrorCode::kValidation) << c.json;
    EXPECT_EQ(r.error().field, c.field) << c.json << " -> " << r.error().message;
  }
}

}  // namespace
}  // namespace kefu
