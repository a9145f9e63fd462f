#include "triage/notify.h"

#include <algorithm>

#include <fmt/format.h>

#include "outbox/enqueue.h"

namespace kefu::triage {

std::vector<Id> UsersWithRoles(const CatalogSnapshot& cat, std::optional<Id> team_id, const std::vector<Role>& roles) {
  std::vector<Id> out;
  for (const auto& [id, u] : cat.users) {
    if (u.disabled || std::ranges::find(roles, u.role) == roles.end()) continue;
    bool everywhere = u.role == Role::kDirector || u.role == Role::kAdmin;
    bool on_team = team_id && std::ranges::find(u.team_ids, *team_id) != u.team_ids.end();
    if (everywhere || on_team || !team_id) out.push_back(id);
  }
  std::ranges::sort(out);
  return out;
}

Status RecordEvent(WriteTx& tx, Id ticket_id, Millis at, std::optional<Id> actor, std::string type, std::string field,
                   std::string from, std::string to, std::string detail) {
  TicketEvent e;
  e.ticket_id = ticket_id;
  e.at = at;
  e.actor_kind = actor ? AuthorKind::kAgent : AuthorKind::kSystem;
  e.actor_id = actor;
  e.type = std::move(type);
  e.field = std::move(field);
  e.from = std::move(from);
  e.to = std::move(to);
  e.detail = std::move(detail);
  return tx.InsertEvent(e);
}

Status Notifier::Send(const std::vector<Id>& users, const std::string& kind, std::optional<Id> ticket_id,
                      const std::string& title, const std::string& body, const std::string& event_key) {
  std::vector<Id> to = users;
  std::ranges::sort(to);
  to.erase(std::unique(to.begin(), to.end()), to.end());
  outbox::Message m{event_key, kind, ticket_id, title, body, now_};
  for (Id user : to) {
    Notification n;
    n.user_id = user;
    n.kind = kind;
    n.ticket_id = ticket_id;
    n.title = title;
    n.body = body;
    n.created_at = now_;
    KEFU_TRY(tx_.InsertNotification(n));
    if (m.event_key.empty()) m.event_key = fmt::format("{}:{}:n{}", kind, ticket_id.value_or(0), n.id);
    KEFU_TRY(outbox::EnqueueForOwner(tx_, ChannelOwner::kUser, user, m, now_));
    out_.push_back(std::move(n));
  }
  return {};
}

Status Notifier::SendTeam(Id team_id, const std::string& kind, std::optional<Id> ticket_id, const std::string& title,
                          const std::string& body, const std::string& event_key) {
  outbox::Message m{event_key, kind, ticket_id, title, body, now_};
  KEFU_TRY(outbox::EnqueueForOwner(tx_, ChannelOwner::kTeam, team_id, m, now_));
  return {};
}

}  // namespace kefu::triage
