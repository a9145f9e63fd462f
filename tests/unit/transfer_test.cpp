#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "test_support.h"
#include "transfer/jsonl.h"

namespace kefu {
namespace {

using testing::TempStore;

// The users and team the lines refer to. `shift` inserts an unrelated user
// first, so that user ids differ between two stores.
void AddPeople(Store& store, bool shift) {
  ASSERT_TRUE(store.Write([&](WriteTx& tx) -> Status {
    if (shift) {
      User other;
      other.username = "someone.else";
      other.display_name = "无关用户";
      other.password_hash = "x";
      KEFU_TRY(tx.InsertUser(other));
    }
    Team east{0, "华东", "east-china", 0};
    KEFU_TRY(tx.InsertTeam(east));
    User lead;
    lead.username = "lead1";
    lead.display_name = "王芳";
    lead.role = Role::kTeamLead;
    lead.team_ids = {east.id};
    lead.password_hash = "x";
    User agent;
    agent.username = "agent1";
    agent.display_name = "李强";
    agent.team_ids = {east.id};
    agent.password_hash = "x";
    // Opposite orders give different ids in the two stores.
    if (shift) {
      KEFU_TRY(tx.InsertUser(agent));
      KEFU_TRY(tx.InsertUser(lead));
    } else {
      KEFU_TRY(tx.InsertUser(lead));
      KEFU_TRY(tx.InsertUser(agent));
    }
    return {};
  }));
}

// Line 1: a full complaint linking forward to line 5; line 2: blank;
// line 3: bad (unknown channel); line 4: no number, same customer as line 1
// (phone written differently), links back to line 1; line 5: links to a
// complaint that never appears.
const std::string kLines =
    R"({"number":"20260105-00003","subject":"快递三天没到","description":"订单 12345 显示已发货，但物流信息三天没有更新。",)"
    R"("channel":"phone","source_ref":"crm-1","customer":{"name":"张伟","phone":"138 0013 8000","email":null,"tier":"vip",)"
    R"("region":"east-china","language":"zh-CN","time_zone":"Asia/Shanghai"},"category":"logistics","severity":"normal",)"
    R"("priority":"high","state":"resolved","team":"华东","assignee":"agent1","tags":["催单","退款"],)"
    R"("collaborators":["lead1"],"reopen_count":1,"created_at":"2026-01-05T02:00:00Z",)"
    R"("updated_at":"2026-01-06T08:00:00.250Z","first_response_at":"2026-01-05T02:05:00Z",)"
    R"("resolved_at":"2026-01-06T08:00:00.250+00:00","closed_at":null,"messages":[)"
    R"({"kind":"reply","author_kind":"customer","author":null,"channel":"phone","body":"快递三天没到","created_at":"2026-01-05T02:00:00Z"},)"
    R"({"kind":"call","author_kind":"agent","author":"agent1","body":"来电：客户催单。\n已联系快递。","call_direction":"inbound",)"
    R"("call_duration_seconds":300,"created_at":"2026-01-05T10:05:00+08:00"}],"events":[)"
    R"({"at":"2026-01-05T02:00:00Z","actor_kind":"agent","actor":"agent1","type":"created","field":"state","from":"","to":"新建"},)"
    R"({"at":"2026-01-05T02:05:00Z","actor_kind":"agent","actor":"agent1","type":"message_added","field":"call","from":"","to":"9001"},)"
    R"({"at":"2026-01-06T08:00:00.250Z","actor_kind":"agent","actor":"agent1","type":"state_changed","field":"state","from":"open","to":"resolved"}],)"
    R"("handoffs":[{"department":"logistics","question":"请核实配送轨迹","due_at":"2026-01-06T02:00:00Z","owner":null,)"
    R"("state":"answered","answer":"已加急派送","answered_at":"2026-01-05T09:00:00Z","answered_by":"agent1",)"
    R"("created_by":"agent1","created_at":"2026-01-05T03:00:00Z"}],"links":[{"kind":"related","number":"20260105-00007"}]})"
    "\n"
    "   \n"
    R"({"subject":"坏行","channel":"fax","source_ref":"crm-bad","customer":{"phone":"13900000000"},"created_at":"2026-01-05T03:00:00Z"})"
    "\n"
    R"({"subject":"退款未到账","channel":"web","source_ref":"crm-2","customer":{"name":"张伟","phone":"138-0013-8000"},)"
    R"("category":"billing","state":"new","created_at":"2026-01-05T05:00:00Z",)"
    R"("links":[{"kind":"related","number":"20260105-00003","created_by":"agent1","created_at":"2026-01-05T05:00:01Z"}]})"
    "\r\n"
    R"({"number":"20260105-00007","subject":"Parcel arrived damaged","channel":"email",)"
    R"("customer":{"name":"Lan","email":"Lan@Example.com","language":"en"},"category":null,"severity":"severe",)"
    R"("priority":"urgent","state":"open","state_name":"处理中","created_at":"2026-01-05T06:00:00Z",)"
    R"("links":[{"kind":"duplicate","number":"20991231-00001"}]})"
    "\n";

ImportReport Import(Store& store, const std::string& text) {
  std::istringstream in(text);
  auto r = ImportJsonl(store, in);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return r.value_or(ImportReport{});
}

std::string Export(Store& store) {
  std::ostringstream out;
  auto r = ExportJsonl(store, out);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return out.str();
}

std::string Joined(const std::vector<std::string>& errors) {
  std::string s;
  for (const auto& e : errors) s += e + "\n";
  return s;
}

std::vector<Ticket> AllTickets(Store& store) {
  std::vector<Ticket> out;
  EXPECT_TRUE(store.Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(out, tx.TicketsAfter(0, 1000));
    return {};
  }));
  return out;
}

TEST(TransferTest, ImportReportsBadLinesAndStoresTheRest) {
  TempStore ts;
  AddPeople(*ts.store, false);
  ImportReport rep = Import(*ts.store, kLines);
  EXPECT_EQ(rep.imported, 3);
  EXPECT_EQ(rep.failed, 1);
  EXPECT_EQ(rep.skipped_existing, 0);
  ASSERT_EQ(rep.errors.size(), 2u) << Joined(rep.errors);
  EXPECT_TRUE(rep.errors[0].starts_with("line 3: channel: ")) << rep.errors[0];
  EXPECT_NE(rep.errors[0].find("fax"), std::string::npos) << rep.errors[0];
  EXPECT_TRUE(rep.errors[1].starts_with("line 5: links[0].number: ")) << rep.errors[1];
  EXPECT_NE(rep.errors[1].find("20991231-00001"), std::string::npos) << rep.errors[1];

  auto tickets = AllTickets(*ts.store);
  ASSERT_EQ(tickets.size(), 3u);
  const Ticket& first = tickets[0];
  const Ticket& second = tickets[1];
  const Ticket& third = tickets[2];
  EXPECT_EQ(first.number, "20260105-00003");
  EXPECT_EQ(second.number, "20260105-00004");  // allocated after the imported 00003
  EXPECT_EQ(third.number, "20260105-00007");
  EXPECT_EQ(first.customer_id, second.customer_id);  // matched by the normalized phone
  EXPECT_NE(first.customer_id, third.customer_id);
  EXPECT_EQ(first.state_type, StateType::kResolved);
  EXPECT_EQ(first.reopen_count, 1);
  EXPECT_EQ(first.tags, (std::vector<std::string>{"催单", "退款"}));
  EXPECT_EQ(first.collaborator_ids.size(), 1u);
  EXPECT_EQ(first.resolved_at, ParseRfc3339("2026-01-06T08:00:00.250Z"));
  EXPECT_FALSE(third.category_id.has_value());
  EXPECT_EQ(third.severity, Severity::kSevere);
  EXPECT_EQ(third.priority, Priority::kUrgent);

  ASSERT_TRUE(ts.store->Read([&](ReadTx& tx) -> Status {
    // Nothing of the bad line.
    KEFU_ASSIGN(auto bad, tx.FindTicketBySourceRef("crm-bad"));
    EXPECT_FALSE(bad.has_value());
    KEFU_ASSIGN(auto bad_customer, tx.FindCustomerByPhone("13900000000"));
    EXPECT_FALSE(bad_customer.has_value());
    // Customers as given, phone normalized, email lower-cased.
    KEFU_ASSIGN(Customer zhang, tx.GetCustomer(first.customer_id));
    EXPECT_EQ(zhang.phone, "13800138000");
    EXPECT_EQ(zhang.tier, Tier::kVip);
    KEFU_ASSIGN(Customer lan, tx.GetCustomer(third.customer_id));
    EXPECT_EQ(lan.email, "lan@example.com");
    // Messages, events and hand-offs verbatim.
    KEFU_ASSIGN(auto messages, tx.ListMessages(first.id));
    EXPECT_EQ(messages.size(), 2u);
    EXPECT_EQ(messages[1].kind, MessageKind::kCall);
    EXPECT_EQ(messages[1].call_duration_seconds, 300);
    EXPECT_EQ(messages[1].created_at, *ParseRfc3339("2026-01-05T02:05:00Z"));
    KEFU_ASSIGN(auto events, tx.ListEvents(first.id));
    EXPECT_EQ(events.size(), 3u);
    EXPECT_EQ(events[1].to, "9001");
    KEFU_ASSIGN(auto handoffs, tx.ListHandoffs(first.id));
    EXPECT_EQ(handoffs.size(), 1u);
    EXPECT_EQ(handoffs[0].state, HandoffState::kAnswered);
    // The forward link (second pass) and the backward link.
    KEFU_ASSIGN(auto links1, tx.ListLinks(first.id));
    EXPECT_EQ(links1.size(), 1u);
    if (!links1.empty()) {
      EXPECT_EQ(links1[0].other_id, third.id);
    }
    KEFU_ASSIGN(auto links2, tx.ListLinks(second.id));
    EXPECT_EQ(links2.size(), 1u);
    if (!links2.empty()) {
      EXPECT_EQ(links2[0].other_id, first.id);
    }
    KEFU_ASSIGN(auto links3, tx.ListLinks(third.id));
    EXPECT_TRUE(links3.empty());
    return {};
  }));

  // Later complaints of that day never reuse an imported number.
  ASSERT_TRUE(ts.store->Write([&](WriteTx& tx) -> Status {
    KEFU_ASSIGN(auto next, tx.NextTicketNumber("20260105"));
    EXPECT_EQ(next, "20260105-00008");
    return {};
  }));
}

TEST(TransferTest, ImportIsIdempotent) {
  TempStore ts;
  AddPeople(*ts.store, false);
  Import(*ts.store, kLines);
  std::string before = Export(*ts.store);
  ImportReport again = Import(*ts.store, kLines);
  EXPECT_EQ(again.imported, 0);
  EXPECT_EQ(again.skipped_existing, 3);
  EXPECT_EQ(again.failed, 1);
  EXPECT_EQ(AllTickets(*ts.store).size(), 3u);
  EXPECT_EQ(Export(*ts.store), before);  // no duplicated links either
}

TEST(TransferTest, ReferencesMustExist) {
  TempStore ts;
  AddPeople(*ts.store, false);
  const std::string lines =
      R"({"subject":"a","channel":"web","customer":{"name":"甲"},"assignee":"nobody","created_at":"2026-01-05T02:00:00Z"})"
      "\n"
      R"({"subject":"b","channel":"web","customer":{"name":"乙"},"created_at":"yesterday"})"
      "\n"
      R"({"subject":"c","channel":"web","customer":{"name":"丙"},"created_at":"2026-01-05T02:00:00Z",)"
      R"("handoffs":[{"department":"nowhere","question":"?","due_at":"2026-01-06T02:00:00Z","created_at":"2026-01-05T02:00:00Z"}]})"
      "\n"
      R"({"subject":"d","channel":"web","customer":{"name":"丁"},"created_at":"2026-01-05T02:00:00Z",)"
      R"("messages":[{"kind":"reply","author_kind":"agent","body":"","created_at":"2026-01-05T02:00:00Z"}]})"
      "\n"
      R"({"subject":"e","channel":"web","customer":{},"created_at":"2026-01-05T02:00:00Z"})"
      "\n"
      R"(not json)"
      "\n"
      R"({"subject":"f","channel":"web","customer":{"name":"戊"},"created_at":"2026-01-05T02:00:00Z"})"
      "\n";
  ImportReport rep = Import(*ts.store, lines);
  EXPECT_EQ(rep.imported, 1);
  EXPECT_EQ(rep.failed, 6);
  ASSERT_EQ(rep.errors.size(), 6u) << Joined(rep.errors);
  EXPECT_TRUE(rep.errors[0].starts_with("line 1: assignee: ")) << rep.errors[0];
  EXPECT_TRUE(rep.errors[1].starts_with("line 2: created_at: ")) << rep.errors[1];
  EXPECT_TRUE(rep.errors[2].starts_with("line 3: handoffs[0].department: ")) << rep.errors[2];
  EXPECT_TRUE(rep.errors[3].starts_with("line 4: messages[0].body: ")) << rep.errors[3];
  EXPECT_TRUE(rep.errors[4].starts_with("line 5: customer: ")) << rep.errors[4];
  EXPECT_TRUE(rep.errors[5].starts_with("line 6: ")) << rep.errors[5];
}

TEST(TransferTest, ExportImportExportIsByteIdentical) {
  TempStore a;
  AddPeople(*a.store, false);
  Import(*a.store, kLines);
  std::string first = Export(*a.store);
  EXPECT_EQ(std::ranges::count(first, '\n'), 3);

  TempStore b;
  AddPeople(*b.store, true);  // same names, different ids
  std::istringstream in(first);
  auto rep = ImportJsonl(*b.store, in);
  ASSERT_TRUE(rep.has_value());
  EXPECT_EQ(rep->imported, 3);
  EXPECT_EQ(rep->failed, 0);
  EXPECT_TRUE(rep->errors.empty()) << Joined(rep->errors);
  EXPECT_EQ(Export(*b.store), first);
}

}  // namespace
}  // namespace kefu
