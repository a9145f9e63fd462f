// Validation of user-supplied text. All text in kefu is UTF-8; lengths are
// counted in code points so that limits mean the same for Chinese, Thai,
// Vietnamese and English.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/error.h"

namespace kefu {

bool IsValidUtf8(std::string_view s);
// Number of code points of valid UTF-8.
size_t CodePoints(std::string_view s);
// Checks that `value` is valid UTF-8 of min..max code points without control
// characters (tab, and newlines when multiline, are allowed).
Status CheckText(std::string_view field, std::string_view value, size_t min, size_t max, bool multiline = false);

}  // namespace kefu
