#include "calendar/business_calendar.h"

#include <algorithm>
#include <chrono>

#include "calendar/zone.h"

namespace kefu {

namespace {

constexpr Millis kSecondMs = 1000;
constexpr Millis kMinuteMs = 60 * kSecondMs;
constexpr Millis kDayMs = 24 * 60 * kMinuteMs;
constexpr Millis kWeekMs = kDaysPerWeek * kDayMs;
// 0001-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the instants RFC 3339 can write.
constexpr Millis kEarliest = -62'135'596'800'000;
constexpr Millis kLatest = 253'402'300'799'999;
constexpr Millis kHorizon = kLatest + 1;

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Maps local wall-clock milliseconds to UTC for a walk that moves forward in
// time. It keeps the zone's current period (a stretch with one UTC offset), so
// most conversions are a subtraction; near a transition it asks the zone.
class LocalClock {
 public:
  LocalClock(const date::time_zone* zone, Millis utc) : zone_(zone) { Load(utc); }

  Millis offset() const { return offset_; }
  Millis safe_end() const { return safe_end_; }
  // True when every local instant in [local_begin, local_end] maps to UTC by
  // subtracting offset(): none is skipped, repeated or in another period.
  bool Covers(Millis local_begin, Millis local_end) const {
    return local_begin >= safe_begin_ && local_end < safe_end_;
  }
  // Moves to the period of `local` (never backwards).
  void AdvanceTo(Millis local) {
    while (local >= safe_end_) {
      Millis end = period_end_;
      Load(end);
      if (period_end_ <= end) break;  // the zone's last period: nothing further
    }
  }
  // A time that does not exist maps to the instant the clock jumps past it; a
  // time that exists twice maps to its first occurrence.
  Millis ToUtc(Millis local) {
    AdvanceTo(local);
    if (local >= safe_begin_ && local < safe_end_) return local - offset_;
    using std::chrono::milliseconds;
    return zone_->to_sys(date::local_time<milliseconds>(milliseconds(local)), date::choose::earliest)
        .time_since_epoch()
        .count();
  }

 private:
  static Millis ToMillis(date::sys_seconds t) { return t.time_since_epoch().count() * kSecondMs; }

  void Load(Millis utc) {
    auto info = zone_->get_info(date::sys_seconds(std::chrono::seconds(FloorDiv(utc, kSecondMs))));
    Millis begin = ToMillis(info.begin);
    offset_ = info.offset.count() * kSecondMs;
    period_end_ = ToMillis(info.end);
    // Local times just after a fall-back also occurred in the previous period,
    // whose offset was larger; they are the repeated ones.
    Millis previous_offset = offset_;
    if (begin > kEarliest)
      previous_offset = zone_->get_info(info.begin - std::chrono::seconds(1)).offset.count() * kSecondMs;
    safe_begin_ = begin + std::max(offset_, previous_offset);
    safe_end_ = period_end_ + offset_;
  }

  const date::time_zone* zone_;
  Millis offset_ = 0;
  Millis period_end_ = 0;
  Millis safe_begin_ = 0;
  Millis safe_end_ = 0;
};

struct RangeMs {
  Millis start;  // from local midnight
  Millis end;
};

// The working ranges of one kind of day: a slice of Compiled::ranges.
struct DayHours {
  std::uint32_t first = 0;
  std::uint32_t count = 0;
  Millis total = 0;
};

// A date whose hours differ from its weekday's: a holiday or an extra working day.
struct DateOverride {
  std::int64_t day;     // days since 1970-01-01, local
  std::uint32_t hours;  // index into Compiled::hours
};

}  // namespace

struct BusinessCalendar::Compiled {
  CalendarSpec spec;
  const date::time_zone* zone = nullptr;
  std::vector<RangeMs> ranges;
  std::vector<DayHours> hours;          // [0..6] the weekdays, Monday first; then closed; then working days' own
  std::vector<DateOverride> overrides;  // sorted by day
  Millis week_total = 0;

  std::uint32_t AddHours(const std::vector<TimeRange>& day) {
    DayHours h{static_cast<std::uint32_t>(ranges.size()), static_cast<std::uint32_t>(day.size()), 0};
    for (const auto& r : day) {
      ranges.push_back({r.start_minute * kMinuteMs, r.end_minute * kMinuteMs});
      h.total += (r.end_minute - r.start_minute) * kMinuteMs;
    }
    hours.push_back(h);
    return static_cast<std::uint32_t>(hours.size() - 1);
  }
};

struct BusinessCalendar::Walk {
  Millis at;        // where the walk stopped
  Millis consumed;  // business time passed on the way
};

Result<BusinessCalendar> BusinessCalendar::Compile(CalendarSpec spec) {
  KEFU_TRY(ValidateCalendar(spec));
  auto c = std::make_shared<Compiled>();
  c->zone = calendar_internal::FindZone(spec.time_zone);
  for (const auto& day : spec.weekly) c->week_total += c->hours[c->AddHours(day)].total;
  std::uint32_t closed = c->AddHours({});
  for (const auto& h : spec.holidays) c->overrides.push_back({DaysSinceEpoch(h.date), closed});
  for (const auto& w : spec.working_days)
    c->overrides.push_back(
        {DaysSinceEpoch(w.date), w.hours ? c->AddHours(*w.hours) : static_cast<std::uint32_t>(w.works_like)});
  std::ranges::sort(c->overrides, {}, &DateOverride::day);
  c->spec = std::move(spec);
  c->zone->get_info(date::sys_seconds{});  // loads the zone's transitions now rather than on first use
  return BusinessCalendar(std::move(c));
}

const CalendarSpec& BusinessCalendar::spec() const { return compiled_->spec; }

// Requires kEarliest <= from < until <= kHorizon and budget > 0.
BusinessCalendar::Walk BusinessCalendar::WalkForward(Millis from, Millis budget, Millis until) const {
  const Compiled& c = *compiled_;
  LocalClock clock(c.zone, from);
  // The local day of `from`: earlier days' ranges end by its midnight, which maps to `from` or before.
  std::int64_t day = FloorDiv(from + clock.offset(), kDayMs);
  auto next_override = std::ranges::lower_bound(c.overrides, day, {}, &DateOverride::day);
  Millis consumed = 0;
  for (;; ++day) {
    while (next_override != c.overrides.end() && next_override->day < day) ++next_override;
    bool overridden = next_override != c.overrides.end() && next_override->day == day;
    const DayHours& hours = c.hours[overridden ? next_override->hours : static_cast<std::uint32_t>(WeekdayOfDay(day))];
    Millis midnight = day * kDayMs;  // local
    clock.AdvanceTo(midnight);

    if (clock.Covers(midnight, midnight + kDayMs)) {
      Millis day_start = midnight - clock.offset();
      if (day_start >= until) return {until, consumed};
      if (day_start >= from) {
        // Whole weeks up to the next override, DST change, `until` or the week the budget runs out in.
        std::int64_t weeks = c.week_total > 0 ? (budget - 1) / c.week_total : kHorizon / kWeekMs;
        if (next_override != c.overrides.end()) weeks = std::min(weeks, (next_override->day - day) / kDaysPerWeek);
        weeks = std::min({weeks, (clock.safe_end() - 1 - midnight) / kWeekMs, (until - day_start) / kWeekMs});
        if (weeks > 0) {
          consumed += weeks * c.week_total;
          budget -= weeks * c.week_total;
          day += weeks * kDaysPerWeek - 1;
          continue;
        }
        if (day_start + kDayMs <= until && hours.total < budget) {
          consumed += hours.total;
          budget -= hours.total;
          continue;
        }
      }
    } else if (clock.ToUtc(midnight) >= until) {
      return {until, consumed};
    }

    for (std::uint32_t i = hours.first; i < hours.first + hours.count; ++i) {
      Millis start = clock.ToUtc(midnight + c.ranges[i].start);
      if (start >= until) return {until, consumed};
      Millis end = clock.ToUtc(midnight + c.ranges[i].end);
      Millis a = std::max(start, from);
      Millis b = std::min(end, until);
      if (a < b) {
        if (b - a >= budget) return {a + budget, consumed + budget};
        consumed += b - a;
        budget -= b - a;
      }
      if (end >= until) return {until, consumed};
    }
  }
}

Millis BusinessCalendar::AddBusinessSeconds(Millis from, std::int64_t seconds) const {
  if (seconds <= 0) return from;
  if (from > kLatest || seconds > (kHorizon - kEarliest) / kSecondMs) return kNever;
  Millis budget = seconds * kSecondMs;
  Walk w = WalkForward(std::max(from, kEarliest), budget, kHorizon);
  return w.consumed == budget ? w.at : kNever;
}

Millis BusinessCalendar::AddBusinessMinutes(Millis from, std::int64_t minutes) const {
  if (minutes > (kHorizon - kEarliest) / kMinuteMs) return kNever;
  return AddBusinessSeconds(from, minutes * 60);
}

std::int64_t BusinessCalendar::BusinessSecondsBetween(Millis from, Millis to) const {
  from = std::max(from, kEarliest);
  to = std::min(to, kHorizon);
  if (to <= from) return 0;
  return WalkForward(from, std::numeric_limits<Millis>::max(), to).consumed / kSecondMs;
}

std::optional<Millis> BusinessCalendar::NextOpen(Millis at) const {
  if (at > kLatest) return std::nullopt;
  // The walk spends its single millisecond in the first business millisecond at or after `at`.
  Walk w = WalkForward(std::max(at, kEarliest), 1, kHorizon);
  if (w.consumed == 0) return std::nullopt;
  return w.at - 1;
}

bool BusinessCalendar::IsOpen(Millis at) const { return NextOpen(at) == at; }

}  // namespace kefu
