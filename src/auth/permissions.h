// Who may do what: the permission matrix of kefu (docs/permissions.md) in
// one place. A Principal is an authenticated user with the permissions of
// their role, narrowed by the scopes of the API token they used.
#pragma once

#include <bitset>
#include <optional>
#include <string_view>
#include <vector>

#include "domain/types.h"
#include "storage/store.h"

namespace kefu {

enum class Permission {
  kTicketsRead,
  kTicketsReadAll,  // every complaint, not only the caller's teams
  kTicketsCreate,
  kTicketsUpdate,
  kTicketsAssign,
  kTicketsReply,
  kTicketsNote,
  kTicketsMerge,
  kHandoffsCreate,
  kHandoffsAnswer,
  kCustomersRead,
  kCustomersWrite,
  kCustomersPii,  // unmasked phone numbers and emails
  kUsersRead,
  kUsersManage,
  kTeamsManage,
  kDepartmentsManage,
  kCategoriesManage,
  kAuditRead,
  kDataExport,
  kTriageRead,      // rules, lexicon, triage settings, dry runs
  kTriageManage,    // edit them, and routing profiles
  kRedCasesOpen,    // mark a complaint a red case by hand
  kRedCasesManage,  // own, staff, close red cases
  kRiskRead,        // customers at risk of leaving
  kSlaManage,       // business calendars, SLA policies and escalation
  kTeamChannelsManage,  // a team's notification channels (team leads: their own teams only)
  kOutboxRead,          // the delivery log of notifications
  kCount
};

std::string_view PermissionName(Permission p);
std::optional<Permission> ParsePermission(std::string_view name);

using PermissionSet = std::bitset<static_cast<size_t>(Permission::kCount)>;

PermissionSet RolePermissions(Role role);

struct Principal {
  User user;
  PermissionSet permissions;
  std::optional<Id> credential_id;
  bool api_token = false;
  std::string csrf_token;  // sessions: required on unsafe methods when the cookie is used

  bool Can(Permission p) const { return permissions.test(static_cast<size_t>(p)); }
  std::vector<std::string_view> PermissionNames() const;
};

// Ok when the principal holds `perm`, else a forbidden error naming it.
Status Need(const Principal& p, Permission perm);

// Permissions of a user, narrowed to `scopes` when non-empty.
PermissionSet EffectivePermissions(Role role, const std::vector<std::string>& scopes);

// Which complaints the principal may see (for list queries).
TicketScope ScopeFor(const Principal& p);
// The same rule for one complaint, given its hand-offs.
bool CanSee(const Principal& p, const Ticket& t, const std::vector<Handoff>& handoffs);

// "138****5678", "z***@example.com": enough to recognise, not to contact.
std::string MaskPhone(const std::string& phone);
std::string MaskEmail(const std::string& email);

}  // namespace kefu
