// Private to calendar/: finding an IANA zone in the system's tz database
// (/usr/share/zoneinfo, read through Howard Hinnant's date library).
#pragma once

#include <string>

#include <date/tz.h>

namespace kefu::calendar_internal {

// The zone, or nullptr when the database does not know the name.
const date::time_zone* FindZone(const std::string& name);

}  // namespace kefu::calendar_internal
