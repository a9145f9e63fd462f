// Reading result rows into records. Private to storage/sqlite.
#pragma once

#include <optional>
#include <vector>

#include "storage/sqlite/db.h"

namespace kefu::sqlite {

// Every row of `s`, each read by `read(s)`.
template <typename T, typename F>
Result<std::vector<T>> Collect(Stmt& s, F read) {
  std::vector<T> out;
  for (;;) {
    auto row = s.Step();
    if (!row) return Fail(row.error());
    if (!*row) return out;
    out.push_back(read(s));
  }
}

// The first row of `s`, if any.
template <typename T, typename F>
Result<std::optional<T>> First(Stmt& s, F read) {
  auto row = s.Step();
  if (!row) return Fail(row.error());
  if (!*row) return std::optional<T>();
  return std::optional<T>(read(s));
}

}  // namespace kefu::sqlite
