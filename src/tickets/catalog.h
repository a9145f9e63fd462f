// The reference data every request needs: states, teams, departments,
// categories and user names. Held in memory and reloaded after any change to
// it, so that serializing a page of complaints costs no extra queries.
// Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "storage/store.h"

namespace kefu {

struct CatalogSnapshot {
  std::vector<TicketState> states;
  std::vector<Team> teams;
  std::vector<Department> departments;
  std::vector<Category> categories;
  std::unordered_map<Id, User> users;  // password hashes cleared
  std::unordered_map<Id, std::vector<Id>> team_members;  // user ids by team, ascending, disabled users included

  const TicketState* State(Id id) const;
  const TicketState* DefaultState(StateType type) const;
  const Team* TeamById(Id id) const;
  const Department* DepartmentById(Id id) const;
  const Department* DepartmentByKey(const std::string& key) const;
  const Category* CategoryById(Id id) const;
  const Category* CategoryByKey(const std::string& key) const;
  const User* UserById(Id id) const;
  std::string UserName(std::optional<Id> id) const;  // display name, "" when unknown
  const std::vector<Id>& TeamMembers(Id team_id) const;
};

class Catalog {
 public:
  explicit Catalog(Store& store) : store_(store) {}
  // The current snapshot, loading it if needed.
  Result<std::shared_ptr<const CatalogSnapshot>> Get();
  // Call after committing a change to reference data or users.
  void Invalidate();

 private:
  Store& store_;
  std::mutex mu_;
  std::shared_ptr<const CatalogSnapshot> snapshot_;
  // Counts invalidations: a snapshot read before the latest one is handed to
  // its caller but not kept (it may lack the change that invalidated).
  std::uint64_t generation_ = 0;
};

}  // namespace kefu
