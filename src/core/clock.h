// Time for kefu. All time comes from an injected Clock so that SLA and report
// tests can use a ManualClock. Timestamps are UTC milliseconds since the epoch.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kefu {

using Millis = std::int64_t;  // UTC milliseconds since 1970-01-01

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Millis Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Millis Now() const override;
};

// A clock that moves only when told. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Millis start) : now_(start) {}
  Millis Now() const override { return now_.load(); }
  void Set(Millis t) { now_.store(t); }
  void Advance(Millis d) { now_.fetch_add(d); }

 private:
  std::atomic<Millis> now_;
};

// RFC 3339 with millisecond precision in UTC, e.g. "2026-11-23T09:11:21.123Z".
std::string FormatRfc3339(Millis t);
// Accepts RFC 3339 date-times with "Z" or a numeric offset, and optional
// fractional seconds; returns nullopt for anything else.
std::optional<Millis> ParseRfc3339(std::string_view text);
// "YYYYMMDD" of the UTC day containing t.
std::string UtcDayStamp(Millis t);

}  // namespace kefu
