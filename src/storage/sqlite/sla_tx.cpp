// SQLite storage of service levels: business calendars and their bindings to
// teams and regions.
#include <fmt/format.h>

#include "storage/sqlite/rows.h"
#include "storage/sqlite/tx.h"

namespace kefu::sqlite {

Result<std::vector<StoredCalendar>> SqliteReadTx::ListCalendars() {
  KEFU_ASSIGN(auto s, db_.Prepare("SELECT id, spec, updated_at FROM calendars ORDER BY id"));
  return Collect<StoredCalendar>(s, [](const Stmt& r) { return StoredCalendar{r.Text(0), r.Text(1), r.Int(2)}; });
}

Result<std::vector<CalendarBinding>> SqliteReadTx::ListCalendarBindings() {
  KEFU_ASSIGN(auto s, db_.Prepare("SELECT scope, value, calendar_id FROM calendar_bindings ORDER BY scope, value"));
  return Collect<CalendarBinding>(s, [](const Stmt& r) { return CalendarBinding{r.Text(0), r.Text(1), r.Text(2)}; });
}

Status SqliteWriteTx::PutCalendar(const StoredCalendar& c) {
  KEFU_ASSIGN(auto s, db_.Prepare("INSERT INTO calendars(id, spec, updated_at) VALUES (?, ?, ?) "
                                  "ON CONFLICT(id) DO UPDATE SET spec = excluded.spec, updated_at = excluded.updated_at"));
  return s.Bind(1, c.id).Bind(2, c.spec).Bind(3, c.updated_at).Run();
}

Status SqliteWriteTx::DeleteCalendar(const std::string& id) {
  KEFU_ASSIGN(auto s, db_.Prepare("DELETE FROM calendars WHERE id = ?"));
  KEFU_TRY(s.Bind(1, id).Run());
  if (db_.Changes() == 0) return Fail(Error::NotFound(fmt::format("calendar {} not found", id)));
  return {};
}

Status SqliteWriteTx::PutCalendarBinding(const CalendarBinding& b) {
  if (b.calendar_id.empty()) {
    KEFU_ASSIGN(auto s, db_.Prepare("DELETE FROM calendar_bindings WHERE scope = ? AND value = ?"));
    return s.Bind(1, b.scope).Bind(2, b.value).Run();
  }
  KEFU_ASSIGN(auto s, db_.Prepare("INSERT OR REPLACE INTO calendar_bindings(scope, value, calendar_id) VALUES (?,?,?)"));
  return s.Bind(1, b.scope).Bind(2, b.value).Bind(3, b.calendar_id).Run();
}

}  // namespace kefu::sqlite
