#include "auth/permissions.h"

#include <algorithm>
#include <array>

namespace kefu {

namespace {

constexpr std::array<std::string_view, static_cast<size_t>(Permission::kCount)> kNames = {
    "tickets.read",   "tickets.read_all", "tickets.create",    "tickets.update",       "tickets.assign",
    "tickets.reply",  "tickets.note",     "tickets.merge",     "handoffs.create",      "handoffs.answer",
    "customers.read", "customers.write",  "customers.pii",     "users.read",           "users.manage",
    "teams.manage",   "departments.manage", "categories.manage", "audit.read",         "data.export",
    "triage.read",    "triage.manage",    "redcases.open",     "redcases.manage",      "risk.read",         "sla.manage",
    "notify.team_channels", "outbox.read",
};

PermissionSet Of(std::initializer_list<Permission> ps) {
  PermissionSet s;
  for (auto p : ps) s.set(static_cast<size_t>(p));
  return s;
}

}  // namespace

std::string_view PermissionName(Permission p) { return kNames[static_cast<size_t>(p)]; }

std::optional<Permission> ParsePermission(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i)
    if (kNames[i] == name) return static_cast<Permission>(i);
  return std::nullopt;
}

PermissionSet RolePermissions(Role role) {
  using P = Permission;
  const PermissionSet agent =
      Of({P::kTicketsRead, P::kTicketsCreate, P::kTicketsUpdate, P::kTicketsReply, P::kTicketsNote,
          P::kHandoffsCreate, P::kCustomersRead, P::kCustomersWrite, P::kCustomersPii, P::kUsersRead});
  const PermissionSet lead =
      agent | Of({P::kTicketsAssign, P::kTicketsMerge, P::kTriageRead, P::kRedCasesOpen, P::kTeamChannelsManage});
  const PermissionSet supervisor =
      lead | Of({P::kTicketsReadAll, P::kAuditRead, P::kTriageManage, P::kRedCasesManage, P::kRiskRead, P::kSlaManage});
  switch (role) {
    case Role::kAgent: return agent;
    case Role::kTeamLead: return lead;
    case Role::kSupervisor: return supervisor;
    case Role::kDirector: return supervisor | Of({P::kDataExport});
    case Role::kQa:
      return Of({P::kTicketsRead, P::kTicketsReadAll, P::kTicketsNote, P::kCustomersRead, P::kUsersRead,
                 P::kTriageRead, P::kRiskRead});
    case Role::kDepartmentLiaison:
      return Of({P::kTicketsRead, P::kTicketsNote, P::kHandoffsAnswer, P::kCustomersRead, P::kUsersRead});
    case Role::kAdmin: {
      PermissionSet all;
      all.set();
      return all;
    }
  }
  return {};
}

Status Need(const Principal& p, Permission perm) {
  if (!p.Can(perm)) return Fail(Error::Forbidden("your role lacks the permission " + std::string(PermissionName(perm))));
  return {};
}

PermissionSet EffectivePermissions(Role role, const std::vector<std::string>& scopes) {
  PermissionSet base = RolePermissions(role);
  if (scopes.empty()) return base;
  PermissionSet allowed;
  for (const auto& s : scopes)
    if (auto p = ParsePermission(s)) allowed.set(static_cast<size_t>(*p));
  return base & allowed;
}

std::vector<std::string_view> Principal::PermissionNames() const {
  std::vector<std::string_view> out;
  for (size_t i = 0; i < kNames.size(); ++i)
    if (permissions.test(i)) out.push_back(kNames[i]);
  return out;
}

TicketScope ScopeFor(const Principal& p) {
  TicketScope scope;
  if (p.Can(Permission::kTicketsReadAll)) {
    scope.all = true;
    return scope;
  }
  if (!p.Can(Permission::kTicketsRead)) return scope;  // sees nothing
  if (p.user.role == Role::kDepartmentLiaison) {
    scope.department_id = p.user.department_id.value_or(-1);
    return scope;
  }
  scope.team_ids = p.user.team_ids;
  scope.user_id = p.user.id;
  return scope;
}

bool CanSee(const Principal& p, const Ticket& t, const std::vector<Handoff>& handoffs) {
  TicketScope s = ScopeFor(p);
  if (s.all) return true;
  if (t.team_id && std::ranges::find(s.team_ids, *t.team_id) != s.team_ids.end()) return true;
  if (s.user_id) {
    if (t.assignee_id == s.user_id) return true;
    if (std::ranges::find(t.collaborator_ids, *s.user_id) != t.collaborator_ids.end()) return true;
  }
  if (s.department_id)
    return std::ranges::any_of(handoffs, [&](const Handoff& h) { return h.department_id == *s.department_id; });
  return false;
}

std::string MaskPhone(const std::string& phone) {
  if (phone.size() <= 4) return std::string(phone.size(), '*');
  size_t keep_head = phone.size() >= 11 ? 3 : 0;
  std::string out = phone.substr(0, keep_head);
  out += std::string(phone.size() - keep_head - 4, '*');
  out += phone.substr(phone.size() - 4);
  return out;
}

std::string MaskEmail(const std::string& email) {
  auto at = email.find('@');
  if (at == std::string::npos || at == 0) return "***";
  return email.substr(0, 1) + "***" + email.substr(at);
}

}  // namespace kefu
