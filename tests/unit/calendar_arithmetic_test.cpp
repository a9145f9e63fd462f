// Business-time arithmetic on the shipped calendars: mainland China 2026
// (Mon-Fri 09:00-12:00, 13:30-18:00, Asia/Shanghai, holidays and adjusted
// working days of 国办发明电〔2025〕7号) and the Bangkok team (Mon-Sat 08:00-20:00).
#include <gtest/gtest.h>

#include <stdexcept>

#include "calendar/business_calendar.h"
#include "calendar/calendar_json.h"
#include "calendar/shipped_calendars.h"
#include "core/clock.h"

namespace kefu {
namespace {

Millis At(std::string_view rfc3339) { return ParseRfc3339(rfc3339).value(); }
// Compared as text so that a failure shows both instants readably.
std::string Utc(Millis t) { return t == BusinessCalendar::kNever ? "never" : FormatRfc3339(t); }

BusinessCalendar Shipped(std::string_view id) {
  for (const auto& c : ShippedCalendars())
    if (c.id == id) return BusinessCalendar::Compile(ParseCalendarJson(c.json).value()).value();
  throw std::runtime_error("no shipped calendar " + std::string(id));
}

constexpr std::int64_t kChinaDaySeconds = 7 * 3600 + 30 * 60;  // 09:00-12:00 and 13:30-18:00

class ChinaCalendar : public ::testing::Test {
 protected:
  BusinessCalendar cal = Shipped("cn-2026");
  std::string Add(std::string_view from, std::int64_t minutes) {
    return Utc(cal.AddBusinessMinutes(At(from), minutes));
  }
  std::int64_t Between(std::string_view from, std::string_view to) {
    return cal.BusinessSecondsBetween(At(from), At(to));
  }
};

TEST_F(ChinaCalendar, FridayEveningDueLandsOnMondayMorning) {
  EXPECT_EQ(Add("2026-03-13T17:50:00+08:00", 30), Utc(At("2026-03-16T09:20:00+08:00")));
}

TEST_F(ChinaCalendar, StartBeforeOpeningCountsFromOpening) {
  EXPECT_EQ(Add("2026-03-16T07:00:00+08:00", 30), Utc(At("2026-03-16T09:30:00+08:00")));
}

TEST_F(ChinaCalendar, StartInLunchBreakCountsFromAfternoonOpening) {
  EXPECT_EQ(Add("2026-03-16T12:30:00+08:00", 60), Utc(At("2026-03-16T14:30:00+08:00")));
}

TEST_F(ChinaCalendar, SpanOverLunchSkipsTheBreak) {
  EXPECT_EQ(Add("2026-03-16T11:45:00+08:00", 30), Utc(At("2026-03-16T13:45:00+08:00")));
}

TEST_F(ChinaCalendar, StartAfterClosingCountsFromNextMorning) {
  EXPECT_EQ(Add("2026-03-16T19:00:00+08:00", 30), Utc(At("2026-03-17T09:30:00+08:00")));
}

TEST_F(ChinaCalendar, StartOnWeekendNightCountsFromMonday) {
  EXPECT_EQ(Add("2026-03-14T23:00:00+08:00", 30), Utc(At("2026-03-16T09:30:00+08:00")));
}

TEST_F(ChinaCalendar, StartOnNationalDayCountsFromFirstDayBack) {
  EXPECT_EQ(Add("2026-10-01T10:00:00+08:00", 30), Utc(At("2026-10-08T09:30:00+08:00")));
}

TEST_F(ChinaCalendar, StartInSpringFestivalCountsFromFirstDayBack) {
  EXPECT_EQ(Add("2026-02-16T10:00:00+08:00", 30), Utc(At("2026-02-24T09:30:00+08:00")));
}

TEST_F(ChinaCalendar, AdjustedSaturdayBeforeSpringFestivalIsWorked) {
  EXPECT_TRUE(cal.IsOpen(At("2026-02-14T10:00:00+08:00")));
  EXPECT_FALSE(cal.IsOpen(At("2026-02-07T10:00:00+08:00")));  // an ordinary Saturday
  EXPECT_EQ(Add("2026-02-13T17:00:00+08:00", 120), Utc(At("2026-02-14T10:00:00+08:00")));
}

TEST_F(ChinaCalendar, WorkLeftOnAdjustedSaturdayWaitsUntilAfterTheFestival) {
  EXPECT_EQ(Add("2026-02-14T17:30:00+08:00", 60), Utc(At("2026-02-24T09:30:00+08:00")));
}

TEST_F(ChinaCalendar, AdjustedSaturdayAfterNationalDayIsWorked) {
  EXPECT_EQ(Add("2026-10-09T17:30:00+08:00", 60), Utc(At("2026-10-10T09:30:00+08:00")));
  EXPECT_EQ(Add("2026-10-10T17:30:00+08:00", 60), Utc(At("2026-10-12T09:30:00+08:00")));
}

TEST_F(ChinaCalendar, EveryAdjustedWeekendDayOfTheNoticeIsOpen) {
  for (const char* day : {"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"}) {
    EXPECT_TRUE(cal.IsOpen(At(std::string(day) + "T09:00:00+08:00"))) << day;
    EXPECT_FALSE(cal.IsOpen(At(std::string(day) + "T12:30:00+08:00"))) << day;
  }
}

TEST_F(ChinaCalendar, OpeningAndClosingInstantsAreExact) {
  EXPECT_TRUE(cal.IsOpen(At("2026-03-16T09:00:00+08:00")));
  EXPECT_FALSE(cal.IsOpen(At("2026-03-16T08:59:59.999+08:00")));
  EXPECT_TRUE(cal.IsOpen(At("2026-03-16T17:59:59+08:00")));
  EXPECT_FALSE(cal.IsOpen(At("2026-03-16T18:00:00+08:00")));
  EXPECT_FALSE(cal.IsOpen(At("2026-03-16T12:00:00+08:00")));
  EXPECT_TRUE(cal.IsOpen(At("2026-03-16T13:30:00+08:00")));
}

TEST_F(ChinaCalendar, DueThatUsesUpTheDayLandsOnClosingTime) {
  EXPECT_EQ(Utc(cal.AddBusinessSeconds(At("2026-03-16T17:59:59+08:00"), 1)), Utc(At("2026-03-16T18:00:00+08:00")));
  EXPECT_EQ(Utc(cal.AddBusinessSeconds(At("2026-03-16T17:59:59+08:00"), 2)), Utc(At("2026-03-17T09:00:01+08:00")));
  EXPECT_EQ(Add("2026-03-16T11:30:00+08:00", 30), Utc(At("2026-03-16T12:00:00+08:00")));
  EXPECT_EQ(Add("2026-03-16T11:30:00+08:00", 31), Utc(At("2026-03-16T13:31:00+08:00")));
}

TEST_F(ChinaCalendar, StartAtOpeningCountsFromThatSecond) {
  EXPECT_EQ(Add("2026-03-16T09:00:00+08:00", 60), Utc(At("2026-03-16T10:00:00+08:00")));
  EXPECT_EQ(Add("2026-03-16T18:00:00+08:00", 1), Utc(At("2026-03-17T09:01:00+08:00")));
}

TEST_F(ChinaCalendar, AddingZeroReturnsTheStartEvenOutsideHours) {
  for (const char* t : {"2026-03-14T23:00:00+08:00", "2026-10-01T10:00:00+08:00", "2026-03-16T10:00:00.250+08:00"})
    EXPECT_EQ(Add(t, 0), Utc(At(t))) << t;
  EXPECT_EQ(Add("2026-03-14T23:00:00+08:00", -5), Utc(At("2026-03-14T23:00:00+08:00")));
}

TEST_F(ChinaCalendar, MillisecondsOfTheStartCarryThrough) {
  EXPECT_EQ(Utc(cal.AddBusinessSeconds(At("2026-03-16T17:59:59.500+08:00"), 1)),
            Utc(At("2026-03-17T09:00:00.500+08:00")));
}

TEST_F(ChinaCalendar, ThirtyWorkingDaysAcrossSpringFestival) {
  // Feb 2-6, 9-13, 14 (adjusted), 24-27, 28 (adjusted), Mar 2-6, 9-13, 16-19: thirty working days.
  EXPECT_EQ(Add("2026-02-02T09:00:00+08:00", 30 * 450), Utc(At("2026-03-19T18:00:00+08:00")));
  EXPECT_EQ(Add("2026-02-02T09:00:00+08:00", 30 * 450 + 1), Utc(At("2026-03-20T09:01:00+08:00")));
  EXPECT_EQ(Between("2026-02-02T09:00:00+08:00", "2026-03-19T18:00:00+08:00"), 30 * kChinaDaySeconds);
}

TEST_F(ChinaCalendar, WholeWeeksEndOnFridayClosing) {
  // Five full weeks from Monday 2 March; Qingming (Apr 4-6) starts the day after.
  EXPECT_EQ(Add("2026-03-02T09:00:00+08:00", 5 * 5 * 450), Utc(At("2026-04-03T18:00:00+08:00")));
  EXPECT_EQ(Add("2026-03-02T09:00:00+08:00", 5 * 5 * 450 + 1), Utc(At("2026-04-07T09:01:00+08:00")));
}

TEST_F(ChinaCalendar, Year2026Has248WorkingDays) {
  EXPECT_EQ(Between("2026-01-01T00:00:00+08:00", "2027-01-01T00:00:00+08:00"), 248 * kChinaDaySeconds);
}

TEST_F(ChinaCalendar, BetweenCountsOnlyBusinessTime) {
  EXPECT_EQ(Between("2026-03-16T09:00:00+08:00", "2026-03-16T18:00:00+08:00"), kChinaDaySeconds);
  EXPECT_EQ(Between("2026-03-13T17:50:00+08:00", "2026-03-16T09:20:00+08:00"), 30 * 60);
  EXPECT_EQ(Between("2026-03-16T11:00:00+08:00", "2026-03-16T14:00:00+08:00"), 90 * 60);
}

TEST_F(ChinaCalendar, BetweenOverHolidaysIsZero) {
  EXPECT_EQ(Between("2026-10-01T00:00:00+08:00", "2026-10-08T00:00:00+08:00"), 0);
  EXPECT_EQ(Between("2026-02-15T00:00:00+08:00", "2026-02-24T00:00:00+08:00"), 0);
  EXPECT_EQ(Between("2026-02-13T18:00:00+08:00", "2026-02-24T09:00:00+08:00"), kChinaDaySeconds);  // only Feb 14
}

TEST_F(ChinaCalendar, BetweenOfAnEmptyOrBackwardIntervalIsZero) {
  EXPECT_EQ(Between("2026-03-16T10:00:00+08:00", "2026-03-16T10:00:00+08:00"), 0);
  EXPECT_EQ(Between("2026-03-16T11:00:00+08:00", "2026-03-16T10:00:00+08:00"), 0);
}

TEST_F(ChinaCalendar, BetweenRoundsDownToWholeSeconds) {
  EXPECT_EQ(Between("2026-03-16T09:00:00.500+08:00", "2026-03-16T09:00:01.400+08:00"), 0);
  EXPECT_EQ(Between("2026-03-16T09:00:00.500+08:00", "2026-03-16T09:00:01.500+08:00"), 1);
}

TEST_F(ChinaCalendar, NextOpenFindsTheNextWorkingMoment) {
  EXPECT_EQ(Utc(cal.NextOpen(At("2026-10-01T10:00:00+08:00")).value()), Utc(At("2026-10-08T09:00:00+08:00")));
  EXPECT_EQ(Utc(cal.NextOpen(At("2026-03-16T12:10:00+08:00")).value()), Utc(At("2026-03-16T13:30:00+08:00")));
  EXPECT_EQ(Utc(cal.NextOpen(At("2026-03-16T10:00:00.123+08:00")).value()), Utc(At("2026-03-16T10:00:00.123+08:00")));
}

TEST_F(ChinaCalendar, CopiesShareTheCompiledCalendar) {
  BusinessCalendar copy = cal;
  EXPECT_EQ(&copy.spec(), &cal.spec());
  EXPECT_EQ(copy.spec().time_zone, "Asia/Shanghai");
}

TEST(BangkokCalendar, SaturdayIsWorkedAndSundayIsNot) {
  auto cal = Shipped("sea-bangkok");
  EXPECT_TRUE(cal.IsOpen(At("2026-03-14T08:00:00+07:00")));
  EXPECT_FALSE(cal.IsOpen(At("2026-03-15T12:00:00+07:00")));
  EXPECT_EQ(Utc(cal.AddBusinessMinutes(At("2026-03-14T19:30:00+07:00"), 60)), Utc(At("2026-03-16T08:30:00+07:00")));
  EXPECT_EQ(cal.BusinessSecondsBetween(At("2026-03-16T00:00:00+07:00"), At("2026-03-23T00:00:00+07:00")),
            6 * 12 * 3600);
}

TEST(AlwaysOpenCalendar, BusinessTimeIsElapsedTime) {
  auto cal = BusinessCalendar::Compile(AlwaysOpenCalendar()).value();
  Millis from = At("2026-02-14T17:30:00.250Z");
  EXPECT_EQ(cal.AddBusinessMinutes(from, 30 * 24 * 60), from + 30LL * 86'400'000);
  EXPECT_EQ(cal.BusinessSecondsBetween(from, from + 86'400'000), 86'400);
  EXPECT_TRUE(cal.IsOpen(from));
  EXPECT_TRUE(cal.IsOpen(At("2026-03-16T00:00:00Z")));
}

TEST(CalendarWithoutHours, NeverOpensAndNothingComesDue) {
  CalendarSpec spec;
  spec.name = "closed";
  spec.time_zone = "Asia/Shanghai";
  auto cal = BusinessCalendar::Compile(spec).value();
  Millis t = At("2026-03-16T10:00:00Z");
  EXPECT_FALSE(cal.NextOpen(t));
  EXPECT_FALSE(cal.IsOpen(t));
  EXPECT_EQ(cal.AddBusinessMinutes(t, 1), BusinessCalendar::kNever);
  EXPECT_EQ(cal.BusinessSecondsBetween(t, t + 365LL * 86'400'000), 0);
}

TEST(CalendarWithoutHours, RunsOutAfterItsLastExtraWorkingDay) {
  CalendarSpec spec;
  spec.name = "one day";
  spec.time_zone = "Asia/Shanghai";
  spec.working_days.push_back({{2026, 3, 1}, "stocktaking", Weekday::kMonday, std::vector<TimeRange>{{600, 660}}});
  auto cal = BusinessCalendar::Compile(spec).value();
  Millis from = At("2026-01-01T00:00:00+08:00");
  EXPECT_EQ(Utc(cal.AddBusinessMinutes(from, 60)), Utc(At("2026-03-01T11:00:00+08:00")));
  EXPECT_EQ(cal.AddBusinessMinutes(from, 61), BusinessCalendar::kNever);
  EXPECT_EQ(Utc(cal.NextOpen(from).value()), Utc(At("2026-03-01T10:00:00+08:00")));
  EXPECT_FALSE(cal.NextOpen(At("2026-03-01T11:00:00+08:00")));
}

TEST(CalendarLimits, HugeAmountsAndFarInstantsDoNotOverflow) {
  auto cal = Shipped("cn-2026");
  Millis from = At("2026-03-16T10:00:00+08:00");
  EXPECT_EQ(cal.AddBusinessMinutes(from, std::numeric_limits<std::int64_t>::max()), BusinessCalendar::kNever);
  EXPECT_EQ(cal.AddBusinessSeconds(from, std::numeric_limits<std::int64_t>::max()), BusinessCalendar::kNever);
  EXPECT_EQ(cal.AddBusinessSeconds(std::numeric_limits<Millis>::max() - 1, 1), BusinessCalendar::kNever);
  EXPECT_FALSE(cal.NextOpen(std::numeric_limits<Millis>::max()));
  EXPECT_GT(cal.BusinessSecondsBetween(std::numeric_limits<Millis>::min(), from), 0);
  // About 4,300 years of weekly hours: the walk jumps whole weeks.
  EXPECT_NE(cal.AddBusinessMinutes(from, 500'000'000), BusinessCalendar::kNever);
  EXPECT_EQ(cal.AddBusinessMinutes(from, 1'000'000'000), BusinessCalendar::kNever);  // beyond year 9999
}

}  // namespace
}  // namespace kefu
