#include "tickets/catalog.h"

#include <algorithm>

namespace kefu {

namespace {
template <typename T, typename F>
const T* FindIf(const std::vector<T>& v, F pred) {
  auto it = std::ranges::find_if(v, pred);
  return it == v.end() ? nullptr : &*it;
}
}  // namespace

const TicketState* CatalogSnapshot::State(Id id) const {
  return FindIf(states, [&](const TicketState& s) { return s.id == id; });
}
const TicketState* CatalogSnapshot::DefaultState(StateType type) const {
  if (auto* s = FindIf(states, [&](const TicketState& s) { return s.type == type && s.is_default; })) return s;
  return FindIf(states, [&](const TicketState& s) { return s.type == type; });
}
const Team* CatalogSnapshot::TeamById(Id id) const {
  return FindIf(teams, [&](const Team& t) { return t.id == id; });
}
const Department* CatalogSnapshot::DepartmentById(Id id) const {
  return FindIf(departments, [&](const Department& d) { return d.id == id; });
}
const Department* CatalogSnapshot::DepartmentByKey(const std::string& key) const {
  return FindIf(departments, [&](const Department& d) { return d.key == key; });
}
const Category* CatalogSnapshot::CategoryById(Id id) const {
  return FindIf(categories, [&](const Category& c) { return c.id == id; });
}
const Category* CatalogSnapshot::CategoryByKey(const std::string& key) const {
  return FindIf(categories, [&](const Category& c) { return c.key == key; });
}
const User* CatalogSnapshot::UserById(Id id) const {
  auto it = users.find(id);
  return it == users.end() ? nullptr : &it->second;
}
std::string CatalogSnapshot::UserName(std::optional<Id> id) const {
  if (!id) return {};
  auto* u = UserById(*id);
  return u ? u->display_name : std::string();
}

const std::vector<Id>& CatalogSnapshot::TeamMembers(Id team_id) const {
  static const std::vector<Id> none;
  auto it = team_members.find(team_id);
  return it == team_members.end() ? none : it->second;
}

Result<std::shared_ptr<const CatalogSnapshot>> Catalog::Get() {
  std::uint64_t generation = 0;
  {
    std::lock_guard lock(mu_);
    if (snapshot_) return snapshot_;
    generation = generation_;
  }
  auto snap = std::make_shared<CatalogSnapshot>();
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(snap->states, tx.ListStates());
    KEFU_ASSIGN(snap->teams, tx.ListTeams());
    KEFU_ASSIGN(snap->departments, tx.ListDepartments());
    KEFU_ASSIGN(snap->categories, tx.ListCategories());
    KEFU_ASSIGN(auto users, tx.ListUsers());
    for (auto& u : users) {
      u.password_hash.clear();
      for (Id team : u.team_ids) snap->team_members[team].push_back(u.id);
      snap->users.emplace(u.id, std::move(u));
    }
    for (auto& [team, members] : snap->team_members) std::ranges::sort(members);
    return {};
  }));
  std::lock_guard lock(mu_);
  if (generation == generation_) snapshot_ = snap;
  return snap;
}

void Catalog::Invalidate() {
  std::lock_guard lock(mu_);
  snapshot_.reset();
  ++generation_;
}

}  // namespace kefu
