#include "storage/sqlite/db.h"

#include <fmt/format.h>

namespace kefu::sqlite {

namespace {
Error ErrorFor(sqlite3* db, int rc, std::string_view what) {
  int ext = db ? sqlite3_extended_errcode(db) : rc;
  std::string msg = fmt::format("{}: {}", what, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
    return Error::Conflict(std::move(msg));
  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
    return {ErrorCode::kUnavailable, std::move(msg), {}};
  return Error::Internal(std::move(msg));
}
}  // namespace

Result<bool> Stmt::Step() {
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return Fail(ErrorFor(db_, rc, "sqlite step"));
}

Status Stmt::Run() {
  for (;;) {
    auto r = Step();
    if (!r) return Fail(r.error());
    if (!*r) return {};
  }
}

Db::~Db() {
  for (auto& [_, s] : cache_) sqlite3_finalize(s);
  for (auto& [_, s] : text_cache_) sqlite3_finalize(s);
  if (db_) sqlite3_close_v2(db_);
}

Status Db::Open(const std::string& path, bool read_only) {
  int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  flags |= SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) return Fail(ErrorFor(db_, rc, "open " + path));
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, 5000);
  return {};
}

Status Db::Exec(const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    auto e = ErrorFor(db_, rc, "exec");
    e.message = "exec: " + msg;
    return Fail(std::move(e));
  }
  return {};
}

Result<Stmt> Db::Prepare(const char* sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return Stmt(db_, it->second);
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr);
  if (rc != SQLITE_OK) return Fail(ErrorFor(db_, rc, "prepare"));
  cache_.emplace(sql, s);
  return Stmt(db_, s);
}

Result<sqlite3_stmt*> Db::PrepareDynamic(const std::string& sql, DynamicStmt& owner) {
  if (auto it = text_cache_.find(sql); it != text_cache_.end()) return it->second;
  bool keep = text_cache_.size() < kDynamicCache;
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), keep ? SQLITE_PREPARE_PERSISTENT : 0,
                              &s, nullptr);
  if (rc != SQLITE_OK) return Fail(ErrorFor(db_, rc, "prepare"));
  if (keep) text_cache_.emplace(sql, s);
  else owner.s = s;
  return s;
}

Error Db::LastError(std::string_view what) const { return ErrorFor(db_, sqlite3_errcode(db_), what); }

}  // namespace kefu::sqlite
