// BusinessCalendar: SLA arithmetic in business time, exact to the millisecond.
//
//   auto cal = BusinessCalendar::Compile(spec);           // Result<BusinessCalendar>
//   Millis due = cal->AddBusinessMinutes(received, 30);    // 30 business minutes later
//   std::int64_t used = cal->BusinessSecondsBetween(received, now);
//
// Semantics (docs/calendars.md has the long form):
// - Business time is the union of the working ranges of every local day,
//   mapped to UTC. A day's ranges come from, in order: a holiday (none), an
//   extra working day (its own hours or those of the weekday it works like),
//   the weekly hours of its weekday.
// - A range boundary that falls in a DST gap (a local time that does not
//   exist) means the instant the clock jumps; one that falls in a repeated hour
//   means its first occurrence. So on America/New_York's spring-forward day
//   01:00-03:00 is one real hour and 02:00-02:30 is empty; on the fall-back day
//   00:00-24:00 is 25 hours and 01:00-03:00 is three.
// - A due time is the instant the business time is used up: 30 minutes from
//   17:30 with hours ending at 18:00 is 18:00 that day, not 09:00 the next
//   working day. Adding zero returns `from` itself, even outside hours.
// - Instants are clamped to years 1..9999; a due time that does not exist
//   within them (a calendar without weekly hours runs out of working days) is
//   kNever.
//
// A BusinessCalendar is immutable and thread-safe; copies share one compiled
// calendar. The arithmetic does not allocate: it walks whole weeks at a time
// between holidays and DST changes, then day by day, then range by range.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>

#include "calendar/spec.h"
#include "core/clock.h"
#include "core/error.h"

namespace kefu {

class BusinessCalendar {
 public:
  // The due time that never comes.
  static constexpr Millis kNever = std::numeric_limits<Millis>::max();

  // Validates (ValidateCalendar) and compiles the spec.
  static Result<BusinessCalendar> Compile(CalendarSpec spec);

  // The instant at which `minutes` (`seconds`) of business time have passed
  // since `from`. Zero or negative amounts return `from`.
  Millis AddBusinessMinutes(Millis from, std::int64_t minutes) const;
  Millis AddBusinessSeconds(Millis from, std::int64_t seconds) const;
  // Business time in [from, to), in whole seconds rounded down; 0 if to <= from.
  // For every from and s >= 0 with a due time: BusinessSecondsBetween(from,
  // AddBusinessSeconds(from, s)) == s.
  std::int64_t BusinessSecondsBetween(Millis from, Millis to) const;
  // Whether `at` lies in business time (ranges include their start, exclude their end).
  bool IsOpen(Millis at) const;
  // The first instant >= at that is business time; nullopt when there is none
  // (a calendar without hours at all).
  std::optional<Millis> NextOpen(Millis at) const;

  const CalendarSpec& spec() const;

 private:
  struct Compiled;
  struct Walk;
  explicit BusinessCalendar(std::shared_ptr<const Compiled> compiled) : compiled_(std::move(compiled)) {}
  // Walks business time forward from `from`, consuming at most `budget`
  // milliseconds, and stopping at `until`.
  Walk WalkForward(Millis from, Millis budget, Millis until) const;

  std::shared_ptr<const Compiled> compiled_;
};

}  // namespace kefu
