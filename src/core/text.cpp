#include "core/text.h"

#include <fmt/format.h>

namespace kefu {

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n;
    char32_t cp;
    if (c < 0x80) { ++i; continue; }
    if ((c & 0xE0) == 0xC0) { n = 1; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { n = 2; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { n = 3; cp = c & 0x07; }
    else return false;
    if (i + n >= s.size()) return false;  // truncated sequence
    for (size_t k = 1; k <= n; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000)) return false;  // overlong
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

Status CheckText(std::string_view field, std::string_view value, size_t min, size_t max, bool multiline) {
  if (!IsValidUtf8(value)) return Fail(Error::Validation(std::string(field), fmt::format("{} is not valid UTF-8", field)));
  for (char c : value) {
    auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t' && !(multiline && (c == '\n' || c == '\r'))) || u == 0x7F)
      return Fail(Error::Validation(std::string(field), fmt::format("{} contains control characters", field)));
  }
  size_t n = CodePoints(value);
  if (n < min)
    return Fail(Error::Validation(std::string(field), min == 1 ? fmt::format("{} is required", field)
                                                               : fmt::format("{} needs at least {} characters", field, min)));
  if (n > max)
    return Fail(Error::Validation(std::string(field), fmt::format("{} is longer than {} characters", field, max)));
  return {};
}

}  // namespace kefu
