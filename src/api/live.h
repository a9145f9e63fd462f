// Live updates over WebSocket (/api/v1/ws): pushes complaint changes to the
// screens allowed to see them, and tracks who is viewing or writing on which
// complaint (collision detection). Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <unordered_map>

#include "auth/permissions.h"
#include "http/server.h"
#include "tickets/service.h"

namespace kefu::api {

class LiveHub {
 public:
  // Whether a principal may see a complaint, by id (reads the store).
  using CanView = std::function<bool(const Principal&, Id)>;
  explicit LiveHub(CanView can_view);
  ~LiveHub();
  // Registers an authenticated socket; the returned listener feeds it.
  std::shared_ptr<http::WsListener> Join(const Principal& p, std::shared_ptr<http::WsConnection> conn);
  // Called after a commit.
  void Publish(const TicketChange& change);
  // Pushes each in-app notification to its user's open screens.
  void PublishNotifications(const std::vector<Notification>& notifications);
  size_t Connections() const;

 private:
  struct Member;
  class Listener;
  void Viewing(Member* m, Id ticket_id, bool composing);
  void Left(Member* m, Id ticket_id);
  void Remove(Member* m);
  void BroadcastPresence(Id ticket_id);  // mu_ held

  CanView can_view_;
  mutable std::mutex mu_;
  std::unordered_map<Member*, std::unique_ptr<Member>> members_;  // owns the members
  std::unordered_map<Id, std::set<Member*>> viewers_;
};

}  // namespace kefu::api
