#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "auth/accounts.h"
#include "demo/seed.h"
#include "test_support.h"

namespace kefu {
namespace {

using testing::TempStore;

constexpr int kTickets = 300;

Millis DemoNow() { return *ParseRfc3339("2026-03-01T04:00:00Z"); }

struct Seeded {
  TempStore ts{false};
  ManualClock clock{DemoNow()};
  AccountService accounts{*ts.store, clock};
  Result<DemoSummary> summary;
  explicit Seeded(std::uint64_t seed) {
    summary = SeedDemo(*ts.store, accounts, DemoOptions{.tickets = kTickets, .random_seed = seed, .now = DemoNow()});
  }
};

std::vector<Ticket> AllTickets(Store& store) {
  std::vector<Ticket> out;
  EXPECT_TRUE(store.Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(out, tx.TicketsAfter(0, 10 * kTickets));
    return {};
  }));
  return out;
}

TEST(DemoSeedTest, BuildsABelievableHistory) {
  Seeded s(42);
  ASSERT_TRUE(s.summary.has_value()) << s.summary.error().message;
  const DemoSummary& sum = *s.summary;
  EXPECT_EQ(sum.tickets, kTickets);
  EXPECT_EQ(sum.teams, 5);
  EXPECT_GE(sum.users, 10);
  EXPECT_LE(sum.users, 15);
  EXPECT_GT(sum.customers, 0);
  EXPECT_LT(sum.customers, kTickets);  // some customers complain more than once
  EXPECT_GT(sum.messages, kTickets);
  EXPECT_GT(sum.events, 3 * kTickets);
  EXPECT_EQ(sum.admin_username, "admin");
  EXPECT_EQ(sum.admin_password, "kefu-admin-2026");

  auto tickets = AllTickets(*s.ts.store);
  ASSERT_EQ(tickets.size(), static_cast<size_t>(kTickets));
  std::set<Channel> channels;
  std::set<Id> categories;
  Millis first = tickets.front().created_at, last = first;
  std::vector<TicketState> states;
  std::vector<Team> teams;
  ASSERT_TRUE(s.ts.store->Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(states, tx.ListStates());
    KEFU_ASSIGN(teams, tx.ListTeams());
    for (const auto& t : tickets) {
      channels.insert(t.channel);
      if (t.category_id) categories.insert(*t.category_id);
      first = std::min(first, t.created_at);
      last = std::max(last, t.created_at);
      EXPECT_LT(t.created_at, DemoNow());
      EXPECT_LE(t.updated_at, DemoNow());
      KEFU_ASSIGN(auto events, tx.ListEvents(t.id));
      EXPECT_FALSE(events.empty()) << t.number;
      if (events.empty()) continue;
      EXPECT_EQ(events.front().type, "created") << t.number;
      EXPECT_EQ(events.front().at, t.created_at) << t.number;
      for (size_t i = 1; i < events.size(); ++i) EXPECT_LE(events[i - 1].at, events[i].at) << t.number;
      EXPECT_EQ(events.back().at, t.updated_at) << t.number;
      if (t.state_type == StateType::kResolved || t.state_type == StateType::kClosed) {
        EXPECT_TRUE(t.resolved_at.has_value()) << t.number;
      }
      if (t.state_type == StateType::kClosed) {
        EXPECT_TRUE(t.closed_at.has_value()) << t.number;
      }
      auto state = std::ranges::find_if(states, [&](const TicketState& st) { return st.id == t.state_id; });
      EXPECT_TRUE(state != states.end() && state->type == t.state_type && state->is_default) << t.number;
      KEFU_ASSIGN(auto messages, tx.ListMessages(t.id));
      EXPECT_FALSE(messages.empty()) << t.number;
      if (!messages.empty()) {
        EXPECT_EQ(messages.front().author_kind, AuthorKind::kCustomer) << t.number;
      }
      if (t.first_response_at) {
        EXPECT_GE(*t.first_response_at, t.created_at) << t.number;
      }
    }
    return {};
  }));
  EXPECT_GE(channels.size(), 6u);
  EXPECT_GE(categories.size(), 7u);
  EXPECT_GT(last - first, 150LL * 24 * 3600 * 1000);
  EXPECT_EQ(teams.size(), 5u);

  // The admin can log in with the reported password.
  auto login = s.accounts.Login(sum.admin_username, sum.admin_password, "127.0.0.1");
  EXPECT_TRUE(login.has_value()) << (login ? "" : login.error().message);

  // A second run refuses: the store has complaints.
  auto again = SeedDemo(*s.ts.store, s.accounts, DemoOptions{.tickets = 10, .now = DemoNow()});
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(AllTickets(*s.ts.store).size(), static_cast<size_t>(kTickets));
}

TEST(DemoSeedTest, SameSeedSameData) {
  Seeded a(7), b(7);
  ASSERT_TRUE(a.summary.has_value()) << a.summary.error().message;
  ASSERT_TRUE(b.summary.has_value()) << b.summary.error().message;
  auto ta = AllTickets(*a.ts.store), tb = AllTickets(*b.ts.store);
  ASSERT_EQ(ta.size(), tb.size());
  for (size_t i = 0; i < ta.size(); ++i) {
    EXPECT_EQ(ta[i].number, tb[i].number);
    EXPECT_EQ(ta[i].subject, tb[i].subject);
    EXPECT_EQ(ta[i].created_at, tb[i].created_at);
    EXPECT_EQ(ta[i].updated_at, tb[i].updated_at);
    EXPECT_EQ(ta[i].state_type, tb[i].state_type);
    EXPECT_EQ(ta[i].assignee_id, tb[i].assignee_id);
  }
  EXPECT_EQ(a.summary->events, b.summary->events);
  EXPECT_EQ(a.summary->messages, b.summary->messages);
}

}  // namespace
}  // namespace kefu
