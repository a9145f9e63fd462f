// The notification channels users and teams choose, and the delivery log.
//
// A user manages their own channels (needs tickets.read, like the inbox). A
// team's channels are managed by a team lead of that team, or by anyone
// holding notify.team_channels with a role above team lead (supervisor,
// director, admin). The delivery log needs outbox.read. Secrets are
// write-only: the records returned still hold them, the API shows only
// has_secret (api/notify_api.cpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/permissions.h"
#include "outbox/format.h"
#include "storage/store.h"

namespace kefu::outbox {

// A create or an update: absent fields are left as they are (on create: the
// defaults). An empty secret removes the secret.
struct ChannelInput {
  std::optional<std::string> kind;
  std::optional<std::string> name;
  std::optional<std::string> target;
  std::optional<std::string> secret;
  std::optional<std::vector<std::string>> kinds;
  std::optional<bool> enabled;
};

struct ChannelRef {
  ChannelOwner owner_kind = ChannelOwner::kUser;
  Id owner_id = 0;
};

// "https://qyapi.weixin.qq.com/…f00d": how the API shows a robot or webhook
// URL (its path and query are credentials); email addresses as they are.
std::string TargetHint(const NotificationChannel& c);
// Checks of the target: an address for email, an http(s) URL otherwise.
Status CheckEmailAddress(std::string_view field, std::string_view address);
Status CheckHttpUrl(std::string_view field, std::string_view url);

class ChannelService {
 public:
  ChannelService(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  Result<std::vector<NotificationChannel>> List(const Principal& p, ChannelRef owner);
  Result<NotificationChannel> Create(const Principal& p, ChannelRef owner, const ChannelInput& in);
  Result<NotificationChannel> Update(const Principal& p, ChannelRef owner, Id id, const ChannelInput& in);
  Status Delete(const Principal& p, ChannelRef owner, Id id);
  // Enqueues a test message for the channel (enabled or not); returns its outbox row.
  Result<OutboxEntry> SendTest(const Principal& p, ChannelRef owner, Id id);
  // The delivery log, newest first.
  Result<std::vector<OutboxEntry>> Log(const Principal& p, const OutboxQuery& q);

  static constexpr size_t kMaxChannelsPerOwner = 20;

 private:
  Status MayManage(const Principal& p, ChannelRef owner);
  Result<NotificationChannel> Owned(ReadTx& tx, ChannelRef owner, Id id);

  Store& store_;
  const Clock& clock_;
};

}  // namespace kefu::outbox
