#include "calendars/registry.h"

#include <map>

#include <fmt/format.h>

#include "calendar/calendar_json.h"
#include "calendar/ics.h"
#include "calendar/shipped_calendars.h"

namespace kefu::calendars {

namespace {

constexpr const char* kDefaultShipped = "cn-2026";

std::string BindingKey(const std::string& scope, const std::string& value) { return scope + ":" + value; }

}  // namespace

struct CalendarRegistry::Snapshot {
  std::map<std::string, StoredCalendar> stored;
  std::map<std::string, BusinessCalendar> compiled;
  std::map<std::string, std::string> bound;  // "team:3" / "region:TH" / "default:" -> calendar id
  std::vector<CalendarBinding> bindings;
};

bool ValidCalendarId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  return true;
}

CalendarRegistry::CalendarRegistry(Store& store, const Clock& clock) : store_(store), clock_(clock) {}
CalendarRegistry::~CalendarRegistry() = default;

Status CalendarRegistry::Load() {
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    KEFU_ASSIGN(auto existing, tx.ListCalendars());
    if (!existing.empty()) return {};
    for (const auto& shipped : ShippedCalendars()) {
      KEFU_ASSIGN(auto spec, ParseCalendarJson(shipped.json));
      KEFU_TRY(tx.PutCalendar(StoredCalendar{std::string(shipped.id), CalendarJson(spec), clock_.Now()}));
    }
    return tx.PutCalendarBinding(CalendarBinding{"default", "", kDefaultShipped});
  }));
  return Reload();
}

Status CalendarRegistry::Reload() {
  return snapshot_.Rebuild([&](const std::shared_ptr<const Snapshot>&) -> Result<std::shared_ptr<const Snapshot>> {
    auto s = std::make_shared<Snapshot>();
    KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
      KEFU_ASSIGN(auto all, tx.ListCalendars());
      for (auto& c : all) {
        KEFU_ASSIGN(auto spec, ParseCalendarJson(c.spec));
        KEFU_ASSIGN(auto cal, BusinessCalendar::Compile(std::move(spec)));
        s->compiled.emplace(c.id, std::move(cal));
        s->stored.emplace(c.id, std::move(c));
      }
      KEFU_ASSIGN(s->bindings, tx.ListCalendarBindings());
      for (const auto& b : s->bindings) s->bound[BindingKey(b.scope, b.value)] = b.calendar_id;
      return {};
    }));
    return s;
  });
}

std::shared_ptr<const BusinessCalendar> CalendarRegistry::Find(const std::string& id) const {
  auto s = snapshot_.Get();
  if (!s) return nullptr;
  auto it = s->compiled.find(id);
  if (it == s->compiled.end()) return nullptr;
  return {s, &it->second};  // shares the snapshot's lifetime
}

const std::pair<const std::string, BusinessCalendar>* CalendarRegistry::Bound(const Snapshot& s,
                                                                              std::optional<Id> team_id,
                                                                              const std::string& region) {
  auto bound = [&](const std::string& key) -> const std::pair<const std::string, BusinessCalendar>* {
    auto b = s.bound.find(key);
    if (b == s.bound.end()) return nullptr;
    auto c = s.compiled.find(b->second);
    return c == s.compiled.end() ? nullptr : &*c;
  };
  const std::pair<const std::string, BusinessCalendar>* found = nullptr;
  if (team_id) found = bound(BindingKey("team", std::to_string(*team_id)));
  if (!found && !region.empty()) found = bound(BindingKey("region", region));
  return found ? found : bound(BindingKey("default", ""));
}

std::pair<std::string, std::shared_ptr<const BusinessCalendar>> CalendarRegistry::For(std::optional<Id> team_id,
                                                                                      const std::string& region) const {
  static const auto always = std::make_shared<const BusinessCalendar>(*BusinessCalendar::Compile(AlwaysOpenCalendar()));
  auto s = snapshot_.Get();
  if (const auto* found = s ? Bound(*s, team_id, region) : nullptr)
    return {found->first, std::shared_ptr<const BusinessCalendar>(s, &found->second)};
  return {"", always};
}

Result<CalendarInfo> CalendarRegistry::Info(const std::string& id) const {
  auto s = snapshot_.Get();
  auto it = s ? s->stored.find(id) : decltype(s->stored.end()){};
  if (!s || it == s->stored.end()) return Fail(Error::NotFound(fmt::format("calendar {} not found", id)));
  CalendarInfo info{it->second, s->compiled.at(id).spec(), {}};
  for (const auto& b : s->bindings)
    if (b.calendar_id == id) info.bindings.push_back(b);
  return info;
}

Result<std::vector<CalendarInfo>> CalendarRegistry::List(const Principal& p) const {
  KEFU_TRY(Need(p, Permission::kTicketsRead));
  std::vector<CalendarInfo> out;
  if (auto s = snapshot_.Get())
    for (const auto& [id, _] : s->stored) {
      KEFU_ASSIGN(auto info, Info(id));
      out.push_back(std::move(info));
    }
  return out;
}

Result<CalendarInfo> CalendarRegistry::Get(const Principal& p, const std::string& id) const {
  KEFU_TRY(Need(p, Permission::kTicketsRead));
  return Info(id);
}

Result<CalendarInfo> CalendarRegistry::Save(const std::string& id, const CalendarSpec& spec) {
  KEFU_TRY(store_.Write([&](WriteTx& tx) { return tx.PutCalendar(StoredCalendar{id, CalendarJson(spec), clock_.Now()}); }));
  KEFU_TRY(Reload());
  return Info(id);
}

Result<CalendarInfo> CalendarRegistry::Put(const Principal& p, const std::string& id, const std::string& json,
                                           bool create) {
  KEFU_TRY(Need(p, Permission::kSlaManage));
  if (!ValidCalendarId(id)) return Fail(Error::Validation("id", "a calendar id is 1–64 of a-z, 0-9, '-' and '_'"));
  bool exists = Find(id) != nullptr;
  if (create && exists) return Fail(Error::Conflict(fmt::format("calendar {} already exists", id), "id"));
  if (!create && !exists) return Fail(Error::NotFound(fmt::format("calendar {} not found", id)));
  KEFU_ASSIGN(auto spec, ParseCalendarJson(json));
  return Save(id, spec);
}

Status CalendarRegistry::Delete(const Principal& p, const std::string& id) {
  KEFU_TRY(Need(p, Permission::kSlaManage));
  KEFU_ASSIGN(auto info, Info(id));
  if (!info.bindings.empty())
    return Fail(Error::Conflict(fmt::format("calendar {} is in use by {} {}", id, info.bindings.front().scope,
                                            info.bindings.front().value)));
  KEFU_TRY(store_.Write([&](WriteTx& tx) { return tx.DeleteCalendar(id); }));
  return Reload();
}

Result<std::string> CalendarRegistry::ExportIcs(const Principal& p, const std::string& id) const {
  KEFU_ASSIGN(auto info, Get(p, id));
  return WriteIcsHolidays(info.spec.holidays, info.spec.name);
}

Result<CalendarInfo> CalendarRegistry::ImportIcs(const Principal& p, const std::string& id, const std::string& ics) {
  KEFU_TRY(Need(p, Permission::kSlaManage));
  KEFU_ASSIGN(auto info, Info(id));
  KEFU_ASSIGN(info.spec.holidays, ParseIcsHolidays(ics));
  KEFU_TRY(ValidateCalendar(info.spec));
  return Save(id, info.spec);
}

Result<Millis> CalendarRegistry::Add(const Principal& p, const std::string& id, Millis from,
                                     std::int64_t minutes) const {
  KEFU_TRY(Need(p, Permission::kTicketsRead));
  auto cal = Find(id);
  if (!cal) return Fail(Error::NotFound(fmt::format("calendar {} not found", id)));
  return cal->AddBusinessMinutes(from, minutes);
}

Result<std::int64_t> CalendarRegistry::Between(const Principal& p, const std::string& id, Millis from,
                                               Millis to) const {
  KEFU_TRY(Need(p, Permission::kTicketsRead));
  auto cal = Find(id);
  if (!cal) return Fail(Error::NotFound(fmt::format("calendar {} not found", id)));
  return cal->BusinessSecondsBetween(from, to);
}

Result<std::vector<CalendarBinding>> CalendarRegistry::Bindings(const Principal& p) const {
  KEFU_TRY(Need(p, Permission::kTicketsRead));
  auto s = snapshot_.Get();
  return s ? s->bindings : std::vector<CalendarBinding>{};
}

Result<CalendarBinding> CalendarRegistry::Bind(const Principal& p, const CalendarBinding& b) {
  KEFU_TRY(Need(p, Permission::kSlaManage));
  if (b.scope != "team" && b.scope != "region" && b.scope != "default")
    return Fail(Error::Validation("scope", "scope is team, region or default"));
  if (b.scope == "default" ? !b.value.empty() : b.value.empty())
    return Fail(Error::Validation("value", b.scope == "default" ? "the default binding has no value"
                                                                : "a team id or region code is required"));
  if (!b.calendar_id.empty() && !Find(b.calendar_id))
    return Fail(Error::Validation("calendar", fmt::format("calendar {} not found", b.calendar_id)));
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    if (b.scope == "team") {
      KEFU_ASSIGN(auto teams, tx.ListTeams());
      bool found = false;
      for (const auto& t : teams) found = found || std::to_string(t.id) == b.value;
      if (!found) return Fail(Error::Validation("value", fmt::format("team {} not found", b.value)));
    }
    return tx.PutCalendarBinding(b);
  }));
  KEFU_TRY(Reload());
  return b;
}

}  // namespace kefu::calendars
