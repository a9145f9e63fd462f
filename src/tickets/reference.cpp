#include "tickets/reference.h"

#include <algorithm>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "core/text.h"

namespace kefu {

namespace {

Status CheckKey(const std::string& key) {
  if (key.empty() || key.size() > 64 || !std::ranges::all_of(key, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
      }))
    return Fail(Error::Validation("key", "key must be 1–64 characters of a-z, 0-9 and '_'"));
  return {};
}

template <typename T>
Result<T> FindById(const std::vector<T>& items, Id id, const char* what) {
  auto it = std::ranges::find_if(items, [&](const T& x) { return x.id == id; });
  if (it == items.end()) return Fail(Error::NotFound(fmt::format("{} {} not found", what, id)));
  return *it;
}

}  // namespace

Result<Team> ReferenceService::SaveTeam(const Actor& actor, std::optional<Id> id, const TeamInput& in) {
  if (in.name) KEFU_TRY(CheckText("name", *in.name, 1, 100));
  if (in.region) KEFU_TRY(CheckText("region", *in.region, 0, 64));
  if (!id && !in.name) return Fail(Error::Validation("name", "name is required"));
  Team t;
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    KEFU_ASSIGN(auto teams, tx.ListTeams());
    if (id) {
      KEFU_ASSIGN(t, FindById(teams, *id, "team"));
    }
    if (in.name) t.name = *in.name;
    if (in.region) t.region = *in.region;
    if (std::ranges::any_of(teams, [&](const Team& o) { return o.name == t.name && o.id != t.id; }))
      return Fail(Error::Conflict(fmt::format("a team named {} exists", t.name), "name"));
    if (id) {
      KEFU_TRY(tx.UpdateTeam(t));
    } else {
      t.created_at = clock_.Now();
      KEFU_TRY(tx.InsertTeam(t));
    }
    return AppendAudit(tx, clock_.Now(), actor, id ? "team.update" : "team.create", fmt::format("team:{}", t.id),
                       boost::json::serialize(boost::json::object{{"name", t.name}, {"region", t.region}}));
  }));
  catalog_.Invalidate();
  return t;
}

Result<Department> ReferenceService::SaveDepartment(const Actor& actor, std::optional<Id> id,
                                                    const DepartmentInput& in) {
  if (in.key) KEFU_TRY(CheckKey(*in.key));
  if (in.name) KEFU_TRY(CheckText("name", *in.name, 1, 100));
  if (in.name_en) KEFU_TRY(CheckText("name_en", *in.name_en, 0, 100));
  if (!id && (!in.key || !in.name)) return Fail(Error::Validation(in.key ? "name" : "key", "key and name are required"));
  Department d;
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    KEFU_ASSIGN(auto deps, tx.ListDepartments());
    if (id) {
      KEFU_ASSIGN(d, FindById(deps, *id, "department"));
    }
    if (in.key) d.key = *in.key;
    if (in.name) d.name = *in.name;
    if (in.name_en) d.name_en = *in.name_en;
    if (std::ranges::any_of(deps, [&](const Department& o) { return o.key == d.key && o.id != d.id; }))
      return Fail(Error::Conflict(fmt::format("a department with key {} exists", d.key), "key"));
    if (id)
      KEFU_TRY(tx.UpdateDepartment(d));
    else
      KEFU_TRY(tx.InsertDepartment(d));
    return AppendAudit(tx, clock_.Now(), actor, id ? "department.update" : "department.create",
                       fmt::format("department:{}", d.id), boost::json::serialize(boost::json::object{{"key", d.key}}));
  }));
  catalog_.Invalidate();
  return d;
}

Result<Category> ReferenceService::SaveCategory(const Actor& actor, std::optional<Id> id, const CategoryInput& in) {
  if (in.key) KEFU_TRY(CheckKey(*in.key));
  if (in.name) KEFU_TRY(CheckText("name", *in.name, 1, 100));
  if (in.name_en) KEFU_TRY(CheckText("name_en", *in.name_en, 0, 100));
  if (!id && (!in.key || !in.name)) return Fail(Error::Validation(in.key ? "name" : "key", "key and name are required"));
  Category c;
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    KEFU_ASSIGN(auto cats, tx.ListCategories());
    if (id) {
      KEFU_ASSIGN(c, FindById(cats, *id, "category"));
    }
    if (in.key) c.key = *in.key;
    if (in.name) c.name = *in.name;
    if (in.name_en) c.name_en = *in.name_en;
    if (in.parent_id) c.parent_id = *in.parent_id;
    if (in.active) c.active = *in.active;
    if (in.sort) c.sort = *in.sort;
    if (std::ranges::any_of(cats, [&](const Category& o) { return o.key == c.key && o.id != c.id; }))
      return Fail(Error::Conflict(fmt::format("a category with key {} exists", c.key), "key"));
    // The parent must exist and must not be the category itself or below it.
    for (auto parent = c.parent_id; parent;) {
      if (*parent == c.id && id) return Fail(Error::Validation("parent_id", "a category cannot be below itself"));
      auto it = std::ranges::find_if(cats, [&](const Category& o) { return o.id == *parent; });
      if (it == cats.end()) return Fail(Error::Validation("parent_id", fmt::format("category {} not found", *parent)));
      parent = it->parent_id;
    }
    if (id)
      KEFU_TRY(tx.UpdateCategory(c));
    else
      KEFU_TRY(tx.InsertCategory(c));
    return AppendAudit(tx, clock_.Now(), actor, id ? "category.update" : "category.create",
                       fmt::format("category:{}", c.id), boost::json::serialize(boost::json::object{{"key", c.key}}));
  }));
  catalog_.Invalidate();
  return c;
}

}  // namespace kefu
