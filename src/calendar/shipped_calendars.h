// The calendars that ship with kefu: the JSON files of src/calendar/data/,
// compiled into the binary so that a server has them without a data
// directory. Each is in the format of calendar_json.h.
//   cn-2026      mainland China 2026 (Asia/Shanghai), holidays and adjusted
//                working days from the State Council notice 国办发明电〔2025〕7号
//   sea-bangkok  the Southeast Asia team (Asia/Bangkok), Mon-Sat 08:00-20:00
#pragma once

#include <span>
#include <string_view>

namespace kefu {

struct ShippedCalendar {
  std::string_view id;    // the file name without ".json", e.g. "cn-2026"
  std::string_view json;  // the file's bytes
};

// Sorted by id.
std::span<const ShippedCalendar> ShippedCalendars();

}  // namespace kefu
