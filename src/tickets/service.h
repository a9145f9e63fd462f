// The complaint lifecycle service: one function per use case (create, update,
// transition, reply, hand off, link, merge), each one store transaction that
// writes the record and its events together. Permission and visibility rules
// come from auth/permissions. Thread-safe; blocking: call from workers.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auth/permissions.h"
#include "core/clock.h"
#include "storage/store.h"
#include "tickets/catalog.h"

namespace kefu {

struct CustomerInput {
  std::optional<Id> id;
  std::optional<std::string> name, phone, email, external_id, region, language, time_zone, organization;
  std::optional<Tier> tier;
};

struct NewTicket {
  std::string subject;
  std::string description;
  std::optional<Channel> channel;
  CustomerInput customer;
  std::optional<std::string> category;  // key
  std::optional<Severity> severity;
  std::optional<Priority> priority;
  std::optional<Id> team_id;
  std::optional<Id> assignee_id;
  std::vector<std::string> tags;
  std::optional<std::string> source_ref;
  std::optional<Id> follows_up;  // an earlier complaint (usually closed) this new contact continues
};

struct TicketPatch {
  std::optional<std::string> subject;
  std::optional<std::optional<std::string>> category;
  std::optional<Severity> severity;
  std::optional<Priority> priority;
  std::optional<std::optional<Id>> team_id;
  std::optional<std::optional<Id>> assignee_id;
  std::optional<std::vector<std::string>> tags;
  std::optional<std::vector<Id>> collaborator_ids;
};

struct NewMessage {
  MessageKind kind = MessageKind::kReply;
  AuthorKind author_kind = AuthorKind::kAgent;
  std::string body;
  std::optional<Channel> channel;
  std::optional<CallDirection> call_direction;
  std::optional<std::int64_t> call_duration_seconds;
};

struct NewHandoff {
  std::string department;  // key
  std::string question;
  std::optional<Millis> due_at;
  std::optional<Id> owner_id;
};

struct TicketDetail {
  Ticket ticket;
  Customer customer;
  std::vector<Message> messages;
  std::vector<TicketEvent> events;
  std::vector<Handoff> handoffs;
  std::vector<TicketLink> links;
  std::vector<Ticket> linked;  // the tickets the links point to
};

struct TicketPage {
  std::vector<Ticket> items;
  std::vector<Customer> customers;  // of the items, each once
  std::optional<std::string> next_cursor;
  std::optional<std::int64_t> total;
};

// What changed, for live views; delivered after the commit.
struct TicketChange {
  std::string type;  // "ticket.created" | "ticket.updated"
  Ticket ticket;
  std::vector<Notification> notifications;  // written with the change (triage)
};

enum class TicketTrigger { kCreated, kUpdated, kCustomerMessage };

// Runs inside the write transaction of every change to a complaint, after the
// change is written (triage: grading, rules, red cases, routing). It may
// change `t`, writing it and its events itself, and returns the in-app
// notifications it wrote. `message` is the new message, if any.
class TicketHook {
 public:
  virtual ~TicketHook() = default;
  // `customer`: the complaint's customer when the caller has it at hand (a
  // creation resolved it in the same transaction), else null: read it.
  virtual Result<std::vector<Notification>> AfterWrite(WriteTx& tx, TicketTrigger trigger, Ticket& t,
                                                       const Message* message, const Customer* customer) = 0;
  // What a hook still writes once a new complaint is in the store.
  using AfterInsert = std::function<Result<std::vector<Notification>>(WriteTx&)>;
  // A creation asks every hook first, before the complaint is inserted (its
  // id is already reserved: t.id): a hook may set the complaint's fields here
  // so that the complaint is written once, with them. It returns what it
  // still has to write, which the creation runs after the insert while `t`
  // and `customer` live; by default that is AfterWrite(kCreated).
  virtual Result<AfterInsert> BeforeInsert(WriteTx& /*tx*/, Ticket& t, const Customer& customer) {
    return AfterInsert([this, &t, &customer](WriteTx& w) {
      return AfterWrite(w, TicketTrigger::kCreated, t, nullptr, &customer);
    });
  }
  // Called outside any transaction, on the request's thread, just before a
  // change that brings new customer text (a complaint's subject and
  // description joined by a newline, or a customer's message): work that
  // needs only the text can be done here, so that the single writer does less.
  // `uncategorized`: the text opens a complaint that has no cause yet.
  virtual void Prepare(const std::string& /*text*/, bool /*uncategorized*/) {}
};

// The complaint's customer: `known` when it is that customer, else read.
Result<Customer> CustomerOf(ReadTx& tx, const Ticket& t, const Customer* known);

struct CreateOutcome {
  Ticket ticket;
  Customer customer;
  bool created = true;  // false: the source_ref was seen before; this is the earlier complaint
};

struct MessageOutcome {
  Message message;
  Ticket ticket;  // the complaint it landed on (a new follow-up if the first was closed)
  bool new_ticket = false;
};

class TicketService {
 public:
  TicketService(Store& store, Catalog& catalog, const Clock& clock);

  void OnChange(std::function<void(const TicketChange&)> listener) { listener_ = std::move(listener); }
  // Added at start-up, before requests arrive; they run in the order added
  // (triage, then service levels).
  void AddHook(TicketHook* hook) { hooks_.push_back(hook); }

  Result<CreateOutcome> Create(const Principal& p, const NewTicket& in);
  Result<TicketDetail> Get(const Principal& p, Id id);
  // The complaints of `ids` that exist and the principal may see, in the
  // order of `ids`, with their customers: a list's page in two store queries
  // (department liaisons add one per complaint for its hand-offs).
  Result<TicketPage> GetMany(const Principal& p, const std::vector<Id>& ids);
  // `cursor` continues a previous page of the same query.
  Result<TicketPage> List(const Principal& p, TicketQuery q, const std::string& cursor, bool with_total);
  Result<Ticket> Update(const Principal& p, Id id, const TicketPatch& patch);
  // To a named state (state_id) or to the default state of a type.
  Result<Ticket> Transition(const Principal& p, Id id, std::optional<Id> state_id, std::optional<StateType> type);
  Result<MessageOutcome> AddMessage(const Principal& p, Id id, const NewMessage& m);
  Result<Handoff> CreateHandoff(const Principal& p, Id id, const NewHandoff& h);
  Result<Handoff> AnswerHandoff(const Principal& p, Id handoff_id, const std::string& answer);
  // Hand-offs with the number and subject of their complaint (a department's inbox).
  struct HandoffItem {
    Handoff handoff;
    std::string ticket_number, ticket_subject;
  };
  Result<std::vector<HandoffItem>> ListHandoffs(const Principal& p, HandoffQuery q);
  Result<TicketLink> Link(const Principal& p, Id id, Id other_id, LinkKind kind);
  Status Unlink(const Principal& p, Id id, Id link_id);
  Result<Ticket> Merge(const Principal& p, Id id, Id into_id);

  // Customers
  Result<Customer> CreateCustomer(const Principal& p, const CustomerInput& in);
  Result<Customer> GetCustomer(const Principal& p, Id id);
  Result<Customer> UpdateCustomer(const Principal& p, Id id, const CustomerInput& in);
  Result<std::vector<Customer>> FindCustomers(const Principal& p, const std::string& phone, const std::string& email,
                                              const std::string& external_id, const std::string& prefix);

 private:
  Result<std::shared_ptr<const CatalogSnapshot>> Snapshot();
  // Loads a complaint the principal may see, inside a transaction.
  Result<Ticket> Visible(const Principal& p, ReadTx& tx, Id id);
  void Notify(const std::string& type, const Ticket& t, std::vector<Notification> notifications = {});
  // Runs the hooks, collecting their notifications.
  Status RunHook(WriteTx& tx, TicketTrigger trigger, Ticket& t, const Message* message,
                 std::vector<Notification>& notifications);

  Store& store_;
  Catalog& catalog_;
  const Clock& clock_;
  std::function<void(const TicketChange&)> listener_;
  std::vector<TicketHook*> hooks_;
};

// Normalizes a phone number for matching: keeps digits and a leading '+'.
std::string NormalizePhone(const std::string& phone);

}  // namespace kefu
