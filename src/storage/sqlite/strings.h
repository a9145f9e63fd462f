// Packing of small lists into one TEXT column. Private to storage/sqlite.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/enums.h"

namespace kefu::sqlite {

inline std::vector<std::string> SplitList(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t end = s.find(sep, start);
    if (end == std::string::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

inline std::string JoinList(const std::vector<std::string>& items, char sep) {
  std::string out;
  for (const auto& i : items) {
    if (!out.empty()) out += sep;
    out += i;
  }
  return out;
}

// An enum stored by wire name; `fallback` for a name this binary does not know.
template <typename E>
E EnumOr(std::string_view s, E fallback) {
  return Parse<E>(s).value_or(fallback);
}

// Threat kinds by wire name, comma-separated, and back.
inline std::string ThreatList(const std::vector<ThreatKind>& threats) {
  std::string out;
  for (ThreatKind k : threats) {
    if (!out.empty()) out += ',';
    out += Name(k);
  }
  return out;
}

inline std::vector<ThreatKind> ParseThreatList(const std::string& s) {
  std::vector<ThreatKind> out;
  for (const auto& name : SplitList(s, ','))
    if (auto k = Parse<ThreatKind>(name)) out.push_back(*k);
  return out;
}

}  // namespace kefu::sqlite
