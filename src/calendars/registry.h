// The department's business calendars, kept in the store (calendar/ is the
// pure arithmetic; this is who works on which calendar).
//
// A complaint's calendar is its team's, else its customer's region's, else
// the default one, else a calendar open around the clock in UTC. The shipped
// calendars (calendar/shipped_calendars.h) are copied into the store on first
// start and cn-2026 becomes the default; after that they are the department's
// to edit. Compiled calendars are held in an immutable snapshot swapped on
// change, so lookups from the writer and the SLA timer never touch the store.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/fwd.hpp>

#include "auth/permissions.h"
#include "calendar/business_calendar.h"
#include "core/clock.h"
#include "core/published.h"
#include "storage/store.h"

namespace kefu::calendars {

struct CalendarInfo {
  StoredCalendar stored;
  CalendarSpec spec;
  std::vector<CalendarBinding> bindings;  // the teams and regions that work on it
};

class CalendarRegistry {
 public:
  CalendarRegistry(Store& store, const Clock& clock);
  ~CalendarRegistry();

  // Loads the calendars, seeding the shipped ones into an empty store.
  Status Load();

  // The compiled calendar with this id, or null. It stays valid while held,
  // also when the calendars are changed meanwhile.
  std::shared_ptr<const BusinessCalendar> Find(const std::string& id) const;
  // The calendar a complaint of this team and customer region works on, and its id ("" for the fallback).
  std::pair<std::string, std::shared_ptr<const BusinessCalendar>> For(std::optional<Id> team_id,
                                                                      const std::string& region) const;

  // The API: reading needs tickets.read, changing sla.manage.
  Result<std::vector<CalendarInfo>> List(const Principal& p) const;
  Result<CalendarInfo> Get(const Principal& p, const std::string& id) const;
  // Creates (`create`) or replaces a calendar from its JSON (calendar/calendar_json.h).
  Result<CalendarInfo> Put(const Principal& p, const std::string& id, const std::string& json, bool create);
  Status Delete(const Principal& p, const std::string& id);
  Result<std::string> ExportIcs(const Principal& p, const std::string& id) const;
  // Replaces the calendar's holidays with those of an iCalendar file.
  Result<CalendarInfo> ImportIcs(const Principal& p, const std::string& id, const std::string& ics);
  Result<Millis> Add(const Principal& p, const std::string& id, Millis from, std::int64_t minutes) const;
  Result<std::int64_t> Between(const Principal& p, const std::string& id, Millis from, Millis to) const;
  Result<std::vector<CalendarBinding>> Bindings(const Principal& p) const;
  // Binds a team, a region or the default to a calendar; an empty calendar_id unbinds.
  Result<CalendarBinding> Bind(const Principal& p, const CalendarBinding& b);

 private:
  struct Snapshot;
  // The id and calendar bound for a team and region in `s`, or null for the fallback.
  static const std::pair<const std::string, BusinessCalendar>* Bound(const Snapshot& s, std::optional<Id> team_id,
                                                                     const std::string& region);
  Status Reload();
  Result<CalendarInfo> Info(const std::string& id) const;
  Result<CalendarInfo> Save(const std::string& id, const CalendarSpec& spec);

  Store& store_;
  const Clock& clock_;
  Published<Snapshot> snapshot_;
};

// Calendar ids: 1..64 of [a-z0-9_-].
bool ValidCalendarId(const std::string& id);

}  // namespace kefu::calendars
