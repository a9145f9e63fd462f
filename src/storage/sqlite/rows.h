// Reading result rows into records. Private to storage/sqlite.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
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

// The rows of `head` + "(?,?,…)" for `ids` (each row once, in no particular
// order), an IN list of up to kInListMax ids per statement. The number of placeholders is rounded up to a power of
// two (the last id repeated) so that a statement has at most nine texts in the
// dynamic statement cache (Db::PrepareDynamic) whatever the page size.
inline constexpr size_t kInListMax = 256;

template <typename T, typename F>
Result<std::vector<T>> CollectIn(Db& db, const std::string& head, std::vector<std::int64_t> ids, F read) {
  // Each id once: a repeated id in two chunks would give its row twice.
  std::ranges::sort(ids);
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<T> out;
  for (size_t start = 0; start < ids.size(); start += kInListMax) {
    size_t n = std::min(kInListMax, ids.size() - start);
    size_t slots = 1;
    while (slots < n) slots *= 2;
    std::string sql = head;
    sql += '(';
    for (size_t i = 0; i < slots; ++i) sql += i ? ",?" : "?";
    sql += ')';
    DynamicStmt ds;
    auto raw = db.PrepareDynamic(sql, ds);
    if (!raw) return Fail(raw.error());
    Stmt s(db.raw(), *raw);
    for (size_t i = 0; i < slots; ++i)
      sqlite3_bind_int64(*raw, static_cast<int>(i + 1), ids[start + std::min(i, n - 1)]);
    auto part = Collect<T>(s, read);
    if (!part) return Fail(part.error());
    out.insert(out.end(), std::make_move_iterator(part->begin()), std::make_move_iterator(part->end()));
  }
  return out;
}

}  // namespace kefu::sqlite
