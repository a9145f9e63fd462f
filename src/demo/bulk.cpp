#include "demo/bulk.h"

#include <algorithm>
#include <random>

#include <fmt/format.h>

namespace kefu {

Result<int> BulkFill(Store& store, const BulkOptions& o) {
  std::vector<Team> teams;
  std::vector<TicketState> states;
  KEFU_TRY(store.Write([&](WriteTx& tx) -> Status {
    KEFU_ASSIGN(teams, tx.ListTeams());
    KEFU_ASSIGN(states, tx.ListStates());
    for (const char* name : {"华东", "华南", "华北", "东南亚"}) {
      if (std::ranges::any_of(teams, [&](const Team& t) { return t.name == name; })) continue;
      Team t{0, name, "", o.now};
      KEFU_TRY(tx.InsertTeam(t));
      teams.push_back(t);
    }
    return {};
  }));
  std::erase_if(states, [&](const TicketState& s) {
    bool final = s.type == StateType::kResolved || s.type == StateType::kClosed;
    return s.type == StateType::kMerged || !s.is_default || (o.sla_due_within > 0 && final);  // clocks: open only
  });
  if (states.empty()) return Fail(Error::Internal("no states configured"));
  std::mt19937_64 rng(7);
  const Millis span = 182LL * 86400 * 1000;
  int written = 0;
  while (written < o.tickets) {
    int n = std::min(o.batch, o.tickets - written);
    KEFU_TRY(store.Write([&](WriteTx& tx) -> Status {
      for (int i = 0; i < n; ++i) {
        int k = written + i;
        Customer c;
        Id customer_id = 0;
        if (k % 10 == 0) {
          c.name = fmt::format("客户{}", k / 10);
          c.phone = fmt::format("199{:08}", k / 10);
          c.created_at = c.updated_at = o.now;
          KEFU_TRY(tx.InsertCustomer(c));
          customer_id = c.id;
        } else {
          KEFU_ASSIGN(auto found, tx.FindCustomerByPhone(fmt::format("199{:08}", k / 10)));
          customer_id = found ? found->id : 1;
        }
        Ticket t;
        t.created_at = o.now - span + static_cast<Millis>(static_cast<double>(k) / o.tickets * span);
        KEFU_ASSIGN(t.number, tx.NextTicketNumber(UtcDayStamp(t.created_at)));
        t.subject = fmt::format("物流延迟投诉 #{}", k);
        t.description = "包裹超过承诺时效仍未送达，客户要求说明原因并赔偿。";
        t.channel = static_cast<Channel>(rng() % 9);
        t.customer_id = customer_id;
        t.severity = static_cast<Severity>(rng() % 3);
        t.priority = static_cast<Priority>(rng() % 4);
        const auto& st = states[rng() % states.size()];
        t.state_id = st.id;
        t.state_type = st.type;
        t.team_id = teams[rng() % teams.size()].id;
        t.updated_at = t.created_at + static_cast<Millis>(rng() % 86400000);
        KEFU_TRY(tx.InsertTicket(t));
        TicketEvent e{0, t.id, t.created_at, AuthorKind::kSystem, {}, "created", "state", "", st.name};
        KEFU_TRY(tx.InsertEvent(e));
        if (o.sla_due_within > 0) {
          // First response and resolution, due in the window (timers as escalation/ stores them).
          Millis due = o.now + o.sla_due_after + static_cast<Millis>(static_cast<double>(k) / o.tickets * o.sla_due_within);
          TicketSla sla;
          sla.ticket_id = t.id;
          sla.timers = fmt::format("0:0:{};2:0:{}", due, due + o.sla_due_within / 2);
          sla.next_due_at = due;
          sla.team_id = t.team_id;
          sla.updated_at = o.now;
          KEFU_TRY(tx.PutTicketSla(sla));
        }
      }
      return {};
    }));
    written += n;
  }
  return written;
}

}  // namespace kefu
