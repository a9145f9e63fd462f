// Administration: /api/v1/users, /teams, /departments, /categories, /audit.
#include <charconv>

#include <boost/json.hpp>

#include "api/context.h"
#include "api/serialize.h"
#include "core/json.h"

namespace kefu::api {

namespace bj = boost::json;

namespace {

Result<std::optional<Role>> OptRole(const bj::object& o) {
  KEFU_ASSIGN(auto s, json::OptString(o, "role"));
  if (!s) return std::optional<Role>();
  auto r = Parse<Role>(*s);
  if (!r) return Fail(Error::Validation("role", "role must be one of " + AllowedNames<Role>()));
  return std::optional<Role>(*r);
}

http::Response List(const bj::array& items) {
  return JsonResponse(200, bj::object{{"items", items}, {"next_cursor", nullptr}});
}

}  // namespace

void AddAdminRoutes(http::Router& router, Services& s) {
  Authed(router, s, "GET", "/api/v1/users", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_TRY(Need(p, Permission::kUsersRead));
    KEFU_ASSIGN(auto cat, s.catalog.Get());
    std::optional<Id> team;
    if (auto t = r.Query("team_id"); t && !t->empty()) {
      Id v = 0;
      auto [ptr, ec] = std::from_chars(t->data(), t->data() + t->size(), v);
      if (ec != std::errc() || ptr != t->data() + t->size()) return Fail(Error::Validation("team_id", "team_id must be an integer"));
      team = v;
    }
    std::vector<const User*> users;
    for (const auto& [id, u] : cat->users)
      if (!team || std::ranges::find(u.team_ids, *team) != u.team_ids.end()) users.push_back(&u);
    std::ranges::sort(users, {}, &User::id);
    bj::array items;
    for (auto* u : users) items.push_back(UserJson(*u));
    return List(items);
  });

  Authed(router, s, "POST", "/api/v1/users", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_TRY(Need(p, Permission::kUsersManage));
    KEFU_ASSIGN(auto body, BodyJson(r));
    const auto& o = body.get_object();
    NewUser u;
    KEFU_ASSIGN(auto username, json::OptString(o, "username"));
    KEFU_ASSIGN(auto display, json::OptString(o, "display_name"));
    KEFU_ASSIGN(auto password, json::OptString(o, "password"));
    KEFU_ASSIGN(auto role, OptRole(o));
    KEFU_ASSIGN(auto teams, json::OptIntArray(o, "team_ids"));
    KEFU_ASSIGN(u.department_id, json::OptInt(o, "department_id"));
    KEFU_ASSIGN(auto language, json::OptString(o, "language"));
    KEFU_ASSIGN(auto tz, json::OptString(o, "time_zone"));
    if (!role) return Fail(Error::Validation("role", "role is required: " + AllowedNames<Role>()));
    u.username = username.value_or("");
    u.display_name = display.value_or("");
    u.password = password.value_or("");
    u.role = *role;
    u.team_ids = teams.value_or(std::vector<Id>{});
    if (language) u.language = *language;
    if (tz) u.time_zone = *tz;
    if (u.role == Role::kAdmin && p.user.role != Role::kAdmin)
      return Fail(Error::Forbidden("only an admin can create an admin"));
    KEFU_ASSIGN(User created, s.accounts.CreateUser(Actor{&p, r.remote_ip}, u));
    s.catalog.Invalidate();
    return JsonResponse(201, UserJson(created));
  });

  Authed(router, s, "PATCH", "/api/v1/users/{id}", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_TRY(Need(p, Permission::kUsersManage));
    KEFU_ASSIGN(Id id, PathId(r));
    KEFU_ASSIGN(auto body, BodyJson(r));
    const auto& o = body.get_object();
    UserPatch patch;
    KEFU_ASSIGN(patch.display_name, json::OptString(o, "display_name"));
    KEFU_ASSIGN(patch.role, OptRole(o));
    KEFU_ASSIGN(patch.password, json::OptString(o, "password"));
    KEFU_ASSIGN(patch.team_ids, json::OptIntArray(o, "team_ids"));
    KEFU_ASSIGN(patch.disabled, json::OptBool(o, "disabled"));
    KEFU_ASSIGN(patch.language, json::OptString(o, "language"));
    KEFU_ASSIGN(patch.time_zone, json::OptString(o, "time_zone"));
    if (json::Has(o, "department_id")) {
      KEFU_ASSIGN(auto d, json::OptInt(o, "department_id"));
      patch.department_id = d;
    }
    if (id == p.user.id && (patch.disabled.value_or(false) || (patch.role && *patch.role != p.user.role)))
      return Fail(Error::Validation("role", "you cannot disable yourself or change your own role"));
    if (patch.role == Role::kAdmin && p.user.role != Role::kAdmin)
      return Fail(Error::Forbidden("only an admin can make an admin"));
    KEFU_ASSIGN(User u, s.accounts.UpdateUser(Actor{&p, r.remote_ip}, id, patch));
    s.catalog.Invalidate();
    return JsonResponse(200, UserJson(u));
  });

  Authed(router, s, "GET", "/api/v1/teams", [&s](http::Request&, const Principal&) -> Result<http::Response> {
    KEFU_ASSIGN(auto cat, s.catalog.Get());
    bj::array items;
    for (const auto& t : cat->teams) items.push_back(TeamJson(t));
    return List(items);
  });

  auto save_team = [&s](http::Request& r, const Principal& p, std::optional<Id> id) -> Result<http::Response> {
    KEFU_TRY(Need(p, Permission::kTeamsManage));
    KEFU_ASSIGN(auto body, BodyJson(r));
    TeamInput in;
    KEFU_ASSIGN(in.name, json::OptString(body.get_object(), "name"));
    KEFU_ASSIGN(in.region, json::OptString(body.get_object(), "region"));
    KEFU_ASSIGN(auto t, s.reference.SaveTeam(Actor{&p, r.remote_ip}, id, in));
    return JsonResponse(id ? 200 : 201, TeamJson(t));
  };
  Authed(router, s, "POST", "/api/v1/teams", [save_team](http::Request& r, const Principal& p) {
    return save_team(r, p, std::nullopt);
  });
  Authed(router, s, "PATCH", "/api/v1/teams/{id}", [save_team](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(Id id, PathId(r));
    return save_team(r, p, id);
  });

  Authed(router, s, "GET", "/api/v1/departments", [&s](http::Request&, const Principal&) -> Result<http::Response> {
    KEFU_ASSIGN(auto cat, s.catalog.Get());
    bj::array items;
    for (const auto& d : cat->departments) items.push_back(DepartmentJson(d));
    return List(items);
  });

  auto save_department = [&s](http::Request& r, const Principal& p, std::optional<Id> id) -> Result<http::Response> {
    KEFU_TRY(Need(p, Permission::kDepartmentsManage));
    KEFU_ASSIGN(auto body, BodyJson(r));
    const auto& o = body.get_object();
    DepartmentInput in;
    KEFU_ASSIGN(in.key, json::OptString(o, "key"));
    KEFU_ASSIGN(in.name, json::OptString(o, "name"));
    KEFU_ASSIGN(in.name_en, json::OptString(o, "name_en"));
    KEFU_ASSIGN(auto d, s.reference.SaveDepartment(Actor{&p, r.remote_ip}, id, in));
    return JsonResponse(id ? 200 : 201, DepartmentJson(d));
  };
  Authed(router, s, "POST", "/api/v1/departments", [save_department](http::Request& r, const Principal& p) {
    return save_department(r, p, std::nullopt);
  });
  Authed(router, s, "PATCH", "/api/v1/departments/{id}",
         [save_department](http::Request& r, const Principal& p) -> Result<http::Response> {
           KEFU_ASSIGN(Id id, PathId(r));
           return save_department(r, p, id);
         });

  Authed(router, s, "GET", "/api/v1/categories", [&s](http::Request&, const Principal&) -> Result<http::Response> {
    KEFU_ASSIGN(auto cat, s.catalog.Get());
    bj::array items;
    for (const auto& c : cat->categories) items.push_back(CategoryJson(c));
    return List(items);
  });

  auto save_category = [&s](http::Request& r, const Principal& p, std::optional<Id> id) -> Result<http::Response> {
    KEFU_TRY(Need(p, Permission::kCategoriesManage));
    KEFU_ASSIGN(auto body, BodyJson(r));
    const auto& o = body.get_object();
    CategoryInput in;
    KEFU_ASSIGN(in.key, json::OptString(o, "key"));
    KEFU_ASSIGN(in.name, json::OptString(o, "name"));
    KEFU_ASSIGN(in.name_en, json::OptString(o, "name_en"));
    KEFU_ASSIGN(in.active, json::OptBool(o, "active"));
    KEFU_ASSIGN(auto sort, json::OptInt(o, "sort"));
    if (sort) in.sort = static_cast<int>(*sort);
    if (json::Has(o, "parent_id")) {
      KEFU_ASSIGN(auto parent, json::OptInt(o, "parent_id"));
      in.parent_id = parent;
    }
    KEFU_ASSIGN(auto c, s.reference.SaveCategory(Actor{&p, r.remote_ip}, id, in));
    return JsonResponse(id ? 200 : 201, CategoryJson(c));
  };
  Authed(router, s, "POST", "/api/v1/categories", [save_category](http::Request& r, const Principal& p) {
    return save_category(r, p, std::nullopt);
  });
  Authed(router, s, "PATCH", "/api/v1/categories/{id}",
         [save_category](http::Request& r, const Principal& p) -> Result<http::Response> {
           KEFU_ASSIGN(Id id, PathId(r));
           return save_category(r, p, id);
         });

  Authed(router, s, "GET", "/api/v1/audit", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_TRY(Need(p, Permission::kAuditRead));
    std::optional<Id> before;
    int limit = 100;
    if (auto c = r.Query("cursor"); c && !c->empty()) {
      Id v = 0;
      auto [ptr, ec] = std::from_chars(c->data(), c->data() + c->size(), v);
      if (ec != std::errc() || ptr != c->data() + c->size()) return Fail(Error::Validation("cursor", "cursor is not valid"));
      before = v;
    }
    if (auto l = r.Query("limit"); l && !l->empty()) {
      auto [ptr, ec] = std::from_chars(l->data(), l->data() + l->size(), limit);
      if (ec != std::errc() || ptr != l->data() + l->size() || limit < 1 || limit > 500)
        return Fail(Error::Validation("limit", "limit must be 1–500"));
    }
    std::vector<AuditEntry> entries;
    KEFU_TRY(s.store.Read([&](ReadTx& tx) -> Status {
      KEFU_ASSIGN(entries, tx.ListAudit(before, limit + 1));
      return {};
    }));
    KEFU_ASSIGN(auto cat, s.catalog.Get());
    bj::value next = nullptr;
    if (static_cast<int>(entries.size()) > limit) {
      entries.resize(static_cast<size_t>(limit));
      next = std::to_string(entries.back().id);
    }
    bj::array items;
    for (const auto& a : entries) {
      boost::system::error_code ec;
      bj::value detail = bj::parse(a.detail, ec);
      if (ec) detail = a.detail;
      items.push_back(bj::object{{"id", a.id}, {"at", Time(a.at)}, {"actor_id", OptId(a.actor_id)},
                                 {"actor_name", a.actor_id ? bj::value(cat->UserName(a.actor_id)) : bj::value(nullptr)},
                                 {"action", a.action}, {"target", a.target}, {"detail", detail}, {"ip", a.ip}});
    }
    return JsonResponse(200, bj::object{{"items", items}, {"next_cursor", next}});
  });
}

}  // namespace kefu::api
