// Thin RAII over the SQLite C API, private to storage/sqlite.
// A Db is one connection, used by one thread at a time. Statements are
// prepared once per connection and cached by their SQL text's address.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/error.h"

namespace kefu::sqlite {

struct DynamicStmt;

class Stmt {
 public:
  Stmt(sqlite3* db, sqlite3_stmt* s) : db_(db), s_(s) {}
  Stmt(const Stmt&) = delete;
  Stmt(Stmt&& o) noexcept : db_(o.db_), s_(o.s_) { o.s_ = nullptr; }
  ~Stmt() {
    if (s_) {
      sqlite3_reset(s_);
      sqlite3_clear_bindings(s_);
    }
  }

  Stmt& Bind(int i, std::int64_t v) { sqlite3_bind_int64(s_, i, v); return *this; }
  Stmt& Bind(int i, int v) { sqlite3_bind_int64(s_, i, v); return *this; }
  Stmt& Bind(int i, bool v) { sqlite3_bind_int64(s_, i, v ? 1 : 0); return *this; }
  Stmt& Bind(int i, double v) { sqlite3_bind_double(s_, i, v); return *this; }
  Stmt& Bind(int i, std::string_view v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& Bind(int i, const std::string& v) { return Bind(i, std::string_view(v)); }
  Stmt& Bind(int i, const char* v) { return Bind(i, std::string_view(v)); }
  template <typename T>
  Stmt& Bind(int i, const std::optional<T>& v) {
    if (v) return Bind(i, *v);
    sqlite3_bind_null(s_, i);
    return *this;
  }

  // Steps once: true when a row is available, false when done.
  Result<bool> Step();
  // Steps to completion, for statements that return no rows.
  Status Run();

  std::int64_t Int(int col) const { return sqlite3_column_int64(s_, col); }
  double Real(int col) const { return sqlite3_column_double(s_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  std::optional<std::int64_t> OptInt(int col) const {
    if (IsNull(col)) return std::nullopt;
    return Int(col);
  }
  std::string Text(int col) const {
    auto p = sqlite3_column_text(s_, col);
    return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(s_, col)) : std::string();
  }
  // The text of a column without a copy: valid until the next step.
  std::string_view TextView(int col) const {
    auto p = sqlite3_column_text(s_, col);
    return p ? std::string_view(reinterpret_cast<const char*>(p), sqlite3_column_bytes(s_, col)) : std::string_view();
  }
  std::optional<std::string> OptText(int col) const {
    if (IsNull(col)) return std::nullopt;
    return Text(col);
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* s_;
};

class Db {
 public:
  Db() = default;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db();

  Status Open(const std::string& path, bool read_only);
  // Runs one or more statements without parameters (schema, pragmas).
  Status Exec(const char* sql);
  // A cached prepared statement; `sql` must outlive the Db (use literals).
  Result<Stmt> Prepare(const char* sql);
  // A statement for SQL assembled at run time (filters; the text never
  // contains values, only placeholders), cached by its text for up to
  // kDynamicCache distinct texts; beyond that a fresh one that `owner`
  // finalizes. Wrap it in a Stmt so that it is reset after use.
  Result<sqlite3_stmt*> PrepareDynamic(const std::string& sql, DynamicStmt& owner);
  static constexpr size_t kDynamicCache = 512;
  std::int64_t LastInsertId() const { return sqlite3_last_insert_rowid(db_); }
  int Changes() const { return sqlite3_changes(db_); }
  sqlite3* raw() const { return db_; }
  Error LastError(std::string_view what) const;

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<const char*, sqlite3_stmt*> cache_;
  std::unordered_map<std::string, sqlite3_stmt*> text_cache_;
};

// Finalizes a dynamic statement on scope exit.
struct DynamicStmt {
  sqlite3_stmt* s = nullptr;
  ~DynamicStmt() { if (s) sqlite3_finalize(s); }
};

}  // namespace kefu::sqlite
