// Administration of reference data: teams, departments and the category
// tree. Every change is validated, audited, and refreshes the Catalog.
#pragma once

#include <optional>
#include <string>

#include "auth/accounts.h"
#include "tickets/catalog.h"

namespace kefu {

struct TeamInput {
  std::optional<std::string> name, region;
};
struct DepartmentInput {
  std::optional<std::string> key, name, name_en;
};
struct CategoryInput {
  std::optional<std::string> key, name, name_en;
  std::optional<std::optional<Id>> parent_id;
  std::optional<bool> active;
  std::optional<int> sort;
};

class ReferenceService {
 public:
  ReferenceService(Store& store, Catalog& catalog, const Clock& clock)
      : store_(store), catalog_(catalog), clock_(clock) {}

  Result<Team> SaveTeam(const Actor& actor, std::optional<Id> id, const TeamInput& in);
  Result<Department> SaveDepartment(const Actor& actor, std::optional<Id> id, const DepartmentInput& in);
  Result<Category> SaveCategory(const Actor& actor, std::optional<Id> id, const CategoryInput& in);

 private:
  Store& store_;
  Catalog& catalog_;
  const Clock& clock_;
};

}  // namespace kefu
