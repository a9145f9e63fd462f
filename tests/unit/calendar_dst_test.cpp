// Business time across daylight saving changes, in America/New_York:
// 2026-03-08 02:00 EST jumps to 03:00 EDT (07:00Z), and 2026-11-01 02:00 EDT
// falls back to 01:00 EST (06:00Z), so 01:00-02:00 happens twice.
#include <gtest/gtest.h>

#include "calendar/business_calendar.h"
#include "core/clock.h"

namespace kefu {
namespace {

Millis At(std::string_view rfc3339) { return ParseRfc3339(rfc3339).value(); }
std::string Utc(Millis t) { return t == BusinessCalendar::kNever ? "never" : FormatRfc3339(t); }

constexpr std::int64_t kHour = 3600;

// Every day of the week with the same ranges, in New York.
BusinessCalendar NewYorkDaily(std::vector<TimeRange> ranges) {
  CalendarSpec spec;
  spec.name = "new york";
  spec.time_zone = "America/New_York";
  for (auto& day : spec.weekly) day = ranges;
  return BusinessCalendar::Compile(spec).value();
}

BusinessCalendar NewYorkOffice() {
  CalendarSpec spec;
  spec.name = "new york office";
  spec.time_zone = "America/New_York";
  for (int d = 0; d < 5; ++d) spec.weekly[d] = {{9 * 60, 18 * 60}};
  return BusinessCalendar::Compile(spec).value();
}

TEST(DstOfficeHours, WeekendOfSpringForwardMovesTheOpeningHourInUtc) {
  auto cal = NewYorkOffice();
  // Friday 17:00 EST + 2 business hours = Monday 10:00 EDT.
  EXPECT_EQ(Utc(cal.AddBusinessMinutes(At("2026-03-06T17:00:00-05:00"), 120)), "2026-03-09T14:00:00.000Z");
  EXPECT_EQ(cal.BusinessSecondsBetween(At("2026-03-06T09:00:00-05:00"), At("2026-03-09T09:00:00-04:00")), 9 * kHour);
  EXPECT_TRUE(cal.IsOpen(At("2026-03-09T13:00:00Z")));   // 09:00 EDT
  EXPECT_FALSE(cal.IsOpen(At("2026-03-09T12:59:59Z")));  // 08:59:59 EDT
}

TEST(DstOfficeHours, WeekendOfFallBackMovesTheOpeningHourInUtc) {
  auto cal = NewYorkOffice();
  EXPECT_EQ(Utc(cal.AddBusinessMinutes(At("2026-10-30T17:00:00-04:00"), 120)), "2026-11-02T15:00:00.000Z");
  EXPECT_EQ(cal.BusinessSecondsBetween(At("2026-10-30T09:00:00-04:00"), At("2026-11-02T09:00:00-05:00")), 9 * kHour);
  EXPECT_TRUE(cal.IsOpen(At("2026-11-02T14:00:00Z")));   // 09:00 EST
  EXPECT_FALSE(cal.IsOpen(At("2026-11-02T13:59:59Z")));  // 08:59:59 EST
}

TEST(DstOfficeHours, WeeksAcrossBothChangesKeepNineHourDays) {
  auto cal = NewYorkOffice();
  // Monday 2 March 09:00 EST plus 40 working days lands on Friday 24 April 18:00 EDT.
  EXPECT_EQ(Utc(cal.AddBusinessMinutes(At("2026-03-02T09:00:00-05:00"), 40 * 9 * 60)), "2026-04-24T22:00:00.000Z");
  EXPECT_EQ(cal.BusinessSecondsBetween(At("2026-10-01T00:00:00-04:00"), At("2026-12-01T00:00:00-05:00")),
            (22 + 21) * 9 * kHour);  // October has 22 weekdays, November 21
}

TEST(DstAroundTheClock, SpringForwardDayHas23Hours) {
  auto cal = NewYorkDaily({{0, kMinutesPerDay}});
  EXPECT_EQ(cal.BusinessSecondsBetween(At("2026-03-08T00:00:00-05:00"), At("2026-03-09T00:00:00-04:00")), 23 * kHour);
  EXPECT_EQ(Utc(cal.AddBusinessMinutes(At("2026-03-08T01:30:00-05:00"), 60)), Utc(At("2026-03-08T03:30:00-04:00")));
}

TEST(DstAroundTheClock, FallBackDayHas25Hours) {
  auto cal = NewYorkDaily({{0, kMinutesPerDay}});
  EXPECT_EQ(cal.BusinessSecondsBetween(At("2026-11-01T00:00:00-04:00"), At("2026-11-02T00:00:00-05:00")), 25 * kHour);
  // From the first 01:30 to the second one is one hour.
  EXPECT_EQ(Utc(cal.AddBusinessMinutes(At("2026-11-01T01:30:00-04:00"), 60)), Utc(At("2026-11-01T01:30:00-05:00")));
}

TEST(DstAroundTheClock, BusinessTimeEqualsElapsedTimeAllYear) {
  auto cal = NewYorkDaily({{0, kMinutesPerDay}});
  Millis start = At("2026-01-01T00:00:00Z");
  for (Millis from = start; from < start + 365LL * 86'400'000; from += 86'400'000 / 7 + 12'345) {
    for (std::int64_t minutes : {1LL, 59LL, 61LL, 24LL * 60, 7LL * 24 * 60}) {
      ASSERT_EQ(cal.AddBusinessMinutes(from, minutes), from + minutes * 60'000) << Utc(from) << " + " << minutes;
      ASSERT_EQ(cal.BusinessSecondsBetween(from, from + minutes * 60'000), minutes * 60) << Utc(from);
    }
  }
}

TEST(DstStraddlingRange, OneToThreeOnSpringForwardIsOneRealHour) {
  auto cal = NewYorkDaily({{60, 180}});
  EXPECT_EQ(cal.BusinessSecondsBetween(At("2026-03-08T00:00:00-05:00"), At("2026-03-09T00:00:00-04:00")), kHour);
  EXPECT_TRUE(cal.IsOpen(At("2026-03-08T06:59:59Z")));   // 01:59:59 EST
  EXPECT_FALSE(cal.IsOpen(At("2026-03-08T07:00:00Z")));  // 03:00 EDT
  EXPECT_EQ(Utc(cal.AddBusinessMinutes(At("2026-03-08T06:00:00Z"), 60)), "2026-03-08T07:00:00.000Z");
  EXPECT_EQ(Utc(cal.AddBusinessMinutes(At("2026-03-08T06:00:00Z"), 61)), Utc(At("2026-03-09T01:01:00-04:00")));
}

TEST(DstStraddlingRange, OneToThreeOnFallBackIsThreeRealHours) {
  auto cal = NewYorkDaily({{60, 180}});
  EXPECT_EQ(cal.BusinessSecondsBetween(At("2026-11-01T00:00:00-04:00"), At("2026-11-02T00:00:00-05:00")), 3 * kHour);
  EXPECT_TRUE(cal.IsOpen(At("2026-11-01T05:00:00Z")));   // the first 01:00 (EDT)
  EXPECT_TRUE(cal.IsOpen(At("2026-11-01T06:30:00Z")));   // the second 01:30 (EST)
  EXPECT_FALSE(cal.IsOpen(At("2026-11-01T08:00:00Z")));  // 03:00 EST
  EXPECT_EQ(Utc(cal.AddBusinessMinutes(At("2026-11-01T05:00:00Z"), 180)), "2026-11-01T08:00:00.000Z");
}

TEST(DstStraddlingRange, RangeInsideTheSkippedHourIsEmptyThatDay) {
  auto cal = NewYorkDaily({{120, 150}});  // 02:00-02:30
  EXPECT_EQ(cal.BusinessSecondsBetween(At("2026-03-08T00:00:00-05:00"), At("2026-03-09T00:00:00-04:00")), 0);
  EXPECT_EQ(cal.BusinessSecondsBetween(At("2026-03-07T00:00:00-05:00"), At("2026-03-08T00:00:00-05:00")), 1800);
  EXPECT_EQ(Utc(cal.AddBusinessMinutes(At("2026-03-08T00:00:00-05:00"), 30)), Utc(At("2026-03-09T02:30:00-04:00")));
  EXPECT_EQ(Utc(cal.NextOpen(At("2026-03-08T00:00:00-05:00")).value()), Utc(At("2026-03-09T02:00:00-04:00")));
}

TEST(DstStraddlingRange, RangeEndingInTheRepeatedHourEndsAtItsFirstOccurrence) {
  auto cal = NewYorkDaily({{0, 90}});  // 00:00-01:30
  EXPECT_EQ(cal.BusinessSecondsBetween(At("2026-11-01T00:00:00-04:00"), At("2026-11-02T00:00:00-05:00")), 90 * 60);
  EXPECT_TRUE(cal.IsOpen(At("2026-11-01T05:15:00Z")));   // 01:15 EDT, the first time
  EXPECT_FALSE(cal.IsOpen(At("2026-11-01T06:15:00Z")));  // 01:15 EST, the second time
}

TEST(DstStraddlingRange, RangeStartingInTheRepeatedHourStartsAtItsFirstOccurrence) {
  auto cal = NewYorkDaily({{90, 180}});  // 01:30-03:00
  EXPECT_EQ(cal.BusinessSecondsBetween(At("2026-11-01T00:00:00-04:00"), At("2026-11-02T00:00:00-05:00")), 150 * 60);
  EXPECT_EQ(Utc(cal.NextOpen(At("2026-11-01T04:00:00Z")).value()), "2026-11-01T05:30:00.000Z");
}

TEST(DstStraddlingRange, StartInsideTheRepeatedHourCountsFromThatInstant) {
  auto cal = NewYorkDaily({{60, 180}});
  // 01:30 EST (the second time): 1.5 hours are left of 01:00-03:00.
  EXPECT_EQ(cal.BusinessSecondsBetween(At("2026-11-01T06:30:00Z"), At("2026-11-02T00:00:00-05:00")), 90 * 60);
  EXPECT_EQ(Utc(cal.AddBusinessMinutes(At("2026-11-01T06:30:00Z"), 91)), Utc(At("2026-11-02T01:01:00-05:00")));
}

}  // namespace
}  // namespace kefu
