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

// Writes notifications in the caller's transaction: the in-app ones, and the
// outbox messages to the users' and teams' own channels (email, group-chat
// robots, webhooks; outbox/), so that a change that rolls back notifies
// nobody and a committed one is delivered even across a restart.
class Notifier {
 public:
  Notifier(WriteTx& tx, Millis now, std::vector<Notification>& out) : tx_(tx), now_(now), out_(out) {}
  // One notification per distinct user, and one outbox message for each of
  // their enabled channels that wants `kind`. `event_key` names the event
  // ("red_case:<ticket>:<red case>"): a channel gets one message per key, so
  // running the same trigger again sends nothing twice. Empty: a key of this
  // call's own ("<kind>:<ticket>:n<first notification id>").
  Status Send(const std::vector<Id>& users, const std::string& kind, std::optional<Id> ticket_id,
              const std::string& title, const std::string& body, const std::string& event_key = {});
  // One outbox message for each enabled channel of the team that wants
  // `kind`: a team's group chat hears of an event once, not once per member.
  Status SendTeam(Id team_id, const std::string& kind, std::optional<Id> ticket_id, const std::string& title,
                  const std::string& body, const std::string& event_key);

 private:
  WriteTx& tx_;
  Millis now_;
  std::vector<Notification>& out_;
};

}  // namespace kefu::triage
