#include "api/live.h"

#include <boost/json.hpp>

#include "api/serialize.h"
#include "core/json.h"

namespace kefu::api {

namespace bj = boost::json;

struct LiveHub::Member {
  Principal principal;
  std::shared_ptr<http::WsConnection> conn;
  std::unordered_map<Id, bool> viewing;  // ticket -> composing
};

class LiveHub::Listener final : public http::WsListener {
 public:
  Listener(LiveHub& hub, Member* m) : hub_(hub), m_(m) {}
  void OnMessage(const std::string& text) override {
    auto v = json::ParseDocument(text);
    if (!v || !v->is_object()) return;
    const auto& o = v->get_object();
    auto type = json::OptString(o, "type");
    auto id = json::OptInt(o, "ticket_id");
    if (!type || !*type || !id || !*id) return;
    if (**type == "viewing") {
      if (!hub_.can_view_(m_->principal, **id)) return;  // no presence on complaints one may not see
      auto composing = json::OptBool(o, "composing");
      hub_.Viewing(m_, **id, composing && *composing && **composing);
    } else if (**type == "left") {
      hub_.Left(m_, **id);
    }
  }
  void OnClose() override { hub_.Remove(m_); }

 private:
  LiveHub& hub_;
  Member* m_;
};

LiveHub::LiveHub(CanView can_view) : can_view_(std::move(can_view)) {}
LiveHub::~LiveHub() = default;

std::shared_ptr<http::WsListener> LiveHub::Join(const Principal& p, std::shared_ptr<http::WsConnection> conn) {
  auto owned = std::make_unique<Member>(Member{p, std::move(conn), {}});
  Member* m = owned.get();
  std::lock_guard lock(mu_);
  members_.emplace(m, std::move(owned));
  return std::make_shared<Listener>(*this, m);
}

void LiveHub::Publish(const TicketChange& change) {
  const Ticket& t = change.ticket;
  std::string text = bj::serialize(bj::object{
      {"type", change.type},
      {"ticket", bj::object{{"id", t.id}, {"number", t.number}, {"team_id", OptId(t.team_id)},
                            {"assignee_id", OptId(t.assignee_id)}, {"state", Name(t.state_type)},
                            {"updated_at", FormatRfc3339(t.updated_at)}}}});
  PublishNotifications(change.notifications);
  std::lock_guard lock(mu_);
  for (const auto& [m, _] : members_) {
    if (CanSee(m->principal, t, {}))
      m->conn->Send(text);
    else if (m->principal.user.role == Role::kDepartmentLiaison && can_view_(m->principal, t.id))
      m->conn->Send(text);  // visible through a hand-off to their department
  }
}

void LiveHub::PublishNotifications(const std::vector<Notification>& notifications) {
  if (notifications.empty()) return;
  std::lock_guard lock(mu_);
  for (const auto& n : notifications) {
    std::string text = bj::serialize(bj::object{{"type", "notification"}, {"notification", NotificationJson(n)}});
    for (const auto& [m, _] : members_)
      if (m->principal.user.id == n.user_id) m->conn->Send(text);
  }
}

void LiveHub::Viewing(Member* m, Id ticket_id, bool composing) {
  std::lock_guard lock(mu_);
  if (m->viewing.size() > 50 && !m->viewing.contains(ticket_id)) return;
  m->viewing[ticket_id] = composing;
  viewers_[ticket_id].insert(m);
  BroadcastPresence(ticket_id);
}

void LiveHub::Left(Member* m, Id ticket_id) {
  std::lock_guard lock(mu_);
  if (!m->viewing.erase(ticket_id)) return;
  auto it = viewers_.find(ticket_id);
  if (it != viewers_.end()) {
    it->second.erase(m);
    if (it->second.empty()) viewers_.erase(it);
  }
  BroadcastPresence(ticket_id);
}

void LiveHub::Remove(Member* m) {
  std::lock_guard lock(mu_);
  for (const auto& [ticket_id, _] : m->viewing) {
    auto it = viewers_.find(ticket_id);
    if (it == viewers_.end()) continue;
    it->second.erase(m);
    if (it->second.empty())
      viewers_.erase(it);
    else
      BroadcastPresence(ticket_id);
  }
  members_.erase(m);
}

void LiveHub::BroadcastPresence(Id ticket_id) {
  auto it = viewers_.find(ticket_id);
  if (it == viewers_.end()) return;
  bj::array users;
  for (auto* v : it->second)
    users.push_back(bj::object{{"id", v->principal.user.id}, {"name", v->principal.user.display_name},
                               {"composing", v->viewing[ticket_id]}});
  std::string text = bj::serialize(bj::object{{"type", "presence"}, {"ticket_id", ticket_id}, {"users", users}});
  for (auto* v : it->second) v->conn->Send(text);
}

size_t LiveHub::Connections() const {
  std::lock_guard lock(mu_);
  return members_.size();
}

}  // namespace kefu::api
