#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "test_support.h"
#include "tickets/catalog.h"
#include "tickets/service.h"

namespace kefu {
namespace {

using testing::PrincipalFor;

class TicketServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(ts.store->Write([&](WriteTx& tx) -> Status {
      Team east{0, "华东", "east-china", 0}, south{0, "华南", "south-china", 0};
      KEFU_TRY(tx.InsertTeam(east));
      KEFU_TRY(tx.InsertTeam(south));
      east_id = east.id;
      south_id = south.id;
      KEFU_ASSIGN(auto deps, tx.ListDepartments());
      logistics_id = deps[1].id;
      User agent;
      agent.username = "agent";
      agent.display_name = "王芳";
      agent.team_ids = {east.id};
      KEFU_TRY(tx.InsertUser(agent));
      agent_id = agent.id;
      User liaison;
      liaison.username = "liaison";
      liaison.display_name = "物流对接人";
      liaison.role = Role::kDepartmentLiaison;
      liaison.department_id = logistics_id;
      KEFU_TRY(tx.InsertUser(liaison));
      liaison_id = liaison.id;
      return {};
    }));
    agent = PrincipalFor(agent_id, Role::kAgent, {east_id});
    lead = PrincipalFor(agent_id + 100, Role::kTeamLead, {east_id});
    liaison = PrincipalFor(liaison_id, Role::kDepartmentLiaison, {}, logistics_id);
    supervisor = PrincipalFor(agent_id + 200, Role::kSupervisor);
  }

  NewTicket Sample(std::string subject = "快递三天没到") {
    NewTicket t;
    t.subject = std::move(subject);
    t.description = "订单 12345 显示已发货，但物流信息三天没有更新。";
    t.channel = Channel::kPhone;
    t.customer.name = "张伟";
    t.customer.phone = "138 1234 5678";
    t.category = "logistics";
    t.team_id = east_id;
    return t;
  }

  Ticket Create(NewTicket t) {
    auto r = service.Create(agent, t);
    EXPECT_TRUE(r) << r.error().message;
    return r->ticket;
  }

  // The complaint as the store has it.
  Ticket Stored(Id id) {
    Ticket t;
    EXPECT_TRUE(ts.store->Read([&](ReadTx& tx) -> Status {
      KEFU_ASSIGN(t, tx.GetTicket(id));
      return {};
    }));
    return t;
  }

  // The ids of the team's new and open complaints queued at `queued_by` or earlier.
  std::vector<Id> Queued(Id team_id, Millis queued_by) {
    std::vector<Id> ids;
    EXPECT_TRUE(ts.store->Read([&](ReadTx& tx) -> Status {
      KEFU_ASSIGN(auto queued, tx.ListQueued(team_id, queued_by, 100));
      for (const auto& t : queued) ids.push_back(t.id);
      return {};
    }));
    return ids;
  }

  testing::TempStore ts;
  ManualClock clock{1'795'425'081'123};
  Catalog catalog{*ts.store};
  TicketService service{*ts.store, catalog, clock};
  Id east_id = 0, south_id = 0, logistics_id = 0, agent_id = 0, liaison_id = 0;
  Principal agent, lead, liaison, supervisor;
};

TEST_F(TicketServiceTest, CreateNumbersTheComplaintAndRecordsItsCreation) {
  Ticket a = Create(Sample());
  Ticket b = Create(Sample("第二单"));
  EXPECT_EQ(a.number, "20261123-00001");
  EXPECT_EQ(b.number, "20261123-00002");
  EXPECT_EQ(a.state_type, StateType::kNew);
  auto d = service.Get(agent, a.id);
  ASSERT_TRUE(d);
  ASSERT_FALSE(d->events.empty());
  EXPECT_EQ(d->events[0].type, "created");
  EXPECT_EQ(d->events[0].actor_id, agent_id);
  EXPECT_EQ(d->customer.phone, "13812345678") << "phones are normalized";
}

// The writer reserves a complaint's id before inserting it (triage needs
// it): above every stored id, the same until an insert uses it, and never
// one a rolled-back insert had, also when SQLite chose that id itself.
TEST_F(TicketServiceTest, ReservedComplaintIdsAreAboveEveryStoredOneAndNotReusedAfterARollback) {
  Ticket a = Create(Sample());
  auto next = [&] {
    Id id = 0;
    EXPECT_TRUE(ts.store->Write([&](WriteTx& tx) -> Status {
      KEFU_ASSIGN(id, tx.NextTicketId());
      return {};
    }));
    return id;
  };
  const Id reserved = next();
  EXPECT_GT(reserved, a.id);
  EXPECT_EQ(next(), reserved) << "nothing was inserted";
  Id rolled_back = 0;
  ASSERT_FALSE(ts.store->Write([&](WriteTx& tx) -> Status {
    Ticket t = a;
    t.id = 0;  // SQLite picks it
    t.number += "-x";
    t.source_ref.reset();
    KEFU_TRY(tx.InsertTicket(t));
    rolled_back = t.id;
    return Fail(Error::Conflict("rolled back on purpose"));
  }));
  EXPECT_GT(next(), rolled_back);
  Ticket b = Create(Sample("第二单"));
  EXPECT_GT(b.id, rolled_back);
  EXPECT_GT(next(), b.id);
}

TEST_F(TicketServiceTest, SameSourceRefNeverCreatesTwoComplaints) {
  auto in = Sample();
  in.source_ref = "call-7781";
  auto first = service.Create(agent, in);
  auto again = service.Create(agent, in);
  ASSERT_TRUE(first && again);
  EXPECT_TRUE(first->created);
  EXPECT_FALSE(again->created);
  EXPECT_EQ(first->ticket.id, again->ticket.id);
}

TEST_F(TicketServiceTest, CustomersAreMatchedByPhoneAcrossComplaints) {
  Ticket a = Create(Sample());
  auto in = Sample("又来投诉");
  in.customer.phone = "13812345678";
  in.customer.email = "zhang@example.com";
  Ticket b = Create(in);
  EXPECT_EQ(a.customer_id, b.customer_id);
  auto c = service.GetCustomer(agent, a.customer_id);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->email, "zhang@example.com") << "missing fields are filled in";
}

TEST_F(TicketServiceTest, InvalidInputChangesNothing) {
  auto in = Sample();
  in.subject = "";
  EXPECT_EQ(service.Create(agent, in).error().field, "subject");
  in = Sample();
  in.category = "no_such_category";
  EXPECT_EQ(service.Create(agent, in).error().field, "category");
  in = Sample();
  in.channel.reset();
  EXPECT_EQ(service.Create(agent, in).error().field, "channel");
  TicketQuery q;
  q.scope.all = true;
  auto n = ts.store->Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(auto count, tx.CountTickets(q));
    EXPECT_EQ(count, 0);
    return {};
  });
  EXPECT_TRUE(n);
}

TEST_F(TicketServiceTest, FirstAgentReplyOpensTheComplaintAndStampsFirstResponse) {
  Ticket t = Create(Sample());
  clock.Advance(90'000);
  NewMessage m;
  m.body = "您好，我们已联系快递公司核实。";
  auto r = service.AddMessage(agent, t.id, m);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->ticket.state_type, StateType::kOpen);
  EXPECT_EQ(r->ticket.first_response_at, t.created_at + 90'000);
}

TEST_F(TicketServiceTest, InternalNotesAreNotAFirstResponse) {
  Ticket t = Create(Sample());
  NewMessage note;
  note.kind = MessageKind::kNote;
  note.body = "客户情绪激动，注意语气";
  auto r = service.AddMessage(agent, t.id, note);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->ticket.first_response_at);
  EXPECT_EQ(r->ticket.state_type, StateType::kNew);
}

TEST_F(TicketServiceTest, TransitionsFollowTheLifecycle) {
  Ticket t = Create(Sample());
  EXPECT_EQ(service.Transition(agent, t.id, std::nullopt, StateType::kClosed).error().code,
            ErrorCode::kInvalidTransition);
  ASSERT_TRUE(service.Transition(agent, t.id, std::nullopt, StateType::kResolved));
  auto reopened = service.Transition(agent, t.id, std::nullopt, StateType::kOpen);
  ASSERT_TRUE(reopened);
  EXPECT_EQ(reopened->reopen_count, 1);
  EXPECT_FALSE(reopened->resolved_at);
  ASSERT_TRUE(service.Transition(agent, t.id, std::nullopt, StateType::kResolved));
  auto closed = service.Transition(agent, t.id, std::nullopt, StateType::kClosed);
  ASSERT_TRUE(closed);
  EXPECT_TRUE(closed->closed_at);
  EXPECT_EQ(service.Transition(agent, t.id, std::nullopt, StateType::kOpen).error().code,
            ErrorCode::kInvalidTransition);
  auto d = service.Get(agent, t.id);
  int state_events = 0, reopen_events = 0;
  for (const auto& e : d->events) {
    state_events += e.type == "state_changed";
    reopen_events += e.type == "reopened";
  }
  EXPECT_EQ(state_events, 4);
  EXPECT_EQ(reopen_events, 1);
}

TEST_F(TicketServiceTest, CustomerReplyReopensAResolvedComplaint) {
  Ticket t = Create(Sample());
  ASSERT_TRUE(service.Transition(agent, t.id, std::nullopt, StateType::kResolved));
  NewMessage m;
  m.author_kind = AuthorKind::kCustomer;
  m.body = "还是没收到！";
  auto r = service.AddMessage(agent, t.id, m);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->ticket.state_type, StateType::kOpen);
  EXPECT_EQ(r->ticket.reopen_count, 1);
}

TEST_F(TicketServiceTest, NewContactOnAClosedComplaintOpensALinkedFollowUp) {
  Ticket t = Create(Sample());
  ASSERT_TRUE(service.Transition(agent, t.id, std::nullopt, StateType::kResolved));
  ASSERT_TRUE(service.Transition(agent, t.id, std::nullopt, StateType::kClosed));
  NewMessage m;
  m.author_kind = AuthorKind::kCustomer;
  m.body = "上次的问题又出现了";
  auto r = service.AddMessage(agent, t.id, m);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->new_ticket);
  EXPECT_NE(r->ticket.id, t.id);
  auto old = service.Get(agent, t.id);
  EXPECT_EQ(old->ticket.state_type, StateType::kClosed) << "a closed complaint stays closed";
  ASSERT_EQ(old->links.size(), 1u);
  EXPECT_EQ(old->links[0].other_id, r->ticket.id);
  // Agents cannot write on a closed complaint.
  NewMessage reply;
  reply.body = "好的";
  EXPECT_EQ(service.AddMessage(agent, t.id, reply).error().code, ErrorCode::kInvalidTransition);
}

TEST_F(TicketServiceTest, AgentsSeeOnlyTheirTeamsComplaints) {
  auto in = Sample();
  in.team_id = south_id;
  Ticket other = Create(in);
  EXPECT_EQ(service.Get(agent, other.id).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(service.Get(supervisor, other.id));
  auto page = service.List(agent, TicketQuery{}, "", true);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 0);
}

TEST_F(TicketServiceTest, AssigningToOthersNeedsTheAssignPermission) {
  Ticket t = Create(Sample());
  TicketPatch patch;
  patch.assignee_id = std::optional<Id>(liaison_id);
  EXPECT_EQ(service.Update(agent, t.id, patch).error().code, ErrorCode::kForbidden);
  patch.assignee_id = std::optional<Id>(agent_id);
  auto taken = service.Update(agent, t.id, patch);
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->assignee_id, agent_id);
}

TEST_F(TicketServiceTest, HandOffsAreAnsweredOnlyByTheirDepartment) {
  Ticket t = Create(Sample());
  EXPECT_EQ(service.Get(liaison, t.id).error().code, ErrorCode::kNotFound);
  NewHandoff h{"logistics", "请核实运单 SF123 的位置", clock.Now() + 3'600'000, liaison_id};
  auto handoff = service.CreateHandoff(agent, t.id, h);
  ASSERT_TRUE(handoff) << handoff.error().message;
  EXPECT_TRUE(service.Get(liaison, t.id)) << "the liaison now sees the complaint";
  auto other_dep = PrincipalFor(liaison_id, Role::kDepartmentLiaison, {}, logistics_id + 1);
  EXPECT_EQ(service.AnswerHandoff(other_dep, handoff->id, "不归我们").error().code, ErrorCode::kNotFound);
  auto answered = service.AnswerHandoff(liaison, handoff->id, "包裹滞留在杭州中转站，明天派送");
  ASSERT_TRUE(answered);
  EXPECT_EQ(answered->state, HandoffState::kAnswered);
  EXPECT_EQ(service.AnswerHandoff(liaison, handoff->id, "again").error().code, ErrorCode::kConflict);
  h.due_at = clock.Now() - 1;
  EXPECT_EQ(service.CreateHandoff(agent, t.id, h).error().field, "due_at");
}

TEST_F(TicketServiceTest, MergeClosesTheDuplicateIntoTheTarget) {
  Ticket a = Create(Sample());
  Ticket b = Create(Sample("同一个问题"));
  EXPECT_EQ(service.Merge(agent, a.id, b.id).error().code, ErrorCode::kForbidden);
  auto merged = service.Merge(lead, a.id, b.id);
  ASSERT_TRUE(merged) << merged.error().message;
  EXPECT_EQ(merged->state_type, StateType::kMerged);
  EXPECT_EQ(merged->merged_into_id, b.id);
  EXPECT_EQ(service.Merge(lead, a.id, b.id).error().code, ErrorCode::kInvalidTransition);
  auto target = service.Get(lead, b.id);
  ASSERT_EQ(target->links.size(), 1u);
  EXPECT_EQ(target->links[0].kind, LinkKind::kDuplicate);
}

TEST_F(TicketServiceTest, CursorPagesVisitEveryComplaintOnce) {
  for (int i = 0; i < 23; ++i) {
    Create(Sample("投诉 " + std::to_string(i)));
    clock.Advance(i % 3 == 0 ? 0 : 1000);  // ties in updated_at too
  }
  std::set<Id> seen;
  std::string cursor;
  int pages = 0;
  do {
    TicketQuery q;
    q.limit = 5;
    auto page = service.List(agent, q, cursor, false);
    ASSERT_TRUE(page) << page.error().message;
    for (const auto& t : page->items) EXPECT_TRUE(seen.insert(t.id).second) << "duplicate " << t.id;
    cursor = page->next_cursor.value_or("");
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(seen.size(), 23u);
  EXPECT_EQ(pages, 5);
  EXPECT_EQ(service.List(agent, TicketQuery{}, "garbage", false).error().field, "cursor");
}

TEST_F(TicketServiceTest, GroupCommitKeepsEveryConcurrentWriteAndIsolatesFailures) {
  std::vector<std::thread> threads;
  std::atomic<int> ok{0}, failed{0};
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&, i] {
      for (int k = 0; k < 10; ++k) {
        auto in = Sample("并发 " + std::to_string(i) + "-" + std::to_string(k));
        if (k == 5) in.category = "missing";  // fails validation before the store
        in.source_ref = "src-" + std::to_string(i) + "-" + std::to_string(k);
        auto r = service.Create(agent, in);
        (r ? ok : failed)++;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 16 * 9);
  EXPECT_EQ(failed, 16);
  auto page = service.List(agent, TicketQuery{}, "", true);
  EXPECT_EQ(page->total, 16 * 9);
  // A job that fails inside the batch rolls back only itself.
  std::vector<std::thread> writers;
  std::atomic<int> committed{0};
  for (int i = 0; i < 8; ++i)
    writers.emplace_back([&, i] {
      auto r = ts.store->Write([&](WriteTx& tx) -> Status {
        Team t{0, "team-" + std::to_string(i), "", 0};
        KEFU_TRY(tx.InsertTeam(t));
        if (i % 2) return Fail(Error::Conflict("rolled back on purpose"));
        return {};
      });
      if (r) committed++;
    });
  for (auto& t : writers) t.join();
  EXPECT_EQ(committed, 4);
  ASSERT_TRUE(ts.store->Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(auto teams, tx.ListTeams());
    EXPECT_EQ(teams.size(), 2u + 4u);
    return {};
  }));
}

TEST_F(TicketServiceTest, AComplaintCreatedUnassignedInATeamIsQueuedFromItsCreation) {
  const Millis created = clock.Now();
  Ticket queued = Create(Sample());
  EXPECT_EQ(queued.queued_at, created);
  EXPECT_EQ(Stored(queued.id).queued_at, created);
  auto assigned_in = Sample();
  assigned_in.assignee_id = agent_id;
  Ticket assigned = Create(assigned_in);
  EXPECT_EQ(Stored(assigned.id).queued_at, std::nullopt);
  auto teamless_in = Sample();
  teamless_in.team_id.reset();
  auto teamless = service.Create(supervisor, teamless_in);
  ASSERT_TRUE(teamless) << teamless.error().message;
  EXPECT_EQ(Stored(teamless->ticket.id).queued_at, std::nullopt);
  EXPECT_EQ(Queued(east_id, created), std::vector<Id>{queued.id});
}

TEST_F(TicketServiceTest, MovingAnUnassignedComplaintToAnotherTeamQueuesItThereAfresh) {
  Ticket t = Create(Sample());
  clock.Advance(10 * 60'000);
  TicketPatch move;
  move.team_id = std::optional<Id>(south_id);
  ASSERT_TRUE(service.Update(supervisor, t.id, move));
  EXPECT_EQ(Stored(t.id).queued_at, clock.Now());
  EXPECT_TRUE(Queued(east_id, clock.Now()).empty());
  EXPECT_EQ(Queued(south_id, clock.Now()), std::vector<Id>{t.id});
  EXPECT_TRUE(Queued(south_id, clock.Now() - 1).empty());
}

TEST_F(TicketServiceTest, AssigningEndsTheWaitAndUnassigningStartsANewOne) {
  Ticket t = Create(Sample());
  clock.Advance(5 * 60'000);
  TicketPatch assign;
  assign.assignee_id = std::optional<Id>(agent_id);
  ASSERT_TRUE(service.Update(supervisor, t.id, assign));
  EXPECT_EQ(Stored(t.id).queued_at, std::nullopt);
  EXPECT_TRUE(Queued(east_id, clock.Now()).empty());
  clock.Advance(5 * 60'000);
  TicketPatch move;
  move.team_id = std::optional<Id>(south_id);
  ASSERT_TRUE(service.Update(supervisor, t.id, move));
  EXPECT_EQ(Stored(t.id).queued_at, std::nullopt) << "moved with its assignee: not waiting";
  clock.Advance(5 * 60'000);
  TicketPatch unassign;
  unassign.assignee_id = std::optional<Id>();
  ASSERT_TRUE(service.Update(supervisor, t.id, unassign));
  EXPECT_EQ(Stored(t.id).queued_at, clock.Now());
  EXPECT_EQ(Queued(south_id, clock.Now()), std::vector<Id>{t.id});
}

TEST_F(TicketServiceTest, OtherChangesKeepTheTimeTheComplaintEnteredTheQueue) {
  const Millis created = clock.Now();
  Ticket t = Create(Sample());
  clock.Advance(5 * 60'000);
  TicketPatch retitle;
  retitle.subject = "快递四天没到";
  ASSERT_TRUE(service.Update(supervisor, t.id, retitle));
  EXPECT_EQ(Stored(t.id).queued_at, created);
  clock.Advance(5 * 60'000);
  ASSERT_TRUE(service.Transition(supervisor, t.id, std::nullopt, StateType::kPendingCustomer));
  EXPECT_EQ(Stored(t.id).queued_at, created);
  EXPECT_TRUE(Queued(east_id, clock.Now()).empty()) << "waiting for the customer is not waiting in the queue";
  clock.Advance(5 * 60'000);
  ASSERT_TRUE(service.Transition(supervisor, t.id, std::nullopt, StateType::kOpen));
  EXPECT_EQ(Queued(east_id, created), std::vector<Id>{t.id});
}

// Writing only the changed columns keeps queued_at as writing the whole complaint does.
TEST_F(TicketServiceTest, WritingOnlyTheChangedColumnsKeepsQueuedAtTheSame) {
  for (bool changed_columns_only : {false, true}) {
    SCOPED_TRACE(changed_columns_only ? "changed columns" : "whole complaint");
    const Millis created = clock.Now();
    Ticket t = Create(Sample());
    auto write = [&](auto change) {
      clock.Advance(60'000);
      Ticket stored = Stored(t.id);
      Ticket changed = stored;
      change(changed);
      changed.updated_at = clock.Now();
      EXPECT_TRUE(ts.store->Write([&](WriteTx& tx) -> Status {
        return changed_columns_only ? tx.UpdateTicket(changed, stored) : tx.UpdateTicket(changed);
      }));
      return Stored(t.id).queued_at;
    };
    EXPECT_EQ(write([](Ticket& c) { c.priority = Priority::kHigh; }), created);
    const auto moved = write([&](Ticket& c) { c.team_id = south_id; });
    EXPECT_EQ(moved, clock.Now());
    EXPECT_EQ(write([&](Ticket& c) { c.assignee_id = agent_id; }), std::nullopt);
    EXPECT_EQ(write([&](Ticket& c) { c.queued_at = 1; }), std::nullopt) << "a caller's value is not written";
    const auto unassigned = write([](Ticket& c) { c.assignee_id.reset(); });
    EXPECT_EQ(unassigned, clock.Now());
    EXPECT_EQ(write([](Ticket& c) { c.queued_at.reset(); }), unassigned);
    EXPECT_EQ(write([](Ticket& c) { c.team_id.reset(); }), std::nullopt);
  }
}

TEST(StoreLock, ASecondOpenOfTheSameDataDirectoryIsRefused) {
  testing::TempStore ts;
  SqliteOptions o;
  o.data_dir = ts.dir;
  auto second = OpenSqliteStore(o);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kConflict);
}

TEST(StoreBackup, CopiesAConsistentStoreThatPassesIntegrityCheck) {
  testing::TempStore ts;
  std::string to = ts.dir + "/backup.db";
  ASSERT_TRUE(ts.store->Backup(to));
  SqliteOptions o;
  o.data_dir = testing::MakeTempDir();
  std::filesystem::copy_file(to, o.data_dir + "/kefu.db");
  auto restored = OpenSqliteStore(o);
  ASSERT_TRUE(restored) << restored.error().message;
  auto check = (*restored)->IntegrityCheck();
  ASSERT_TRUE(check);
  EXPECT_EQ(*check, "ok");
  ASSERT_TRUE((*restored)->Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(auto states, tx.ListStates());
    EXPECT_EQ(states.size(), 7u);
    return {};
  }));
  restored->reset();
  std::filesystem::remove_all(o.data_dir);
}

}  // namespace
}  // namespace kefu
