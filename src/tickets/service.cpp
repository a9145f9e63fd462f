#include "tickets/service.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "core/text.h"
#include "domain/lifecycle.h"
#include "tickets/cursor.h"

namespace kefu {

namespace {

constexpr size_t kMaxTags = 20;
constexpr Millis kDefaultHandoffDue = 24LL * 3600 * 1000;

Result<std::vector<std::string>> CleanTags(const std::vector<std::string>& tags) {
  std::vector<std::string> out;
  for (const auto& t : tags) {
    KEFU_TRY(CheckText("tags", t, 1, 50));
    if (t.find(',') != std::string::npos) return Fail(Error::Validation("tags", "a tag may not contain ','"));
    if (std::ranges::find(out, t) == out.end()) out.push_back(t);
  }
  if (out.size() > kMaxTags) return Fail(Error::Validation("tags", fmt::format("at most {} tags", kMaxTags)));
  return out;
}

// Records events for a complaint inside one transaction.
class EventLog {
 public:
  EventLog(WriteTx& tx, const Principal* p, Millis at) : tx_(tx), p_(p), at_(at) {}
  Status Add(Id ticket_id, std::string type, std::string field = {}, std::string from = {}, std::string to = {},
             std::optional<AuthorKind> actor_kind = std::nullopt) {
    TicketEvent e;
    e.ticket_id = ticket_id;
    e.at = at_;
    e.actor_kind = actor_kind.value_or(p_ ? AuthorKind::kAgent : AuthorKind::kSystem);
    if (p_ && e.actor_kind == AuthorKind::kAgent) e.actor_id = p_->user.id;
    e.type = std::move(type);
    e.field = std::move(field);
    e.from = std::move(from);
    e.to = std::move(to);
    return tx_.InsertEvent(e);
  }
  // A field change, only when the value changed.
  Status Field(Id ticket_id, const std::string& field, const std::string& from, const std::string& to) {
    if (from == to) return {};
    return Add(ticket_id, "field_changed", field, from, to);
  }

 private:
  WriteTx& tx_;
  const Principal* p_;
  Millis at_;
};

std::string TeamName(const CatalogSnapshot& c, std::optional<Id> id) {
  if (!id) return {};
  auto* t = c.TeamById(*id);
  return t ? t->name : std::to_string(*id);
}

std::string UserLogin(const CatalogSnapshot& c, std::optional<Id> id) {
  if (!id) return {};
  auto* u = c.UserById(*id);
  return u ? u->username : std::to_string(*id);
}

std::string CategoryKey(const CatalogSnapshot& c, std::optional<Id> id) {
  if (!id) return {};
  auto* cat = c.CategoryById(*id);
  return cat ? cat->key : std::to_string(*id);
}

Status CheckAssignee(const CatalogSnapshot& c, std::optional<Id> id) {
  if (!id) return {};
  auto* u = c.UserById(*id);
  if (!u) return Fail(Error::Validation("assignee_id", fmt::format("user {} does not exist", *id)));
  if (u->disabled) return Fail(Error::Validation("assignee_id", fmt::format("user {} is disabled", *id)));
  return {};
}

Status CheckTeam(const CatalogSnapshot& c, std::optional<Id> id) {
  if (id && !c.TeamById(*id)) return Fail(Error::Validation("team_id", fmt::format("team {} does not exist", *id)));
  return {};
}

Result<std::optional<Id>> CategoryIdOf(const CatalogSnapshot& c, const std::optional<std::string>& key) {
  if (!key) return std::optional<Id>();
  auto* cat = c.CategoryByKey(*key);
  if (!cat || !cat->active)
    return Fail(Error::Validation("category", fmt::format("unknown or inactive category {}", *key)));
  return std::optional<Id>(cat->id);
}

Status CheckCustomerInput(const CustomerInput& in, bool creating) {
  if (in.name) KEFU_TRY(CheckText("customer.name", *in.name, 1, 100));
  if (in.phone) {
    KEFU_TRY(CheckText("customer.phone", *in.phone, 3, 32));
    std::string digits = NormalizePhone(*in.phone);
    if (digits.size() < 3 || std::ranges::any_of(*in.phone, [](char c) {
          return !(std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == ' ' || c == '(' ||
                   c == ')');
        }))
      return Fail(Error::Validation("customer.phone", "phone may contain digits, spaces, '+', '-', '(' and ')'"));
  }
  if (in.email) {
    KEFU_TRY(CheckText("customer.email", *in.email, 3, 254));
    auto at = in.email->find('@');
    if (at == std::string::npos || at == 0 || at + 1 >= in.email->size() || in.email->find(' ') != std::string::npos)
      return Fail(Error::Validation("customer.email", "email is not an address"));
  }
  if (in.external_id) KEFU_TRY(CheckText("customer.external_id", *in.external_id, 1, 100));
  if (in.region) KEFU_TRY(CheckText("customer.region", *in.region, 0, 64));
  if (in.language) KEFU_TRY(CheckText("customer.language", *in.language, 0, 16));
  if (in.time_zone) KEFU_TRY(CheckText("customer.time_zone", *in.time_zone, 0, 64));
  if (in.organization) KEFU_TRY(CheckText("customer.organization", *in.organization, 0, 200));
  if (creating && !in.id && !in.name && !in.phone && !in.email && !in.external_id)
    return Fail(Error::Validation("customer", "a customer needs at least a name, phone, email or external_id"));
  return {};
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Fills a customer record from input; `only_missing` keeps what is known.
void Apply(Customer& c, const CustomerInput& in, bool only_missing) {
  auto set = [&](std::string& field, const std::optional<std::string>& v) {
    if (v && (!only_missing || field.empty())) field = *v;
  };
  auto set_opt = [&](std::optional<std::string>& field, const std::optional<std::string>& v) {
    if (v && (!only_missing || !field)) field = *v;
  };
  set(c.name, in.name);
  set_opt(c.phone, in.phone ? std::optional(NormalizePhone(*in.phone)) : std::nullopt);
  set_opt(c.email, in.email ? std::optional(Lower(*in.email)) : std::nullopt);
  set_opt(c.external_id, in.external_id);
  set(c.region, in.region);
  set(c.language, in.language);
  set(c.time_zone, in.time_zone);
  set(c.organization, in.organization);
  if (in.tier && (!only_missing || c.tier == Tier::kRegular)) c.tier = *in.tier;
}

// Finds the customer by id, external id, phone or email (in that order), or
// creates one; fills fields the record lacks.
Result<Customer> ResolveCustomer(WriteTx& tx, const CustomerInput& in, Millis now) {
  std::optional<Customer> found;
  if (in.id) {
    KEFU_ASSIGN(auto c, tx.GetCustomer(*in.id));
    found = c;
  }
  if (!found && in.external_id) {
    KEFU_ASSIGN(found, tx.FindCustomerByExternalId(*in.external_id));
  }
  if (!found && in.phone) {
    KEFU_ASSIGN(found, tx.FindCustomerByPhone(NormalizePhone(*in.phone)));
  }
  if (!found && in.email) {
    KEFU_ASSIGN(found, tx.FindCustomerByEmail(Lower(*in.email)));
  }
  if (found) {
    Customer before = *found;
    CustomerInput fill = in;
    // Never move a phone/email/external id that belongs to someone else.
    if (fill.phone && !found->phone) {
      KEFU_ASSIGN(auto other, tx.FindCustomerByPhone(NormalizePhone(*fill.phone)));
      if (other) fill.phone.reset();
    }
    if (fill.email && !found->email) {
      KEFU_ASSIGN(auto other, tx.FindCustomerByEmail(Lower(*fill.email)));
      if (other) fill.email.reset();
    }
    if (fill.external_id && !found->external_id) {
      KEFU_ASSIGN(auto other, tx.FindCustomerByExternalId(*fill.external_id));
      if (other) fill.external_id.reset();
    }
    Apply(*found, fill, /*only_missing=*/true);
    if (found->name != before.name || found->phone != before.phone || found->email != before.email ||
        found->external_id != before.external_id || found->tier != before.tier || found->region != before.region ||
        found->language != before.language || found->time_zone != before.time_zone ||
        found->organization != before.organization) {
      found->updated_at = now;
      KEFU_TRY(tx.UpdateCustomer(*found));
    }
    return *found;
  }
  Customer c;
  Apply(c, in, false);
  if (c.name.empty()) c.name = c.phone.value_or(c.email.value_or(c.external_id.value_or("")));
  c.created_at = c.updated_at = now;
  KEFU_TRY(tx.InsertCustomer(c));
  return c;
}

LinkKind Reciprocal(LinkKind k) {
  switch (k) {
    case LinkKind::kParent: return LinkKind::kChild;
    case LinkKind::kChild: return LinkKind::kParent;
    default: return k;
  }
}

}  // namespace

std::string NormalizePhone(const std::string& phone) {
  std::string out;
  for (char c : phone) {
    if (std::isdigit(static_cast<unsigned char>(c)))
      out += c;
    else if (c == '+' && out.empty())
      out += c;
  }
  return out;
}

Result<Customer> CustomerOf(ReadTx& tx, const Ticket& t, const Customer* known) {
  if (known && known->id == t.customer_id) return *known;
  return tx.GetCustomer(t.customer_id);
}

TicketService::TicketService(Store& store, Catalog& catalog, const Clock& clock)
    : store_(store), catalog_(catalog), clock_(clock) {}

Result<std::shared_ptr<const CatalogSnapshot>> TicketService::Snapshot() { return catalog_.Get(); }

void TicketService::Notify(const std::string& type, const Ticket& t, std::vector<Notification> notifications) {
  if (listener_) listener_(TicketChange{type, t, std::move(notifications)});
}

Status TicketService::RunHook(WriteTx& tx, TicketTrigger trigger, Ticket& t, const Message* message,
                              std::vector<Notification>& notifications) {
  for (TicketHook* hook : hooks_) {
    KEFU_ASSIGN(auto written, hook->AfterWrite(tx, trigger, t, message, nullptr));
    notifications.insert(notifications.end(), written.begin(), written.end());
  }
  return {};
}

namespace {

// Whether the principal may see the complaint; a department liaison sees those
// handed to their department, which needs the complaint's hand-offs.
Result<bool> SeenBy(const Principal& p, ReadTx& tx, const Ticket& t) {
  std::vector<Handoff> handoffs;
  if (p.user.role == Role::kDepartmentLiaison) {
    KEFU_ASSIGN(handoffs, tx.ListHandoffs(t.id));
  }
  return CanSee(p, t, handoffs);
}

}  // namespace

Result<Ticket> TicketService::Visible(const Principal& p, ReadTx& tx, Id id) {
  KEFU_TRY(Need(p, Permission::kTicketsRead));
  KEFU_ASSIGN(Ticket t, tx.GetTicket(id));
  KEFU_ASSIGN(bool seen, SeenBy(p, tx, t));
  if (!seen) return Fail(Error::NotFound(fmt::format("complaint {} not found", id)));
  return t;
}

Result<CreateOutcome> TicketService::Create(const Principal& p, const NewTicket& in) {
  KEFU_TRY(Need(p, Permission::kTicketsCreate));
  KEFU_TRY(CheckText("subject", in.subject, 1, 200));
  KEFU_TRY(CheckText("description", in.description, 0, 20000, true));
  if (!in.channel) return Fail(Error::Validation("channel", "channel is required: " + AllowedNames<Channel>()));
  if (in.source_ref) KEFU_TRY(CheckText("source_ref", *in.source_ref, 1, 200));
  KEFU_TRY(CheckCustomerInput(in.customer, true));
  KEFU_ASSIGN(auto tags, CleanTags(in.tags));
  KEFU_ASSIGN(auto cat, Snapshot());
  KEFU_ASSIGN(auto category_id, CategoryIdOf(*cat, in.category));
  KEFU_TRY(CheckTeam(*cat, in.team_id));
  KEFU_TRY(CheckAssignee(*cat, in.assignee_id));
  if (in.assignee_id && *in.assignee_id != p.user.id) KEFU_TRY(Need(p, Permission::kTicketsAssign));
  const TicketState* initial = cat->DefaultState(StateType::kNew);
  if (!initial) return Fail(Error::Internal("no state of type new is configured"));

  CreateOutcome out;
  std::vector<Notification> notifications;
  for (TicketHook* hook : hooks_) hook->Prepare(in.subject + "\n" + in.description, !in.category);
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    notifications.clear();
    Millis now = clock_.Now();
    if (in.source_ref) {
      KEFU_ASSIGN(auto existing, tx.FindTicketBySourceRef(*in.source_ref));
      if (existing) {
        out.created = false;
        out.ticket = *existing;
        KEFU_ASSIGN(out.customer, tx.GetCustomer(existing->customer_id));
        return {};
      }
    }
    std::optional<Ticket> previous;
    if (in.follows_up) {
      auto prev = Visible(p, tx, *in.follows_up);
      if (!prev) return Fail(Error::Validation("follows_up", fmt::format("complaint {} not found", *in.follows_up)));
      previous = *prev;
    }
    KEFU_ASSIGN(out.customer, ResolveCustomer(tx, in.customer, now));
    Ticket t;
    KEFU_ASSIGN(t.number, tx.NextTicketNumber(UtcDayStamp(now)));
    t.subject = in.subject;
    t.description = in.description;
    t.channel = *in.channel;
    t.source_ref = in.source_ref;
    t.customer_id = out.customer.id;
    t.category_id = category_id;
    t.severity = in.severity.value_or(Severity::kNormal);
    t.priority = in.priority.value_or(Priority::kNormal);
    t.state_id = initial->id;
    t.state_type = initial->type;
    t.team_id = in.team_id;
    t.assignee_id = in.assignee_id;
    t.tags = tags;
    t.created_at = t.updated_at = now;
    // The hooks (triage) decide the complaint's fields before it is written, once.
    KEFU_ASSIGN(t.id, tx.NextTicketId());
    std::vector<TicketHook::AfterInsert> after(hooks_.size());
    for (size_t i = 0; i < hooks_.size(); ++i) {
      KEFU_ASSIGN(after[i], hooks_[i]->BeforeInsert(tx, t, out.customer));
    }
    KEFU_TRY(tx.InsertTicket(t));
    EventLog log(tx, &p, now);
    KEFU_TRY(log.Add(t.id, "created", "state", "", initial->name));
    if (in.assignee_id) KEFU_TRY(log.Field(t.id, "assignee", "", UserLogin(*cat, in.assignee_id)));
    if (in.team_id) KEFU_TRY(log.Field(t.id, "team", "", TeamName(*cat, in.team_id)));
    if (previous) {
      TicketLink a{0, t.id, previous->id, LinkKind::kRelated, p.user.id, now};
      TicketLink b{0, previous->id, t.id, LinkKind::kRelated, p.user.id, now};
      KEFU_TRY(tx.InsertLink(a));
      KEFU_TRY(tx.InsertLink(b));
      KEFU_TRY(log.Add(t.id, "linked", "related", "", previous->number));
      KEFU_TRY(log.Add(previous->id, "linked", "related", "", t.number));
    }
    for (const auto& write : after) {
      KEFU_ASSIGN(auto written, write(tx));
      notifications.insert(notifications.end(), written.begin(), written.end());
    }
    out.ticket = t;
    return {};
  }));
  if (out.created) Notify("ticket.created", out.ticket, std::move(notifications));
  return out;
}

Result<TicketDetail> TicketService::Get(const Principal& p, Id id) {
  TicketDetail d;
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(d.ticket, Visible(p, tx, id));
    KEFU_ASSIGN(d.customer, tx.GetCustomer(d.ticket.customer_id));
    KEFU_ASSIGN(d.messages, tx.ListMessages(id));
    KEFU_ASSIGN(d.events, tx.ListEvents(id));
    KEFU_ASSIGN(d.handoffs, tx.ListHandoffs(id));
    KEFU_ASSIGN(d.links, tx.ListLinks(id));
    for (const auto& l : d.links) {
      KEFU_ASSIGN(auto other, tx.GetTicket(l.other_id));
      d.linked.push_back(std::move(other));
    }
    return {};
  }));
  return d;
}

Result<TicketPage> TicketService::GetMany(const Principal& p, const std::vector<Id>& ids) {
  KEFU_TRY(Need(p, Permission::kTicketsRead));
  TicketPage page;
  if (ids.empty()) return page;
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(auto found, tx.GetTickets(ids));
    std::unordered_map<Id, Ticket*> by_id;
    for (auto& t : found) by_id.emplace(t.id, &t);
    std::set<Id> customer_ids;
    for (Id id : ids) {
      auto it = by_id.find(id);
      if (it == by_id.end() || !it->second) continue;
      Ticket& t = *it->second;
      it->second = nullptr;  // each once, even when `ids` repeats one
      KEFU_ASSIGN(bool seen, SeenBy(p, tx, t));
      if (!seen) continue;
      customer_ids.insert(t.customer_id);
      page.items.push_back(std::move(t));
    }
    KEFU_ASSIGN(page.customers, tx.GetCustomers({customer_ids.begin(), customer_ids.end()}));
    return {};
  }));
  return page;
}

Result<TicketPage> TicketService::List(const Principal& p, TicketQuery q, const std::string& cursor,
                                       bool with_total) {
  KEFU_TRY(Need(p, Permission::kTicketsRead));
  q.scope = ScopeFor(p);
  q.limit = std::clamp(q.limit, 1, 200);
  if (!cursor.empty()) {
    q.after = DecodeCursor(q.sort, cursor);
    if (!q.after) return Fail(Error::Validation("cursor", "cursor is not valid for this list"));
  }
  TicketPage page;
  TicketQuery fetch = q;
  fetch.limit = q.limit + 1;
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(page.items, tx.ListTickets(fetch));
    if (with_total) {
      TicketQuery count = q;
      count.after.reset();
      KEFU_ASSIGN(page.total, tx.CountTickets(count));
    }
    if (static_cast<int>(page.items.size()) > q.limit) {
      page.items.resize(static_cast<size_t>(q.limit));
      page.next_cursor = EncodeCursor(q.sort, page.items.back());
    }
    std::set<Id> ids;
    for (const auto& t : page.items) ids.insert(t.customer_id);
    KEFU_ASSIGN(page.customers, tx.GetCustomers({ids.begin(), ids.end()}));
    return {};
  }));
  return page;
}

Result<Ticket> TicketService::Update(const Principal& p, Id id, const TicketPatch& patch) {
  KEFU_TRY(Need(p, Permission::kTicketsUpdate));
  if (patch.subject) KEFU_TRY(CheckText("subject", *patch.subject, 1, 200));
  std::optional<std::vector<std::string>> tags;
  if (patch.tags) {
    KEFU_ASSIGN(tags, CleanTags(*patch.tags));
  }
  KEFU_ASSIGN(auto cat, Snapshot());
  std::optional<std::optional<Id>> category_id;
  if (patch.category) {
    KEFU_ASSIGN(category_id, CategoryIdOf(*cat, *patch.category));
  }
  if (patch.team_id) KEFU_TRY(CheckTeam(*cat, *patch.team_id));
  if (patch.assignee_id) KEFU_TRY(CheckAssignee(*cat, *patch.assignee_id));
  if (patch.assignee_id && *patch.assignee_id && **patch.assignee_id != p.user.id)
    KEFU_TRY(Need(p, Permission::kTicketsAssign));
  if (patch.collaborator_ids)
    for (Id uid : *patch.collaborator_ids)
      if (!cat->UserById(uid))
        return Fail(Error::Validation("collaborator_ids", fmt::format("user {} does not exist", uid)));

  Ticket result;
  bool changed = false;
  std::vector<Notification> notifications;
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    notifications.clear();
    KEFU_ASSIGN(Ticket t, Visible(p, tx, id));
    if (IsFinal(t.state_type))
      return Fail(Error{ErrorCode::kInvalidTransition, "a closed or merged complaint cannot be changed", {}});
    if (patch.assignee_id && t.assignee_id && t.assignee_id != p.user.id && *patch.assignee_id != t.assignee_id)
      KEFU_TRY(Need(p, Permission::kTicketsAssign));  // taking someone else's complaint
    Millis now = clock_.Now();
    EventLog log(tx, &p, now);
    const Ticket before = t;
    if (patch.subject) t.subject = *patch.subject;
    if (category_id) t.category_id = *category_id;
    if (patch.severity) t.severity = *patch.severity;
    if (patch.priority) t.priority = *patch.priority;
    if (patch.team_id) t.team_id = *patch.team_id;
    if (patch.assignee_id) t.assignee_id = *patch.assignee_id;
    if (tags) t.tags = *tags;
    if (patch.collaborator_ids) {
      t.collaborator_ids = *patch.collaborator_ids;
      std::ranges::sort(t.collaborator_ids);
      t.collaborator_ids.erase(std::unique(t.collaborator_ids.begin(), t.collaborator_ids.end()),
                               t.collaborator_ids.end());
    }
    KEFU_TRY(log.Field(id, "subject", before.subject, t.subject));
    KEFU_TRY(log.Field(id, "category", CategoryKey(*cat, before.category_id), CategoryKey(*cat, t.category_id)));
    KEFU_TRY(log.Field(id, "severity", std::string(Name(before.severity)), std::string(Name(t.severity))));
    KEFU_TRY(log.Field(id, "priority", std::string(Name(before.priority)), std::string(Name(t.priority))));
    KEFU_TRY(log.Field(id, "team", TeamName(*cat, before.team_id), TeamName(*cat, t.team_id)));
    KEFU_TRY(log.Field(id, "assignee", UserLogin(*cat, before.assignee_id), UserLogin(*cat, t.assignee_id)));
    auto join = [](const auto& v) {
      std::string s;
      for (const auto& x : v) s += (s.empty() ? "" : ",") + fmt::format("{}", x);
      return s;
    };
    KEFU_TRY(log.Field(id, "tags", join(before.tags), join(t.tags)));
    KEFU_TRY(log.Field(id, "collaborators", join(before.collaborator_ids), join(t.collaborator_ids)));
    changed = before.subject != t.subject || before.category_id != t.category_id || before.severity != t.severity ||
              before.priority != t.priority || before.team_id != t.team_id || before.assignee_id != t.assignee_id ||
              before.tags != t.tags || before.collaborator_ids != t.collaborator_ids;
    if (changed) {
      t.updated_at = now;
      KEFU_TRY(tx.UpdateTicket(t, before));
      KEFU_TRY(RunHook(tx, TicketTrigger::kUpdated, t, nullptr, notifications));
    }
    result = t;
    return {};
  }));
  if (changed) Notify("ticket.updated", result, std::move(notifications));
  return result;
}

namespace {
// Applies a state change to `t` and records it; shared by transitions,
// replies and customer messages.
Status MoveTo(Ticket& t, const TicketState& to, EventLog& log, Millis now) {
  StateType from = t.state_type;
  std::string from_name = std::to_string(t.state_id);
  if (IsReopen(from, to.type)) {
    t.reopen_count++;
    KEFU_TRY(log.Add(t.id, "reopened"));
  }
  t.state_id = to.id;
  t.state_type = to.type;
  if (to.type == StateType::kResolved) t.resolved_at = now;
  if (to.type == StateType::kClosed) t.closed_at = now;
  if (IsReopen(from, to.type)) t.resolved_at.reset();
  t.updated_at = now;
  return log.Add(t.id, "state_changed", "state", std::string(Name(from)), std::string(Name(to.type)));
}
}  // namespace

Result<Ticket> TicketService::Transition(const Principal& p, Id id, std::optional<Id> state_id,
                                         std::optional<StateType> type) {
  KEFU_TRY(Need(p, Permission::kTicketsUpdate));
  KEFU_ASSIGN(auto cat, Snapshot());
  const TicketState* target = nullptr;
  if (state_id) {
    target = cat->State(*state_id);
    if (!target) return Fail(Error::Validation("state_id", fmt::format("state {} does not exist", *state_id)));
  } else if (type) {
    target = cat->DefaultState(*type);
    if (!target) return Fail(Error::Validation("state", fmt::format("no state of type {}", Name(*type))));
  } else {
    return Fail(Error::Validation("state", "give state_id or state"));
  }
  Ticket result;
  std::vector<Notification> notifications;
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    notifications.clear();
    KEFU_ASSIGN(Ticket t, Visible(p, tx, id));
    if (t.state_id == target->id) return Fail(Error{ErrorCode::kInvalidTransition, "the complaint is already in that state", "state"});
    bool same_type = t.state_type == target->type && !IsFinal(t.state_type) && target->type != StateType::kNew;
    if (!same_type && !TransitionAllowed(t.state_type, target->type))
      return Fail(Error{ErrorCode::kInvalidTransition,
                        fmt::format("a {} complaint cannot become {}", Name(t.state_type), Name(target->type)), "state"});
    Millis now = clock_.Now();
    EventLog log(tx, &p, now);
    const Ticket before = t;
    KEFU_TRY(MoveTo(t, *target, log, now));
    KEFU_TRY(tx.UpdateTicket(t, before));
    KEFU_TRY(RunHook(tx, TicketTrigger::kUpdated, t, nullptr, notifications));
    result = t;
    return {};
  }));
  Notify("ticket.updated", result, std::move(notifications));
  return result;
}

Result<MessageOutcome> TicketService::AddMessage(const Principal& p, Id id, const NewMessage& m) {
  KEFU_TRY(Need(p, m.kind == MessageKind::kNote ? Permission::kTicketsNote : Permission::kTicketsReply));
  KEFU_TRY(CheckText("body", m.body, 1, 50000, true));
  if (m.author_kind == AuthorKind::kSystem) return Fail(Error::Validation("author_kind", "author_kind must be agent or customer"));
  if (m.kind == MessageKind::kCall) {
    if (!m.call_direction) return Fail(Error::Validation("call_direction", "a call log needs call_direction"));
    if (m.call_duration_seconds && (*m.call_duration_seconds < 0 || *m.call_duration_seconds > 86400))
      return Fail(Error::Validation("call_duration_seconds", "call_duration_seconds must be 0–86400"));
  } else if (m.call_direction || m.call_duration_seconds) {
    return Fail(Error::Validation("call_direction", "only call logs have a direction and duration"));
  }
  if (m.author_kind == AuthorKind::kCustomer && m.kind == MessageKind::kNote)
    return Fail(Error::Validation("kind", "customers do not write internal notes"));
  KEFU_ASSIGN(auto cat, Snapshot());
  MessageOutcome out;
  std::vector<Notification> notifications;
  if (m.author_kind == AuthorKind::kCustomer)
    for (TicketHook* hook : hooks_) hook->Prepare(m.body, false);
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    notifications.clear();
    KEFU_ASSIGN(Ticket t, Visible(p, tx, id));
    Ticket stored = t;  // as it is in the store, for writing back only what changes
    Millis now = clock_.Now();
    EventLog log(tx, &p, now);
    bool from_customer = m.author_kind == AuthorKind::kCustomer ||
                         (m.kind == MessageKind::kCall && m.call_direction == CallDirection::kInbound);
    if (IsFinal(t.state_type)) {
      if (!from_customer || t.state_type == StateType::kMerged)
        return Fail(Error{ErrorCode::kInvalidTransition,
                          "the complaint is closed; a new contact opens a follow-up complaint", "state"});
      // A closed complaint stays closed: the new contact becomes a new
      // complaint linked to it.
      Ticket f = t;
      f.id = 0;
      KEFU_ASSIGN(f.number, tx.NextTicketNumber(UtcDayStamp(now)));
      f.source_ref.reset();
      f.description = m.body;
      const TicketState* initial = cat->DefaultState(StateType::kNew);
      f.state_id = initial->id;
      f.state_type = initial->type;
      f.reopen_count = 0;
      f.emotion = 0;
      f.threats.clear();
      f.red_case = false;
      f.created_at = f.updated_at = now;
      f.first_response_at.reset();
      f.resolved_at.reset();
      f.closed_at.reset();
      KEFU_TRY(tx.InsertTicket(f));
      KEFU_TRY(log.Add(f.id, "created", "state", "", initial->name));
      TicketLink a{0, f.id, t.id, LinkKind::kRelated, p.user.id, now};
      TicketLink b{0, t.id, f.id, LinkKind::kRelated, p.user.id, now};
      KEFU_TRY(tx.InsertLink(a));
      KEFU_TRY(tx.InsertLink(b));
      KEFU_TRY(log.Add(f.id, "linked", "related", "", t.number));
      KEFU_TRY(log.Add(t.id, "linked", "related", "", f.number));
      t = stored = f;
      out.new_ticket = true;
    }
    Message msg;
    msg.ticket_id = t.id;
    msg.kind = m.kind;
    msg.author_kind = m.author_kind;
    if (m.author_kind == AuthorKind::kAgent) msg.author_id = p.user.id;
    msg.channel = m.channel.value_or(m.kind == MessageKind::kCall ? Channel::kPhone : t.channel);
    msg.body = m.body;
    msg.call_direction = m.call_direction;
    msg.call_duration_seconds = m.call_duration_seconds;
    msg.created_at = now;
    KEFU_TRY(tx.InsertMessage(msg));
    KEFU_TRY(log.Add(t.id, "message_added", std::string(Name(m.kind)), "", std::to_string(msg.id),
                     m.author_kind == AuthorKind::kCustomer ? std::optional(AuthorKind::kCustomer) : std::nullopt));
    bool agent_contact = m.author_kind == AuthorKind::kAgent && m.kind != MessageKind::kNote;
    if (agent_contact && !t.first_response_at) t.first_response_at = now;
    if (agent_contact && t.state_type == StateType::kNew) KEFU_TRY(MoveTo(t, *cat->DefaultState(StateType::kOpen), log, now));
    if (m.author_kind == AuthorKind::kCustomer &&
        (t.state_type == StateType::kResolved || t.state_type == StateType::kPendingCustomer))
      KEFU_TRY(MoveTo(t, *cat->DefaultState(StateType::kOpen), log, now));
    t.updated_at = now;
    KEFU_TRY(tx.UpdateTicket(t, stored));
    TicketTrigger trigger = out.new_ticket  ? TicketTrigger::kCreated
                            : from_customer ? TicketTrigger::kCustomerMessage
                                            : TicketTrigger::kUpdated;
    KEFU_TRY(RunHook(tx, trigger, t, &msg, notifications));
    out.message = msg;
    out.ticket = t;
    return {};
  }));
  Notify(out.new_ticket ? "ticket.created" : "ticket.updated", out.ticket, std::move(notifications));
  return out;
}

Result<Handoff> TicketService::CreateHandoff(const Principal& p, Id id, const NewHandoff& in) {
  KEFU_TRY(Need(p, Permission::kHandoffsCreate));
  KEFU_TRY(CheckText("question", in.question, 1, 5000, true));
  KEFU_ASSIGN(auto cat, Snapshot());
  const Department* dep = cat->DepartmentByKey(in.department);
  if (!dep) return Fail(Error::Validation("department", fmt::format("unknown department {}", in.department)));
  Millis now = clock_.Now();
  Millis due = in.due_at.value_or(now + kDefaultHandoffDue);
  if (due <= now) return Fail(Error::Validation("due_at", "due_at must be in the future"));
  if (in.owner_id) {
    auto* owner = cat->UserById(*in.owner_id);
    if (!owner || owner->disabled || owner->department_id != dep->id)
      return Fail(Error::Validation("owner_id", "the owner must be an active user of that department"));
  }
  Handoff h;
  Ticket ticket;
  std::vector<Notification> notifications;
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    KEFU_ASSIGN(Ticket t, Visible(p, tx, id));
    if (IsFinal(t.state_type))
      return Fail(Error{ErrorCode::kInvalidTransition, "a closed or merged complaint cannot be handed off", {}});
    h.ticket_id = id;
    h.department_id = dep->id;
    h.question = in.question;
    h.due_at = due;
    h.owner_id = in.owner_id;
    h.created_by = p.user.id;
    h.created_at = now;
    KEFU_TRY(tx.InsertHandoff(h));
    EventLog log(tx, &p, now);
    KEFU_TRY(log.Add(id, "handoff_created", "department", "", dep->key));
    const Ticket before = t;
    t.updated_at = now;
    KEFU_TRY(tx.UpdateTicket(t, before));
    KEFU_TRY(RunHook(tx, TicketTrigger::kUpdated, t, nullptr, notifications));
    ticket = t;
    return {};
  }));
  Notify("ticket.updated", ticket, std::move(notifications));
  return h;
}

Result<Handoff> TicketService::AnswerHandoff(const Principal& p, Id handoff_id, const std::string& answer) {
  KEFU_TRY(Need(p, Permission::kHandoffsAnswer));
  KEFU_TRY(CheckText("answer", answer, 1, 20000, true));
  Handoff h;
  Ticket ticket;
  std::vector<Notification> notifications;
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    KEFU_ASSIGN(h, tx.GetHandoff(handoff_id));
    if (p.user.role == Role::kDepartmentLiaison && p.user.department_id != h.department_id)
      return Fail(Error::NotFound(fmt::format("hand-off {} not found", handoff_id)));
    if (h.state != HandoffState::kOpen) return Fail(Error::Conflict("the hand-off was already answered", "state"));
    Millis now = clock_.Now();
    h.state = HandoffState::kAnswered;
    h.answer = answer;
    h.answered_at = now;
    h.answered_by = p.user.id;
    KEFU_TRY(tx.UpdateHandoff(h));
    KEFU_ASSIGN(ticket, tx.GetTicket(h.ticket_id));
    EventLog log(tx, &p, now);
    KEFU_TRY(log.Add(h.ticket_id, "handoff_answered", "handoff", "", std::to_string(h.id)));
    const Ticket before = ticket;
    ticket.updated_at = now;
    KEFU_TRY(tx.UpdateTicket(ticket, before));
    return RunHook(tx, TicketTrigger::kUpdated, ticket, nullptr, notifications);
  }));
  Notify("ticket.updated", ticket, std::move(notifications));
  return h;
}

Result<std::vector<TicketService::HandoffItem>> TicketService::ListHandoffs(const Principal& p, HandoffQuery q) {
  if (!p.Can(Permission::kHandoffsAnswer) && !p.Can(Permission::kTicketsReadAll))
    return Fail(Error::Forbidden("listing hand-offs needs handoffs.answer or tickets.read_all"));
  if (p.user.role == Role::kDepartmentLiaison) q.department_id = p.user.department_id.value_or(-1);
  std::vector<HandoffItem> out;
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(auto handoffs, tx.QueryHandoffs(q));
    for (auto& h : handoffs) {
      KEFU_ASSIGN(Ticket t, tx.GetTicket(h.ticket_id));
      out.push_back({std::move(h), t.number, t.subject});
    }
    return {};
  }));
  return out;
}

Result<TicketLink> TicketService::Link(const Principal& p, Id id, Id other_id, LinkKind kind) {
  KEFU_TRY(Need(p, Permission::kTicketsUpdate));
  if (id == other_id) return Fail(Error::Validation("ticket_id", "a complaint cannot link to itself"));
  TicketLink link;
  Ticket ticket;
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    KEFU_ASSIGN(Ticket t, Visible(p, tx, id));
    auto other = Visible(p, tx, other_id);
    if (!other) return Fail(Error::Validation("ticket_id", fmt::format("complaint {} not found", other_id)));
    KEFU_ASSIGN(auto existing, tx.ListLinks(id));
    if (std::ranges::any_of(existing, [&](const TicketLink& l) { return l.other_id == other_id && l.kind == kind; }))
      return Fail(Error::Conflict("the complaints are already linked that way"));
    Millis now = clock_.Now();
    link = {0, id, other_id, kind, p.user.id, now};
    TicketLink back{0, other_id, id, Reciprocal(kind), p.user.id, now};
    KEFU_TRY(tx.InsertLink(link));
    KEFU_TRY(tx.InsertLink(back));
    EventLog log(tx, &p, now);
    KEFU_TRY(log.Add(id, "linked", std::string(Name(kind)), "", other->number));
    KEFU_TRY(log.Add(other_id, "linked", std::string(Name(back.kind)), "", t.number));
    const Ticket before = t;
    t.updated_at = now;
    KEFU_TRY(tx.UpdateTicket(t, before));
    ticket = t;
    return {};
  }));
  Notify("ticket.updated", ticket);
  return link;
}

Status TicketService::Unlink(const Principal& p, Id id, Id link_id) {
  KEFU_TRY(Need(p, Permission::kTicketsUpdate));
  return store_.Write([&](WriteTx& tx) -> Status {
    KEFU_ASSIGN(Ticket t, Visible(p, tx, id));
    KEFU_ASSIGN(auto links, tx.ListLinks(id));
    auto it = std::ranges::find_if(links, [&](const TicketLink& l) { return l.id == link_id; });
    if (it == links.end()) return Fail(Error::NotFound(fmt::format("link {} not found", link_id)));
    KEFU_ASSIGN(auto back_links, tx.ListLinks(it->other_id));
    for (const auto& b : back_links)
      if (b.other_id == id && b.kind == Reciprocal(it->kind)) KEFU_TRY(tx.DeleteLink(b.id));
    KEFU_TRY(tx.DeleteLink(link_id));
    KEFU_ASSIGN(Ticket other, tx.GetTicket(it->other_id));
    EventLog log(tx, &p, clock_.Now());
    KEFU_TRY(log.Add(id, "unlinked", std::string(Name(it->kind)), other.number, ""));
    return log.Add(it->other_id, "unlinked", std::string(Name(Reciprocal(it->kind))), t.number, "");
  });
}

Result<Ticket> TicketService::Merge(const Principal& p, Id id, Id into_id) {
  KEFU_TRY(Need(p, Permission::kTicketsMerge));
  if (id == into_id) return Fail(Error::Validation("into_id", "a complaint cannot be merged into itself"));
  KEFU_ASSIGN(auto cat, Snapshot());
  const TicketState* merged = cat->DefaultState(StateType::kMerged);
  if (!merged) return Fail(Error::Internal("no state of type merged is configured"));
  Ticket source, target;
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    KEFU_ASSIGN(source, Visible(p, tx, id));
    auto into = Visible(p, tx, into_id);
    if (!into) return Fail(Error::Validation("into_id", fmt::format("complaint {} not found", into_id)));
    target = *into;
    if (IsFinal(source.state_type))
      return Fail(Error{ErrorCode::kInvalidTransition, "a closed or merged complaint cannot be merged", "state"});
    if (IsFinal(target.state_type))
      return Fail(Error{ErrorCode::kInvalidTransition, "cannot merge into a closed or merged complaint", "into_id"});
    const Ticket source_before = source, target_before = target;
    Millis now = clock_.Now();
    EventLog log(tx, &p, now);
    KEFU_TRY(log.Add(id, "state_changed", "state", std::string(Name(source.state_type)), "merged"));
    KEFU_TRY(log.Add(id, "merged", "into", "", target.number));
    KEFU_TRY(log.Add(into_id, "merged_from", "from", "", source.number));
    source.state_id = merged->id;
    source.state_type = StateType::kMerged;
    source.merged_into_id = into_id;
    source.updated_at = now;
    TicketLink a{0, id, into_id, LinkKind::kDuplicate, p.user.id, now};
    TicketLink b{0, into_id, id, LinkKind::kDuplicate, p.user.id, now};
    KEFU_ASSIGN(auto existing, tx.ListLinks(id));
    if (std::ranges::none_of(existing, [&](const TicketLink& l) { return l.other_id == into_id && l.kind == LinkKind::kDuplicate; })) {
      KEFU_TRY(tx.InsertLink(a));
      KEFU_TRY(tx.InsertLink(b));
    }
    KEFU_TRY(tx.UpdateTicket(source, source_before));
    target.updated_at = now;
    return tx.UpdateTicket(target, target_before);
  }));
  Notify("ticket.updated", source);
  Notify("ticket.updated", target);
  return source;
}

Result<Customer> TicketService::CreateCustomer(const Principal& p, const CustomerInput& in) {
  KEFU_TRY(Need(p, Permission::kCustomersWrite));
  KEFU_TRY(CheckCustomerInput(in, true));
  if (in.id) return Fail(Error::Validation("id", "id is assigned by kefu"));
  Customer c;
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    if (in.phone) {
      KEFU_ASSIGN(auto other, tx.FindCustomerByPhone(NormalizePhone(*in.phone)));
      if (other) return Fail(Error::Conflict(fmt::format("customer {} has this phone", other->id), "phone"));
    }
    if (in.email) {
      KEFU_ASSIGN(auto other, tx.FindCustomerByEmail(Lower(*in.email)));
      if (other) return Fail(Error::Conflict(fmt::format("customer {} has this email", other->id), "email"));
    }
    if (in.external_id) {
      KEFU_ASSIGN(auto other, tx.FindCustomerByExternalId(*in.external_id));
      if (other) return Fail(Error::Conflict(fmt::format("customer {} has this external_id", other->id), "external_id"));
    }
    KEFU_ASSIGN(c, ResolveCustomer(tx, in, clock_.Now()));
    return {};
  }));
  return c;
}

Result<Customer> TicketService::GetCustomer(const Principal& p, Id id) {
  KEFU_TRY(Need(p, Permission::kCustomersRead));
  Customer c;
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(c, tx.GetCustomer(id));
    return {};
  }));
  return c;
}

Result<Customer> TicketService::UpdateCustomer(const Principal& p, Id id, const CustomerInput& in) {
  KEFU_TRY(Need(p, Permission::kCustomersWrite));
  KEFU_TRY(CheckCustomerInput(in, false));
  Customer c;
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    KEFU_ASSIGN(c, tx.GetCustomer(id));
    Apply(c, in, false);
    c.updated_at = clock_.Now();
    return tx.UpdateCustomer(c);
  }));
  return c;
}

Result<std::vector<Customer>> TicketService::FindCustomers(const Principal& p, const std::string& phone,
                                                           const std::string& email, const std::string& external_id,
                                                           const std::string& prefix) {
  KEFU_TRY(Need(p, Permission::kCustomersRead));
  // Looking people up by contact data is for roles that may see it.
  if ((!phone.empty() || !email.empty()) && !p.Can(Permission::kCustomersPii))
    return Fail(Error::Forbidden("your role may not search by phone or email"));
  std::vector<Customer> out;
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    std::optional<Customer> one;
    if (!phone.empty()) {
      KEFU_ASSIGN(one, tx.FindCustomerByPhone(NormalizePhone(phone)));
    } else if (!email.empty()) {
      KEFU_ASSIGN(one, tx.FindCustomerByEmail(Lower(email)));
    } else if (!external_id.empty()) {
      KEFU_ASSIGN(one, tx.FindCustomerByExternalId(external_id));
    } else {
      std::string key = prefix;
      if (!prefix.empty() && p.Can(Permission::kCustomersPii) && std::isdigit(static_cast<unsigned char>(prefix[0])))
        key = NormalizePhone(prefix);
      KEFU_ASSIGN(out, tx.SearchCustomers(key, 20));
      if (!p.Can(Permission::kCustomersPii))
        std::erase_if(out, [&](const Customer& c) { return c.name.rfind(key, 0) != 0; });
    }
    if (one) out.push_back(*one);
    return {};
  }));
  return out;
}

}  // namespace kefu
