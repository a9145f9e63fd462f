// The SQLite store: one writer thread with group commit, a pool of read
// connections, migrations at open, an exclusive lock on the data directory.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <future>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "storage/sqlite/db.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/tx.h"
#include "storage/store.h"

namespace kefu {

int SchemaVersion() { return sqlite::Migrations().back().version; }

namespace sqlite {
namespace {

constexpr const char* kConnectionPragmas =
    "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY; "
    "PRAGMA cache_size = -16000;";

class DirLock {
 public:
  ~DirLock() {
    if (fd_ >= 0) close(fd_);
  }
  Status Acquire(const std::string& dir) {
    std::string path = dir + "/kefu.lock";
    fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) return Fail(Error::Internal(fmt::format("cannot open {}: {}", path, strerror(errno))));
    if (flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      char buf[32] = {};
      ssize_t n = pread(fd_, buf, sizeof buf - 1, 0);
      std::string pid = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "?";
      return Fail(Error::Conflict(fmt::format(
          "data directory {} is in use by another kefu process (pid {}); stop it first", dir, pid)));
    }
    std::string pid = std::to_string(getpid());
    if (ftruncate(fd_, 0) == 0 && pwrite(fd_, pid.data(), pid.size(), 0) < 0) {
      // The pid is informational only.
    }
    return {};
  }

 private:
  int fd_ = -1;
};

Status Migrate(Db& db) {
  KEFU_TRY(db.Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                   "applied_at INTEGER NOT NULL)"));
  int current = 0;
  {
    // Reset before migrating: a statement left running would keep DROP from working.
    KEFU_ASSIGN(auto cur, db.Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations"));
    KEFU_TRY(cur.Step());
    current = static_cast<int>(cur.Int(0));
  }
  if (current > SchemaVersion())
    return Fail(Error::Conflict(fmt::format("data directory has schema version {}, newer than this kefu ({})",
                                            current, SchemaVersion())));
  for (const auto& m : Migrations()) {
    if (m.version <= current) continue;
    KEFU_TRY(db.Exec("BEGIN IMMEDIATE"));
    auto applied = db.Exec(m.sql);
    if (applied) {
      KEFU_ASSIGN(auto ins, db.Prepare("INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)"));
      applied = ins.Bind(1, m.version).Bind(2, m.name).Bind(3, SystemClock().Now()).Run();
    }
    if (!applied) {
      (void)db.Exec("ROLLBACK");
      return Fail(Error::Internal(fmt::format("migration {} ({}) failed: {}", m.version, m.name,
                                              applied.error().message)));
    }
    KEFU_TRY(db.Exec("COMMIT"));
    spdlog::info("applied migration {} ({})", m.version, m.name);
  }
  return {};
}

struct WriteJob {
  const std::function<Status(WriteTx&)>* fn;
  std::promise<Status> done;
};

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(SqliteOptions options) : options_(std::move(options)) {}

  ~SqliteStore() override {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    if (writer_thread_.joinable()) writer_thread_.join();
  }

  Status Open() {
    std::error_code ec;
    std::filesystem::create_directories(options_.data_dir, ec);
    if (ec) return Fail(Error::Internal(fmt::format("cannot create {}: {}", options_.data_dir, ec.message())));
    if (options_.lock_data_dir) KEFU_TRY(lock_.Acquire(options_.data_dir));
    path_ = options_.data_dir + "/kefu.db";
    if (!options_.read_only) {
      writer_ = std::make_unique<Db>();
      KEFU_TRY(writer_->Open(path_, false));
      KEFU_TRY(writer_->Exec("PRAGMA journal_mode = WAL"));
      KEFU_TRY(writer_->Exec(kConnectionPragmas));
      KEFU_TRY(Migrate(*writer_));
    } else if (!std::filesystem::exists(path_)) {
      return Fail(Error::NotFound(fmt::format("no kefu store in {}", options_.data_dir)));
    }
    for (int i = 0; i < std::max(1, options_.read_connections); ++i) {
      auto db = std::make_unique<Db>();
      KEFU_TRY(db->Open(path_, true));
      KEFU_TRY(db->Exec(kConnectionPragmas));
      readers_.push_back(std::move(db));
      free_readers_.push_back(readers_.back().get());
    }
    if (writer_) writer_thread_ = std::thread([this] { WriterLoop(); });
    return {};
  }

  Status Read(const std::function<Status(ReadTx&)>& fn) override {
    Db* db = nullptr;
    {
      std::unique_lock lock(reader_mu_);
      reader_cv_.wait(lock, [&] { return !free_readers_.empty(); });
      db = free_readers_.back();
      free_readers_.pop_back();
    }
    Status result = db->Exec("BEGIN");
    if (result) {
      SqliteReadTx tx(*db);
      result = fn(tx);
      (void)db->Exec("COMMIT");
    }
    {
      std::lock_guard lock(reader_mu_);
      free_readers_.push_back(db);
    }
    reader_cv_.notify_one();
    return result;
  }

  Status Write(const std::function<Status(WriteTx&)>& fn) override {
    if (!writer_) return Fail(Error{ErrorCode::kUnavailable, "store is open read-only", {}});
    WriteJob job{&fn, {}};
    auto future = job.done.get_future();
    {
      std::lock_guard lock(mu_);
      if (stopping_) return Fail(Error{ErrorCode::kUnavailable, "store is closing", {}});
      queue_.push_back(&job);
    }
    cv_.notify_one();
    return future.get();
  }

  Status Backup(const std::string& to_path) override {
    std::string tmp = to_path + ".partial";
    std::filesystem::remove(tmp);
    Db dest;
    KEFU_TRY(dest.Open(tmp, false));
    Status result;
    {
      Db src;
      KEFU_TRY(src.Open(path_, true));
      sqlite3_backup* b = sqlite3_backup_init(dest.raw(), "main", src.raw(), "main");
      if (!b) return Fail(dest.LastError("backup init"));
      int rc = sqlite3_backup_step(b, -1);  // one step: a consistent snapshot
      sqlite3_backup_finish(b);
      if (rc != SQLITE_DONE) result = Fail(Error::Internal(fmt::format("backup failed: {}", sqlite3_errstr(rc))));
    }
    if (!result) return result;
    KEFU_TRY(dest.Exec("PRAGMA journal_mode = DELETE"));
    std::error_code ec;
    std::filesystem::rename(tmp, to_path, ec);
    if (ec) return Fail(Error::Internal(fmt::format("cannot move backup into place: {}", ec.message())));
    return {};
  }

  Result<std::string> IntegrityCheck() override {
    std::string out;
    KEFU_TRY(Read([&](ReadTx&) -> Status { return {}; }));
    Db db;
    KEFU_TRY(db.Open(path_, true));
    KEFU_ASSIGN(auto s, db.Prepare("PRAGMA integrity_check"));
    for (;;) {
      KEFU_ASSIGN(bool row, s.Step());
      if (!row) break;
      if (!out.empty()) out += "\n";
      out += s.Text(0);
    }
    return out;
  }

  StoreStats Stats() const override {
    std::lock_guard lock(stats_mu_);
    return stats_;
  }

  void SetOutboxListener(std::function<void()> listener) override {
    std::lock_guard lock(listener_mu_);
    outbox_listener_ = std::move(listener);
  }

 private:
  void WriterLoop() {
    SqliteWriteTx tx(*writer_);
    // Without the count in memory, routing counts in SQL.
    if (Status loaded = tx.open_loads().Load(*writer_); !loaded)
      spdlog::warn("agents' open complaints not counted in memory: {}", loaded.error().message);
    std::vector<WriteJob*> batch;
    for (;;) {
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and nothing left to write
        while (!queue_.empty() && static_cast<int>(batch.size()) < options_.max_batch) {
          batch.push_back(queue_.front());
          queue_.pop_front();
        }
      }
      RunBatch(tx, batch);
      batch.clear();
    }
  }

  // Transaction control through cached statements: parsed once, not per job.
  Status Run(const char* sql) {
    KEFU_ASSIGN(auto s, writer_->Prepare(sql));
    return s.Run();
  }

  void RunBatch(SqliteWriteTx& tx, std::vector<WriteJob*>& batch) {
    auto started = std::chrono::steady_clock::now();
    std::vector<Status> results(batch.size());
    Status begun = Run("BEGIN IMMEDIATE");
    size_t failed = 0;
    if (begun) {
      for (size_t i = 0; i < batch.size(); ++i) {
        const size_t mark = tx.open_loads().Mark();
        (void)Run("SAVEPOINT job");
        try {
          results[i] = (*batch[i]->fn)(tx);
        } catch (const std::exception& e) {
          results[i] = Fail(Error::Internal(fmt::format("write failed: {}", e.what())));
        }
        if (!results[i]) {
          ++failed;
          (void)Run("ROLLBACK TO job");
          tx.open_loads().UndoTo(mark);
        }
        (void)Run("RELEASE job");
      }
      Status committed = Run("COMMIT");
      bool enqueued = tx.TakeOutboxEnqueued();
      if (!committed) {
        spdlog::error("commit failed: {}", committed.error().message);
        (void)writer_->Exec("ROLLBACK");
        tx.open_loads().UndoTo(0);
        for (auto& r : results)
          if (r) r = Fail(Error{ErrorCode::kUnavailable, "the store could not commit; retry", {}});
      } else {
        tx.open_loads().Commit();
      }
      if (committed && enqueued) {
        std::lock_guard lock(listener_mu_);
        if (outbox_listener_) outbox_listener_();
      }
    } else {
      for (auto& r : results) r = Fail(begun.error());
    }
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
    {
      std::lock_guard lock(stats_mu_);
      stats_.commits++;
      stats_.write_jobs += batch.size();
      stats_.failed_jobs += failed;
      stats_.commit_micros_total += static_cast<std::uint64_t>(micros.count());
    }
    for (size_t i = 0; i < batch.size(); ++i) batch[i]->done.set_value(std::move(results[i]));
  }

  SqliteOptions options_;
  DirLock lock_;
  std::string path_;
  std::unique_ptr<Db> writer_;
  std::vector<std::unique_ptr<Db>> readers_;

  std::mutex reader_mu_;
  std::condition_variable reader_cv_;
  std::vector<Db*> free_readers_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<WriteJob*> queue_;
  bool stopping_ = false;
  std::thread writer_thread_;

  mutable std::mutex stats_mu_;
  StoreStats stats_;

  std::mutex listener_mu_;
  std::function<void()> outbox_listener_;
};

}  // namespace
}  // namespace sqlite

Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options) {
  auto store = std::make_unique<sqlite::SqliteStore>(options);
  KEFU_TRY(store->Open());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace kefu
