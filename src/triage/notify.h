// In-app notifications written in the same transaction as the change that
// caused them.
#pragma once

#include <string>
#include <vector>

#include "storage/store.h"
#include "tickets/catalog.h"

namespace kefu::triage {

// Active users of these roles: on the team when given (directors and admins
// everywhere), deduplicated, by id.
std::vector<Id> UsersWithRoles(const CatalogSnapshot& cat, std::optional<Id> team_id, const std::vector<Role>& roles);

// Appends an event to a complaint's history; a system event when `actor` is empty.
Status RecordEvent(WriteTx& tx, Id ticket_id, Millis at, std::optional<Id> actor, std::string type, std::string field,
                   std::string from, std::string to, std::string detail);

class Notifier {
 public:
  Notifier(WriteTx& tx, Millis now, std::vector<Notification>& out) : tx_(tx), now_(now), out_(out) {}
  // One notification per distinct user.
  Status Send(const std::vector<Id>& users, const std::string& kind, std::optional<Id> ticket_id,
              const std::string& title, const std::string& body);

 private:
  WriteTx& tx_;
  Millis now_;
  std::vector<Notification>& out_;
};

}  // namespace kefu::triage
