// Shared fixtures for unit tests: a real SQLite store in a fresh temporary
// directory, and principals of each role.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "auth/permissions.h"
#include "storage/store.h"
#include "tickets/defaults.h"

namespace kefu::testing {

inline std::string MakeTempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "kefu-test-XXXXXX").string();
  char* dir = mkdtemp(tmpl.data());
  if (!dir) throw std::runtime_error("mkdtemp failed");
  return dir;
}

struct TempStore {
  std::string dir = MakeTempDir();
  std::unique_ptr<Store> store;
  explicit TempStore(bool defaults = true) {
    SqliteOptions o;
    o.data_dir = dir;
    auto s = OpenSqliteStore(o);
    if (!s) throw std::runtime_error(s.error().message);
    store = std::move(*s);
    if (defaults) {
      ManualClock clock(0);
      auto r = EnsureDefaults(*store, clock);
      if (!r) throw std::runtime_error(r.error().message);
    }
  }
  ~TempStore() {
    store.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

inline Principal PrincipalFor(Id id, Role role, std::vector<Id> teams = {}, std::optional<Id> department = {}) {
  Principal p;
  p.user.id = id;
  p.user.username = "user" + std::to_string(id);
  p.user.display_name = p.user.username;
  p.user.role = role;
  p.user.team_ids = std::move(teams);
  p.user.department_id = department;
  p.permissions = RolePermissions(role);
  return p;
}

}  // namespace kefu::testing
