// Properties of business-time arithmetic over many random starts and spans,
// and agreement with a deliberately naive minute-by-minute model.
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <stdexcept>

#include <date/tz.h>

#include "calendar/business_calendar.h"
#include "calendar/calendar_json.h"
#include "calendar/shipped_calendars.h"
#include "core/clock.h"

namespace kefu {
namespace {

constexpr Millis kMinute = 60'000;
constexpr Millis kDay = 86'400'000;

Millis At(std::string_view rfc3339) { return ParseRfc3339(rfc3339).value(); }
std::string Utc(Millis t) { return t == BusinessCalendar::kNever ? "never" : FormatRfc3339(t); }

CalendarSpec ShippedSpec(std::string_view id) {
  for (const auto& c : ShippedCalendars())
    if (c.id == id) return ParseCalendarJson(c.json).value();
  throw std::runtime_error("no shipped calendar " + std::string(id));
}

CalendarSpec NewYorkSpec(std::vector<TimeRange> weekday_hours, bool weekends) {
  CalendarSpec spec;
  spec.name = "new york";
  spec.time_zone = "America/New_York";
  for (int d = 0; d < kDaysPerWeek; ++d)
    if (weekends || d < 5) spec.weekly[d] = weekday_hours;
  return spec;
}

// The calendars the properties are checked on: holidays and adjusted days,
// a six-day week, an office across DST changes, ranges that straddle them,
// around the clock.
std::vector<BusinessCalendar> Calendars() {
  std::vector<BusinessCalendar> out;
  for (auto spec : {ShippedSpec("cn-2026"), ShippedSpec("sea-bangkok"), NewYorkSpec({{9 * 60, 18 * 60}}, false),
                    NewYorkSpec({{60, 180}, {600, 615}}, true), NewYorkSpec({{0, kMinutesPerDay}}, true)})
    out.push_back(BusinessCalendar::Compile(std::move(spec)).value());
  return out;
}

// Random instants in 2025-12-01 .. 2026-12-31, to the millisecond.
Millis RandomInstant(std::mt19937_64& rng) {
  static const Millis lo = At("2025-12-01T00:00:00Z"), hi = At("2026-12-31T00:00:00Z");
  return std::uniform_int_distribution<Millis>(lo, hi)(rng);
}

TEST(CalendarProperties, BetweenIsTheInverseOfAdd) {
  std::mt19937_64 rng(20260214);
  for (const auto& cal : Calendars()) {
    for (int i = 0; i < 400; ++i) {
      Millis from = RandomInstant(rng);
      // Up to about two months of business time, sometimes just a few seconds.
      std::int64_t seconds = i % 4 == 0 ? std::uniform_int_distribution<std::int64_t>(1, 120)(rng)
                                        : std::uniform_int_distribution<std::int64_t>(1, 60LL * 450 * 60)(rng);
      Millis due = cal.AddBusinessSeconds(from, seconds);
      ASSERT_NE(due, BusinessCalendar::kNever);
      ASSERT_EQ(cal.BusinessSecondsBetween(from, due), seconds)
          << cal.spec().name << " from " << Utc(from) << " + " << seconds << "s = " << Utc(due);
      ASSERT_EQ(cal.AddBusinessMinutes(from, seconds / 60), cal.AddBusinessSeconds(from, seconds / 60 * 60));
    }
  }
}

TEST(CalendarProperties, AddOfBetweenReturnsToAnOpenInstant) {
  std::mt19937_64 rng(7);
  for (const auto& cal : Calendars()) {
    for (int i = 0; i < 300; ++i) {
      Millis from = RandomInstant(rng) / 1000 * 1000;
      Millis to = from + std::uniform_int_distribution<Millis>(0, 40 * kDay)(rng) / 1000 * 1000;
      std::int64_t seconds = cal.BusinessSecondsBetween(from, to);
      Millis back = cal.AddBusinessSeconds(from, seconds);
      if (seconds > 0 && cal.IsOpen(to)) {
        ASSERT_EQ(back, to) << cal.spec().name << " " << Utc(from) << " .. " << Utc(to);
      } else {
        // `to` is closed: the due time is the last business instant before it.
        ASSERT_LE(back, to) << cal.spec().name << " " << Utc(from) << " .. " << Utc(to);
        ASSERT_EQ(cal.BusinessSecondsBetween(back, to), 0) << cal.spec().name << " " << Utc(from) << " .. " << Utc(to);
      }
    }
  }
}

TEST(CalendarProperties, AddingInTwoStepsEqualsAddingOnce) {
  std::mt19937_64 rng(11);
  for (const auto& cal : Calendars()) {
    for (int i = 0; i < 200; ++i) {
      Millis from = RandomInstant(rng);
      std::int64_t a = std::uniform_int_distribution<std::int64_t>(1, 20 * 450)(rng);
      std::int64_t b = std::uniform_int_distribution<std::int64_t>(1, 20 * 450)(rng);
      ASSERT_EQ(cal.AddBusinessMinutes(cal.AddBusinessMinutes(from, a), b), cal.AddBusinessMinutes(from, a + b))
          << cal.spec().name << " " << Utc(from) << " + " << a << " + " << b;
    }
  }
}

TEST(CalendarProperties, DueTimesAreOpenOrClosingInstantsAndGrowWithTheAmount) {
  std::mt19937_64 rng(3);
  for (const auto& cal : Calendars()) {
    for (int i = 0; i < 200; ++i) {
      Millis from = RandomInstant(rng);
      std::int64_t m = std::uniform_int_distribution<std::int64_t>(1, 10 * 450)(rng);
      Millis due = cal.AddBusinessMinutes(from, m);
      // The millisecond before a due time is business time (it was spent).
      ASSERT_TRUE(cal.IsOpen(due - 1)) << cal.spec().name << " " << Utc(from) << " + " << m;
      ASSERT_LE(cal.AddBusinessMinutes(from, m - 1), due);
      ASSERT_GE(due, from + m * kMinute);  // business time never runs faster than the clock
    }
  }
}

// The naive model: step through UTC minutes and ask, for each, whether its
// local wall-clock time falls in the day's ranges. It agrees with the
// calendar wherever no range boundary falls in a DST gap or repeated hour.
class NaiveCalendar {
 public:
  explicit NaiveCalendar(const CalendarSpec& spec) : spec_(spec), zone_(date::locate_zone(spec.time_zone)) {
    for (const auto& h : spec.holidays) holidays_.insert(h.date);
  }
  bool OpenDuringMinute(Millis t) const {
    auto local = zone_->to_local(date::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(t)));
    std::int64_t local_ms = local.time_since_epoch().count();
    std::int64_t day = local_ms >= 0 ? local_ms / kDay : (local_ms - kDay + 1) / kDay;
    int minute = static_cast<int>((local_ms - day * kDay) / kMinute);
    LocalDate date = DateFromDays(day);
    const std::vector<TimeRange>* ranges = &spec_.weekly[static_cast<size_t>(WeekdayOfDay(day))];
    if (holidays_.contains(date)) return false;
    for (const auto& w : spec_.working_days)
      if (w.date == date) ranges = w.hours ? &*w.hours : &spec_.weekly[static_cast<size_t>(w.works_like)];
    for (const auto& r : *ranges)
      if (minute >= r.start_minute && minute < r.end_minute) return true;
    return false;
  }
  Millis AddMinutes(Millis from, std::int64_t minutes) const {
    Millis t = from;
    for (; minutes > 0; t += kMinute)
      if (OpenDuringMinute(t)) --minutes;
    return t;
  }

 private:
  CalendarSpec spec_;
  const date::time_zone* zone_;
  std::set<LocalDate> holidays_;
};

TEST(CalendarProperties, AgreesWithTheNaiveModelAroundHolidaysAndDstChanges) {
  std::mt19937_64 rng(42);
  struct Case {
    CalendarSpec spec;
    std::vector<Millis> anchors;  // starts are drawn from the days before these
  };
  std::vector<Case> cases = {
      {ShippedSpec("cn-2026"),
       {At("2026-01-01T00:00:00Z"), At("2026-02-14T00:00:00Z"), At("2026-05-01T00:00:00Z"),
        At("2026-10-01T00:00:00Z")}},
      {NewYorkSpec({{9 * 60, 18 * 60}}, false), {At("2026-03-08T07:00:00Z"), At("2026-11-01T06:00:00Z")}},
      {NewYorkSpec({{0, kMinutesPerDay}}, true), {At("2026-03-08T07:00:00Z"), At("2026-11-01T06:00:00Z")}},
  };
  for (const auto& c : cases) {
    auto cal = BusinessCalendar::Compile(c.spec).value();
    NaiveCalendar naive(c.spec);
    for (Millis anchor : c.anchors) {
      for (int i = 0; i < 12; ++i) {
        Millis from = anchor - std::uniform_int_distribution<Millis>(0, 4 * 24 * 60)(rng) * kMinute;
        std::int64_t minutes = std::uniform_int_distribution<std::int64_t>(1, 6 * 450)(rng);
        ASSERT_EQ(Utc(cal.AddBusinessMinutes(from, minutes)), Utc(naive.AddMinutes(from, minutes)))
            << c.spec.name << " from " << Utc(from) << " + " << minutes;
      }
    }
  }
}

}  // namespace
}  // namespace kefu
