#include "transfer/jsonl.h"

#include <algorithm>
#include <istream>
#include <ostream>
#include <tuple>
#include <unordered_map>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "core/json.h"
#include "core/text.h"
#include "tickets/service.h"

namespace kefu {

namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

constexpr int kPage = 500;
constexpr size_t kMaxTags = 20;

// ---------------------------------------------------------------------------
// Reference data, by id and by the names the file uses.

struct Refs {
  std::unordered_map<Id, std::string> user_names, team_names, category_keys, department_keys;
  std::unordered_map<std::string, Id> users, teams, categories, departments;
  std::vector<TicketState> states;

  Status Load(ReadTx& tx) {
    KEFU_ASSIGN(auto users_list, tx.ListUsers());
    for (const auto& u : users_list) {
      user_names[u.id] = u.username;
      users[u.username] = u.id;
    }
    KEFU_ASSIGN(auto teams_list, tx.ListTeams());
    for (const auto& t : teams_list) {
      team_names[t.id] = t.name;
      teams[t.name] = t.id;
    }
    KEFU_ASSIGN(auto cats, tx.ListCategories());
    for (const auto& c : cats) {
      category_keys[c.id] = c.key;
      categories[c.key] = c.id;
    }
    KEFU_ASSIGN(auto deps, tx.ListDepartments());
    for (const auto& d : deps) {
      department_keys[d.id] = d.key;
      departments[d.key] = d.id;
    }
    KEFU_ASSIGN(states, tx.ListStates());
    return {};
  }

  const TicketState* StateById(Id id) const {
    for (const auto& s : states)
      if (s.id == id) return &s;
    return nullptr;
  }
};

// ---------------------------------------------------------------------------
// Export.

value Str(const std::optional<std::string>& s) { return s ? value(*s) : value(nullptr); }
value Time(std::optional<Millis> t) { return t ? value(FormatRfc3339(*t)) : value(nullptr); }
value NameOf(const std::unordered_map<Id, std::string>& names, std::optional<Id> id) {
  if (!id) return nullptr;
  auto it = names.find(*id);
  return it == names.end() ? value(nullptr) : value(it->second);
}

Result<std::string> ExportLine(ReadTx& tx, const Refs& refs, const Ticket& t) {
  KEFU_ASSIGN(Customer c, tx.GetCustomer(t.customer_id));
  KEFU_ASSIGN(auto messages, tx.ListMessages(t.id));
  KEFU_ASSIGN(auto events, tx.ListEvents(t.id));
  KEFU_ASSIGN(auto handoffs, tx.ListHandoffs(t.id));
  KEFU_ASSIGN(auto links, tx.ListLinks(t.id));

  object o;
  o["number"] = t.number;
  o["subject"] = t.subject;
  o["description"] = t.description;
  o["channel"] = Name(t.channel);
  o["source_ref"] = Str(t.source_ref);
  o["customer"] = object{{"name", c.name},
                         {"phone", Str(c.phone)},
                         {"email", Str(c.email)},
                         {"external_id", Str(c.external_id)},
                         {"tier", Name(c.tier)},
                         {"region", c.region},
                         {"language", c.language},
                         {"time_zone", c.time_zone},
                         {"organization", c.organization}};
  o["category"] = NameOf(refs.category_keys, t.category_id);
  o["severity"] = Name(t.severity);
  o["priority"] = Name(t.priority);
  o["state"] = Name(t.state_type);
  const TicketState* st = refs.StateById(t.state_id);
  o["state_name"] = st ? value(st->name) : value(nullptr);
  o["team"] = NameOf(refs.team_names, t.team_id);
  o["assignee"] = NameOf(refs.user_names, t.assignee_id);
  array tags;
  for (const auto& tag : t.tags) tags.emplace_back(tag);
  o["tags"] = std::move(tags);
  // By username, so that the order does not depend on user ids.
  std::vector<std::string> collaborators;
  for (Id id : t.collaborator_ids) {
    auto it = refs.user_names.find(id);
    if (it != refs.user_names.end()) collaborators.push_back(it->second);
  }
  std::ranges::sort(collaborators);
  array collab;
  for (const auto& u : collaborators) collab.emplace_back(u);
  o["collaborators"] = std::move(collab);
  if (t.merged_into_id) {
    KEFU_ASSIGN(Ticket into, tx.GetTicket(*t.merged_into_id));
    o["merged_into"] = into.number;
  } else {
    o["merged_into"] = nullptr;
  }
  o["reopen_count"] = t.reopen_count;
  o["emotion"] = t.emotion;
  array threats;
  for (ThreatKind k : t.threats) threats.emplace_back(Name(k));
  o["threats"] = std::move(threats);
  o["language"] = t.language;
  o["red_case"] = t.red_case;
  o["created_at"] = Time(t.created_at);
  o["updated_at"] = Time(t.updated_at);
  o["first_response_at"] = Time(t.first_response_at);
  o["resolved_at"] = Time(t.resolved_at);
  o["closed_at"] = Time(t.closed_at);

  array ms;
  for (const auto& m : messages) {
    ms.emplace_back(object{
        {"kind", Name(m.kind)},
        {"author_kind", Name(m.author_kind)},
        {"author", NameOf(refs.user_names, m.author_id)},
        {"channel", Name(m.channel)},
        {"body", m.body},
        {"call_direction", m.call_direction ? value(Name(*m.call_direction)) : value(nullptr)},
        {"call_duration_seconds", m.call_duration_seconds ? value(*m.call_duration_seconds) : value(nullptr)},
        {"created_at", Time(m.created_at)}});
  }
  o["messages"] = std::move(ms);

  array es;
  for (const auto& e : events) {
    es.emplace_back(object{{"at", Time(e.at)},
                           {"actor_kind", Name(e.actor_kind)},
                           {"actor", NameOf(refs.user_names, e.actor_id)},
                           {"type", e.type},
                           {"field", e.field},
                           {"from", e.from},
                           {"to", e.to},
                           {"detail", e.detail}});
  }
  o["events"] = std::move(es);

  array hs;
  for (const auto& h : handoffs) {
    hs.emplace_back(object{{"department", NameOf(refs.department_keys, h.department_id)},
                           {"question", h.question},
                           {"due_at", Time(h.due_at)},
                           {"owner", NameOf(refs.user_names, h.owner_id)},
                           {"state", Name(h.state)},
                           {"answer", h.answer},
                           {"answered_at", Time(h.answered_at)},
                           {"answered_by", NameOf(refs.user_names, h.answered_by)},
                           {"created_by", NameOf(refs.user_names, h.created_by)},
                           {"created_at", Time(h.created_at)}});
  }
  o["handoffs"] = std::move(hs);

  // By the other complaint's number, so that the order does not depend on
  // the order in which an import could apply them.
  struct LinkOut {
    std::string number;
    LinkKind kind;
    std::optional<Id> created_by;
    Millis created_at;
  };
  std::vector<LinkOut> link_out;
  for (const auto& l : links) {
    KEFU_ASSIGN(Ticket other, tx.GetTicket(l.other_id));
    link_out.push_back({other.number, l.kind, l.created_by, l.created_at});
  }
  std::ranges::sort(link_out, [](const LinkOut& a, const LinkOut& b) {
    return std::tie(a.number, a.kind, a.created_at) < std::tie(b.number, b.kind, b.created_at);
  });
  array ls;
  for (const auto& l : link_out) {
    ls.emplace_back(object{{"kind", Name(l.kind)},
                           {"number", l.number},
                           {"created_by", NameOf(refs.user_names, l.created_by)},
                           {"created_at", Time(l.created_at)}});
  }
  o["links"] = std::move(ls);
  return boost::json::serialize(o);
}

// ---------------------------------------------------------------------------
// Import: reading and validating one line, with no store access beyond the
// reference data loaded up front.

struct LinkIn {
  LinkKind kind = LinkKind::kRelated;
  std::string number;
  std::optional<Id> created_by;
  Millis created_at = 0;
  std::string field;  // "links[2]", for the report
};

struct Record {
  Ticket t;
  std::optional<std::string> number;
  Customer customer;
  std::vector<Message> messages;
  std::vector<TicketEvent> events;
  std::vector<Handoff> handoffs;
  std::vector<LinkIn> links;
  std::optional<std::string> merged_into;
};

std::string Path(std::string_view prefix, std::string_view key) {
  return prefix.empty() ? std::string(key) : fmt::format("{}.{}", prefix, key);
}

Error Invalid(const std::string& field, std::string message) { return Error::Validation(field, std::move(message)); }

template <typename E>
Result<std::optional<E>> OptEnum(const object& o, std::string_view key, const std::string& field) {
  KEFU_ASSIGN(auto s, json::OptString(o, key, field));
  if (!s) return std::optional<E>();
  auto v = Parse<E>(*s);
  if (!v) return Fail(Invalid(field, fmt::format("{} must be one of {}, not \"{}\"", field, AllowedNames<E>(), *s)));
  return std::optional<E>(*v);
}

template <typename E>
Result<E> ReqEnum(const object& o, std::string_view key, const std::string& field) {
  KEFU_ASSIGN(auto v, OptEnum<E>(o, key, field));
  if (!v) return Fail(Invalid(field, fmt::format("{} is required: {}", field, AllowedNames<E>())));
  return *v;
}

Result<std::optional<Millis>> OptTime(const object& o, std::string_view key, const std::string& field) {
  KEFU_ASSIGN(auto s, json::OptString(o, key, field));
  if (!s) return std::optional<Millis>();
  auto t = ParseRfc3339(*s);
  if (!t)
    return Fail(Invalid(field, fmt::format("{} must be an RFC 3339 date-time such as 2026-03-01T09:30:00Z, not \"{}\"",
                                           field, *s)));
  return std::optional<Millis>(*t);
}

Result<Millis> ReqTime(const object& o, std::string_view key, const std::string& field) {
  KEFU_ASSIGN(auto t, OptTime(o, key, field));
  if (!t) return Fail(Invalid(field, fmt::format("{} is required", field)));
  return *t;
}

// A string checked with CheckText; absent or null gives nullopt.
Result<std::optional<std::string>> OptText(const object& o, std::string_view key, const std::string& field, size_t min,
                                           size_t max, bool multiline = false) {
  KEFU_ASSIGN(auto s, json::OptString(o, key, field));
  if (s) KEFU_TRY(CheckText(field, *s, min, max, multiline));
  return s;
}

Result<const array*> OptArray(const object& o, std::string_view key, const std::string& field) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return static_cast<const array*>(nullptr);
  if (!it->value().is_array()) return Fail(Invalid(field, fmt::format("{} must be an array", field)));
  return &it->value().get_array();
}

Result<const object*> Element(const value& v, const std::string& field) {
  if (!v.is_object()) return Fail(Invalid(field, fmt::format("{} must be an object", field)));
  return &v.get_object();
}

// A reference by name: absent or null gives nullopt; unknown names fail.
Result<std::optional<Id>> Ref(const object& o, std::string_view key, const std::string& field,
                              const std::unordered_map<std::string, Id>& names, std::string_view what) {
  KEFU_ASSIGN(auto s, json::OptString(o, key, field));
  if (!s) return std::optional<Id>();
  auto it = names.find(*s);
  if (it == names.end()) return Fail(Invalid(field, fmt::format("{}: no {} \"{}\" exists", field, what, *s)));
  return std::optional<Id>(it->second);
}

Result<std::optional<Id>> UserRef(const object& o, std::string_view key, const std::string& field, const Refs& refs) {
  return Ref(o, key, field, refs.users, "user named");
}

bool ValidNumber(const std::string& n) {
  if (n.size() < 14 || n.size() > 15 || n[8] != '-') return false;  // 5 or 6 digits after the dash
  for (size_t i = 0; i < n.size(); ++i)
    if (i != 8 && (n[i] < '0' || n[i] > '9')) return false;
  auto day = fmt::format("{}-{}-{}T00:00:00Z", n.substr(0, 4), n.substr(4, 2), n.substr(6, 2));
  return ParseRfc3339(day).has_value();
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Status ReadCustomer(const object& line, Record& r) {
  KEFU_ASSIGN(const object* co, json::OptObject(line, "customer"));
  if (!co) return Fail(Invalid("customer", "customer is required"));
  Customer& c = r.customer;
  KEFU_ASSIGN(auto name, OptText(*co, "name", "customer.name", 1, 100));
  KEFU_ASSIGN(auto phone, OptText(*co, "phone", "customer.phone", 0, 32));
  KEFU_ASSIGN(auto email, OptText(*co, "email", "customer.email", 0, 254));
  KEFU_ASSIGN(auto external_id, OptText(*co, "external_id", "customer.external_id", 0, 100));
  if (phone && !phone->empty()) {
    std::string digits = NormalizePhone(*phone);
    if (digits.size() < 3 || std::ranges::any_of(*phone, [](char ch) {
          return !(std::isdigit(static_cast<unsigned char>(ch)) || ch == '+' || ch == '-' || ch == ' ' || ch == '(' ||
                   ch == ')');
        }))
      return Fail(Invalid("customer.phone", "customer.phone may contain digits, spaces, '+', '-', '(' and ')'"));
    c.phone = digits;
  }
  if (email && !email->empty()) {
    auto at = email->find('@');
    if (at == std::string::npos || at == 0 || at + 1 >= email->size() || email->find(' ') != std::string::npos)
      return Fail(Invalid("customer.email", "customer.email is not an address"));
    c.email = Lower(*email);
  }
  if (external_id && !external_id->empty()) c.external_id = *external_id;
  KEFU_ASSIGN(auto tier, OptEnum<Tier>(*co, "tier", "customer.tier"));
  c.tier = tier.value_or(Tier::kRegular);
  KEFU_ASSIGN(auto region, OptText(*co, "region", "customer.region", 0, 64));
  KEFU_ASSIGN(auto language, OptText(*co, "language", "customer.language", 0, 16));
  KEFU_ASSIGN(auto time_zone, OptText(*co, "time_zone", "customer.time_zone", 0, 64));
  KEFU_ASSIGN(auto organization, OptText(*co, "organization", "customer.organization", 0, 200));
  c.region = region.value_or("");
  c.language = language.value_or("");
  c.time_zone = time_zone.value_or("");
  c.organization = organization.value_or("");
  if (name) {
    c.name = *name;
  } else if (c.phone || c.email || c.external_id) {
    c.name = c.phone.value_or(c.email.value_or(c.external_id.value_or("")));
  } else {
    return Fail(Invalid("customer", "a customer needs at least a name, phone, email or external_id"));
  }
  return {};
}

Status ReadMessages(const object& line, const Refs& refs, Record& r) {
  KEFU_ASSIGN(const array* list, OptArray(line, "messages", "messages"));
  if (!list) return {};
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string p = fmt::format("messages[{}]", i);
    KEFU_ASSIGN(const object* mo, Element((*list)[i], p));
    Message m;
    KEFU_ASSIGN(m.kind, ReqEnum<MessageKind>(*mo, "kind", Path(p, "kind")));
    KEFU_ASSIGN(m.author_kind, ReqEnum<AuthorKind>(*mo, "author_kind", Path(p, "author_kind")));
    KEFU_ASSIGN(m.author_id, UserRef(*mo, "author", Path(p, "author"), refs));
    if (m.author_id && m.author_kind != AuthorKind::kAgent)
      return Fail(Invalid(Path(p, "author"), fmt::format("{}: only agent messages have an author", Path(p, "author"))));
    KEFU_ASSIGN(auto channel, OptEnum<Channel>(*mo, "channel", Path(p, "channel")));
    m.channel = channel.value_or(r.t.channel);
    KEFU_ASSIGN(auto body, OptText(*mo, "body", Path(p, "body"), 1, 50000, true));
    if (!body) return Fail(Invalid(Path(p, "body"), fmt::format("{} is required", Path(p, "body"))));
    m.body = std::move(*body);
    KEFU_ASSIGN(m.call_direction, OptEnum<CallDirection>(*mo, "call_direction", Path(p, "call_direction")));
    KEFU_ASSIGN(m.call_duration_seconds, json::OptInt(*mo, "call_duration_seconds", Path(p, "call_duration_seconds")));
    if (m.kind != MessageKind::kCall && (m.call_direction || m.call_duration_seconds))
      return Fail(Invalid(Path(p, "call_direction"),
                          fmt::format("{}: only call logs have a direction and duration", Path(p, "call_direction"))));
    if (m.call_duration_seconds && (*m.call_duration_seconds < 0 || *m.call_duration_seconds > 86400))
      return Fail(Invalid(Path(p, "call_duration_seconds"),
                          fmt::format("{} must be 0–86400", Path(p, "call_duration_seconds"))));
    KEFU_ASSIGN(m.created_at, ReqTime(*mo, "created_at", Path(p, "created_at")));
    r.messages.push_back(std::move(m));
  }
  return {};
}

Status ReadEvents(const object& line, const Refs& refs, Record& r) {
  KEFU_ASSIGN(const array* list, OptArray(line, "events", "events"));
  if (!list) return {};
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string p = fmt::format("events[{}]", i);
    KEFU_ASSIGN(const object* eo, Element((*list)[i], p));
    TicketEvent e;
    KEFU_ASSIGN(e.at, ReqTime(*eo, "at", Path(p, "at")));
    KEFU_ASSIGN(e.actor_kind, ReqEnum<AuthorKind>(*eo, "actor_kind", Path(p, "actor_kind")));
    KEFU_ASSIGN(e.actor_id, UserRef(*eo, "actor", Path(p, "actor"), refs));
    if (e.actor_id && e.actor_kind != AuthorKind::kAgent)
      return Fail(Invalid(Path(p, "actor"), fmt::format("{}: only agent events have an actor", Path(p, "actor"))));
    KEFU_ASSIGN(auto type, OptText(*eo, "type", Path(p, "type"), 1, 64));
    if (!type) return Fail(Invalid(Path(p, "type"), fmt::format("{} is required", Path(p, "type"))));
    e.type = std::move(*type);
    KEFU_ASSIGN(auto field, OptText(*eo, "field", Path(p, "field"), 0, 200));
    KEFU_ASSIGN(auto from, OptText(*eo, "from", Path(p, "from"), 0, 50000, true));
    KEFU_ASSIGN(auto to, OptText(*eo, "to", Path(p, "to"), 0, 50000, true));
    KEFU_ASSIGN(auto detail, OptText(*eo, "detail", Path(p, "detail"), 0, 2000, true));
    e.field = field.value_or("");
    e.from = from.value_or("");
    e.to = to.value_or("");
    e.detail = detail.value_or("");
    r.events.push_back(std::move(e));
  }
  return {};
}

Status ReadHandoffs(const object& line, const Refs& refs, Record& r) {
  KEFU_ASSIGN(const array* list, OptArray(line, "handoffs", "handoffs"));
  if (!list) return {};
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string p = fmt::format("handoffs[{}]", i);
    KEFU_ASSIGN(const object* ho, Element((*list)[i], p));
    Handoff h;
    KEFU_ASSIGN(auto dep, Ref(*ho, "department", Path(p, "department"), refs.departments, "department with key"));
    if (!dep) return Fail(Invalid(Path(p, "department"), fmt::format("{} is required", Path(p, "department"))));
    h.department_id = *dep;
    KEFU_ASSIGN(auto question, OptText(*ho, "question", Path(p, "question"), 1, 5000, true));
    if (!question) return Fail(Invalid(Path(p, "question"), fmt::format("{} is required", Path(p, "question"))));
    h.question = std::move(*question);
    KEFU_ASSIGN(h.due_at, ReqTime(*ho, "due_at", Path(p, "due_at")));
    KEFU_ASSIGN(h.owner_id, UserRef(*ho, "owner", Path(p, "owner"), refs));
    KEFU_ASSIGN(auto state, OptEnum<HandoffState>(*ho, "state", Path(p, "state")));
    h.state = state.value_or(HandoffState::kOpen);
    KEFU_ASSIGN(auto answer, OptText(*ho, "answer", Path(p, "answer"), 0, 20000, true));
    h.answer = answer.value_or("");
    KEFU_ASSIGN(h.answered_at, OptTime(*ho, "answered_at", Path(p, "answered_at")));
    KEFU_ASSIGN(h.answered_by, UserRef(*ho, "answered_by", Path(p, "answered_by"), refs));
    KEFU_ASSIGN(h.created_by, UserRef(*ho, "created_by", Path(p, "created_by"), refs));
    KEFU_ASSIGN(h.created_at, ReqTime(*ho, "created_at", Path(p, "created_at")));
    r.handoffs.push_back(std::move(h));
  }
  return {};
}

Status ReadLinks(const object& line, const Refs& refs, Record& r) {
  KEFU_ASSIGN(const array* list, OptArray(line, "links", "links"));
  if (!list) return {};
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string p = fmt::format("links[{}]", i);
    KEFU_ASSIGN(const object* lo, Element((*list)[i], p));
    LinkIn l;
    l.field = p;
    KEFU_ASSIGN(l.kind, ReqEnum<LinkKind>(*lo, "kind", Path(p, "kind")));
    KEFU_ASSIGN(auto number, json::OptString(*lo, "number", Path(p, "number")));
    if (!number || number->empty())
      return Fail(Invalid(Path(p, "number"), fmt::format("{} is required", Path(p, "number"))));
    if (r.number && *number == *r.number)
      return Fail(Invalid(Path(p, "number"), fmt::format("{}: a complaint cannot link to itself", Path(p, "number"))));
    l.number = std::move(*number);
    KEFU_ASSIGN(l.created_by, UserRef(*lo, "created_by", Path(p, "created_by"), refs));
    KEFU_ASSIGN(auto at, OptTime(*lo, "created_at", Path(p, "created_at")));
    l.created_at = at.value_or(r.t.created_at);
    r.links.push_back(std::move(l));
  }
  return {};
}

Result<Record> ReadLine(std::string_view text, const Refs& refs) {
  auto doc = json::ParseDocument(text);
  if (!doc) return Fail(Invalid("", doc.error().message));
  if (!doc->is_object()) return Fail(Invalid("", "each line must be a JSON object"));
  const object& o = doc->get_object();
  Record r;
  Ticket& t = r.t;

  KEFU_ASSIGN(r.number, json::OptString(o, "number", "number"));
  if (r.number && !ValidNumber(*r.number))
    return Fail(Invalid("number", fmt::format("number must look like YYYYMMDD-NNNNN, not \"{}\"; put other "
                                              "systems' ids into source_ref",
                                              *r.number)));
  KEFU_ASSIGN(auto subject, OptText(o, "subject", "subject", 1, 200));
  if (!subject) return Fail(Invalid("subject", "subject is required"));
  t.subject = std::move(*subject);
  KEFU_ASSIGN(auto description, OptText(o, "description", "description", 0, 20000, true));
  t.description = description.value_or("");
  KEFU_ASSIGN(t.channel, ReqEnum<Channel>(o, "channel", "channel"));
  KEFU_ASSIGN(t.source_ref, OptText(o, "source_ref", "source_ref", 1, 200));
  KEFU_ASSIGN(t.created_at, ReqTime(o, "created_at", "created_at"));
  KEFU_ASSIGN(auto updated_at, OptTime(o, "updated_at", "updated_at"));
  t.updated_at = updated_at.value_or(t.created_at);
  KEFU_ASSIGN(t.first_response_at, OptTime(o, "first_response_at", "first_response_at"));
  KEFU_ASSIGN(t.resolved_at, OptTime(o, "resolved_at", "resolved_at"));
  KEFU_ASSIGN(t.closed_at, OptTime(o, "closed_at", "closed_at"));
  KEFU_TRY(ReadCustomer(o, r));

  KEFU_ASSIGN(t.category_id, Ref(o, "category", "category", refs.categories, "category with key"));
  KEFU_ASSIGN(auto severity, OptEnum<Severity>(o, "severity", "severity"));
  t.severity = severity.value_or(Severity::kNormal);
  KEFU_ASSIGN(auto priority, OptEnum<Priority>(o, "priority", "priority"));
  t.priority = priority.value_or(Priority::kNormal);

  KEFU_ASSIGN(auto state_type, OptEnum<StateType>(o, "state", "state"));
  t.state_type = state_type.value_or(StateType::kNew);
  KEFU_ASSIGN(auto state_name, json::OptString(o, "state_name", "state_name"));
  const TicketState* state = nullptr;
  for (const auto& s : refs.states) {
    if (s.type != t.state_type) continue;
    if (state_name ? s.name == *state_name : (!state || (s.is_default && !state->is_default))) state = &s;
  }
  if (!state && state_name)
    return Fail(Invalid("state_name", fmt::format("state_name: no state named \"{}\" of type {} exists", *state_name,
                                                  Name(t.state_type))));
  if (!state) return Fail(Invalid("state", fmt::format("state: no state of type {} is configured", Name(t.state_type))));
  t.state_id = state->id;

  KEFU_ASSIGN(t.team_id, Ref(o, "team", "team", refs.teams, "team named"));
  KEFU_ASSIGN(t.assignee_id, UserRef(o, "assignee", "assignee", refs));
  KEFU_ASSIGN(auto tags, json::OptStringArray(o, "tags"));
  for (const auto& tag : tags.value_or(std::vector<std::string>{})) {
    KEFU_TRY(CheckText("tags", tag, 1, 50));
    if (tag.find(',') != std::string::npos) return Fail(Invalid("tags", "a tag may not contain ','"));
    if (std::ranges::find(t.tags, tag) == t.tags.end()) t.tags.push_back(tag);
  }
  if (t.tags.size() > kMaxTags) return Fail(Invalid("tags", fmt::format("at most {} tags", kMaxTags)));
  KEFU_ASSIGN(auto collaborators, json::OptStringArray(o, "collaborators"));
  for (const auto& name : collaborators.value_or(std::vector<std::string>{})) {
    auto it = refs.users.find(name);
    if (it == refs.users.end())
      return Fail(Invalid("collaborators", fmt::format("collaborators: no user named \"{}\" exists", name)));
    if (std::ranges::find(t.collaborator_ids, it->second) == t.collaborator_ids.end())
      t.collaborator_ids.push_back(it->second);
  }
  KEFU_ASSIGN(r.merged_into, json::OptString(o, "merged_into", "merged_into"));
  KEFU_ASSIGN(auto reopen_count, json::OptInt(o, "reopen_count", "reopen_count"));
  if (reopen_count && (*reopen_count < 0 || *reopen_count > 1000000))
    return Fail(Invalid("reopen_count", "reopen_count must be a count ≥ 0"));
  t.reopen_count = static_cast<int>(reopen_count.value_or(0));
  KEFU_ASSIGN(auto emotion, json::OptInt(o, "emotion", "emotion"));
  if (emotion && (*emotion < 0 || *emotion > 4)) return Fail(Invalid("emotion", "emotion must be 0–4"));
  t.emotion = static_cast<int>(emotion.value_or(0));
  KEFU_ASSIGN(auto threats, json::OptStringArray(o, "threats"));
  for (const auto& name : threats.value_or(std::vector<std::string>{})) {
    auto k = Parse<ThreatKind>(name);
    if (!k) return Fail(Invalid("threats", "threats: each one of " + AllowedNames<ThreatKind>()));
    t.threats.push_back(*k);
  }
  KEFU_ASSIGN(auto language, OptText(o, "language", "language", 0, 16));
  t.language = language.value_or("");
  KEFU_ASSIGN(auto red_case, json::OptBool(o, "red_case"));
  t.red_case = red_case.value_or(false);

  KEFU_TRY(ReadMessages(o, refs, r));
  KEFU_TRY(ReadEvents(o, refs, r));
  KEFU_TRY(ReadHandoffs(o, refs, r));
  KEFU_TRY(ReadLinks(o, refs, r));
  return r;
}

// ---------------------------------------------------------------------------
// Import: writing one record.

struct PendingLink {
  int line = 0;
  Id ticket_id = 0;
  LinkIn link;
};

struct PendingMerge {
  int line = 0;
  Id ticket_id = 0;
  std::string number;
};

struct Outcome {
  bool skipped = false;
  Id ticket_id = 0;
  std::vector<LinkIn> pending_links;
  std::optional<std::string> pending_merge;
};

using NumberMap = std::unordered_map<std::string, Id>;  // number in the file -> complaint id

Result<std::optional<Id>> FindByNumber(ReadTx& tx, const NumberMap& seen, const std::string& number) {
  auto it = seen.find(number);
  if (it != seen.end()) return std::optional<Id>(it->second);
  KEFU_ASSIGN(auto t, tx.FindTicketByNumber(number));
  return t ? std::optional<Id>(t->id) : std::nullopt;
}

// Moves the day's number counter to at least the sequence of `number`, so
// that complaints created later never get an imported number.
Status AdvanceCounter(WriteTx& tx, const std::string& number) {
  const std::string day = number.substr(0, 8);
  const long long want = std::stoll(number.substr(9));
  for (long long i = 0; i <= want; ++i) {
    KEFU_ASSIGN(std::string got, tx.NextTicketNumber(day));
    auto dash = got.find('-');
    if (dash == std::string::npos || std::stoll(got.substr(dash + 1)) >= want) return {};
  }
  return {};
}

Result<Id> ResolveCustomer(WriteTx& tx, Customer c, Millis at) {
  std::optional<Customer> found;
  if (c.external_id) {
    KEFU_ASSIGN(found, tx.FindCustomerByExternalId(*c.external_id));
  }
  if (!found && c.phone) {
    KEFU_ASSIGN(found, tx.FindCustomerByPhone(*c.phone));
  }
  if (!found && c.email) {
    KEFU_ASSIGN(found, tx.FindCustomerByEmail(*c.email));
  }
  if (found) return found->id;
  c.created_at = c.updated_at = at;
  KEFU_TRY(tx.InsertCustomer(c));
  return c.id;
}

Status WriteRecord(WriteTx& tx, Record& r, const NumberMap& seen, Outcome& out) {
  std::optional<Ticket> existing;
  if (r.t.source_ref) {
    KEFU_ASSIGN(existing, tx.FindTicketBySourceRef(*r.t.source_ref));
  } else if (r.number) {
    KEFU_ASSIGN(existing, tx.FindTicketByNumber(*r.number));
  }
  if (existing) {
    out.skipped = true;
    out.ticket_id = existing->id;
    out.pending_links = r.links;  // applied in the second pass when missing
    return {};
  }

  Ticket& t = r.t;
  if (r.number) {
    KEFU_ASSIGN(auto taken, tx.FindTicketByNumber(*r.number));
    if (!taken) {
      KEFU_TRY(AdvanceCounter(tx, *r.number));
      t.number = *r.number;
    }
  }
  for (int attempt = 0; t.number.empty(); ++attempt) {
    if (attempt > 1000) return Fail(Error::Internal("could not allocate a complaint number"));
    KEFU_ASSIGN(std::string candidate, tx.NextTicketNumber(UtcDayStamp(t.created_at)));
    KEFU_ASSIGN(auto taken, tx.FindTicketByNumber(candidate));
    if (!taken) t.number = std::move(candidate);
  }
  KEFU_ASSIGN(t.customer_id, ResolveCustomer(tx, r.customer, t.created_at));
  if (r.merged_into) {
    KEFU_ASSIGN(auto into, FindByNumber(tx, seen, *r.merged_into));
    if (into)
      t.merged_into_id = *into;
    else
      out.pending_merge = r.merged_into;
  }
  KEFU_TRY(tx.InsertTicket(t));
  out.ticket_id = t.id;
  for (auto& m : r.messages) {
    m.ticket_id = t.id;
    KEFU_TRY(tx.InsertMessage(m));
  }
  for (auto& h : r.handoffs) {
    h.ticket_id = t.id;
    KEFU_TRY(tx.InsertHandoff(h));
  }
  for (auto& e : r.events) {
    e.ticket_id = t.id;
    KEFU_TRY(tx.InsertEvent(e));
  }
  for (const auto& l : r.links) {
    KEFU_ASSIGN(auto other, FindByNumber(tx, seen, l.number));
    if (!other) {
      out.pending_links.push_back(l);
      continue;
    }
    if (*other == t.id) continue;
    TicketLink link{0, t.id, *other, l.kind, l.created_by, l.created_at};
    KEFU_ASSIGN(auto present, tx.ListLinks(t.id));
    if (std::ranges::any_of(present, [&](const TicketLink& p) { return p.other_id == *other && p.kind == l.kind; }))
      continue;
    KEFU_TRY(tx.InsertLink(link));
  }
  return {};
}

// "line 7: field: message", without repeating the field when the message
// starts with it.
std::string Report(int line, const Error& e) {
  if (e.field.empty()) return fmt::format("line {}: {}", line, e.message);
  std::string_view message = e.message;
  if (message.starts_with(e.field)) {
    std::string_view rest = message.substr(e.field.size());
    if (rest.starts_with(": ")) rest.remove_prefix(2);
    else if (rest.starts_with(" ")) rest.remove_prefix(1);
    message = rest;
  }
  return fmt::format("line {}: {}: {}", line, e.field, message);
}

}  // namespace

Result<ImportReport> ImportJsonl(Store& store, std::istream& in) {
  ImportReport report;
  Refs refs;
  KEFU_TRY(store.Read([&](ReadTx& tx) { return refs.Load(tx); }));

  NumberMap seen;
  std::vector<PendingLink> pending_links;
  std::vector<PendingMerge> pending_merges;
  std::string text;
  int line = 0;
  while (std::getline(in, text)) {
    ++line;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.find_first_not_of(" \t") == std::string::npos) continue;
    auto record = ReadLine(text, refs);
    if (!record) {
      report.failed++;
      report.errors.push_back(Report(line, record.error()));
      continue;
    }
    Outcome out;
    Status written = store.Write([&](WriteTx& tx) -> Status {
      out = Outcome{};
      return WriteRecord(tx, *record, seen, out);
    });
    if (!written) {
      report.failed++;
      report.errors.push_back(Report(line, written.error()));
      continue;
    }
    if (out.skipped)
      report.skipped_existing++;
    else
      report.imported++;
    if (record->number) seen[*record->number] = out.ticket_id;
    for (auto& l : out.pending_links) pending_links.push_back({line, out.ticket_id, std::move(l)});
    if (out.pending_merge) pending_merges.push_back({line, out.ticket_id, *out.pending_merge});
  }
  if (in.bad()) return Fail(Error::Internal(fmt::format("reading the import stopped after line {}", line)));

  // Second pass: links and merges to complaints later in the file.
  for (const auto& p : pending_links) {
    bool missing = false;
    Status done = store.Write([&](WriteTx& tx) -> Status {
      missing = false;
      KEFU_ASSIGN(auto other, FindByNumber(tx, seen, p.link.number));
      if (!other) {
        missing = true;
        return {};
      }
      if (*other == p.ticket_id) return {};
      KEFU_ASSIGN(auto present, tx.ListLinks(p.ticket_id));
      if (std::ranges::any_of(present,
                              [&](const TicketLink& l) { return l.other_id == *other && l.kind == p.link.kind; }))
        return {};
      TicketLink link{0, p.ticket_id, *other, p.link.kind, p.link.created_by, p.link.created_at};
      return tx.InsertLink(link);
    });
    if (!done) {
      report.errors.push_back(Report(p.line, done.error()));
    } else if (missing) {
      report.errors.push_back(fmt::format("line {}: {}.number: complaint {} was not found; link skipped", p.line,
                                          p.link.field, p.link.number));
    }
  }
  for (const auto& p : pending_merges) {
    bool missing = false;
    Status done = store.Write([&](WriteTx& tx) -> Status {
      missing = false;
      KEFU_ASSIGN(auto into, FindByNumber(tx, seen, p.number));
      if (!into) {
        missing = true;
        return {};
      }
      KEFU_ASSIGN(Ticket t, tx.GetTicket(p.ticket_id));
      if (t.merged_into_id == *into) return {};
      t.merged_into_id = *into;
      return tx.UpdateTicket(t);
    });
    if (!done) {
      report.errors.push_back(Report(p.line, done.error()));
    } else if (missing) {
      report.errors.push_back(
          fmt::format("line {}: merged_into: complaint {} was not found; left unset", p.line, p.number));
    }
  }
  return report;
}

Status ExportJsonl(Store& store, std::ostream& out) {
  Id after = 0;
  for (bool more = true; more;) {
    KEFU_TRY(store.Read([&](ReadTx& tx) -> Status {
      Refs refs;
      KEFU_TRY(refs.Load(tx));
      KEFU_ASSIGN(auto page, tx.TicketsAfter(after, kPage));
      for (const auto& t : page) {
        KEFU_ASSIGN(std::string line, ExportLine(tx, refs, t));
        out << line << '\n';
      }
      more = static_cast<int>(page.size()) == kPage;
      if (!page.empty()) after = page.back().id;
      return {};
    }));
    if (!out) return Fail(Error::Internal("writing the export failed"));
  }
  out.flush();
  if (!out) return Fail(Error::Internal("writing the export failed"));
  return {};
}

}  // namespace kefu
