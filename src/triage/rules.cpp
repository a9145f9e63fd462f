#include "triage/rules.h"

#include <algorithm>
#include <array>
#include <span>
#include <unordered_set>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "nlp/text.h"

namespace kefu::triage {

namespace bj = boost::json;

std::string_view TriggerName(Trigger t) {
  switch (t) {
    case Trigger::kCreated: return "created";
    case Trigger::kUpdated: return "updated";
    case Trigger::kCustomerMessage: return "customer_message";
  }
  return "created";
}

namespace {

enum class Field {
  kChannel, kSeverity, kPriority, kCategory, kTeam, kAssignee, kState, kTags, kLanguage, kEmotion, kThreat,
  kRedCase, kText, kSubject, kTier, kRegion, kCustomerLanguage, kOrganization, kComplaints, kFailures,
  kBusinessHours, kTrigger,
};
// How a field's values compare.
enum class Kind { kName, kNumber, kList, kText, kBool };

struct FieldInfo {
  std::string_view name;
  Field field;
  Kind kind;
};
constexpr std::array kFields = {
    FieldInfo{"channel", Field::kChannel, Kind::kName},
    FieldInfo{"severity", Field::kSeverity, Kind::kName},
    FieldInfo{"priority", Field::kPriority, Kind::kName},
    FieldInfo{"category", Field::kCategory, Kind::kName},
    FieldInfo{"team", Field::kTeam, Kind::kNumber},
    FieldInfo{"assignee", Field::kAssignee, Kind::kNumber},
    FieldInfo{"state", Field::kState, Kind::kName},
    FieldInfo{"tags", Field::kTags, Kind::kList},
    FieldInfo{"language", Field::kLanguage, Kind::kName},
    FieldInfo{"emotion", Field::kEmotion, Kind::kNumber},
    FieldInfo{"threat", Field::kThreat, Kind::kList},
    FieldInfo{"red_case", Field::kRedCase, Kind::kBool},
    FieldInfo{"text", Field::kText, Kind::kText},
    FieldInfo{"subject", Field::kSubject, Kind::kText},
    FieldInfo{"customer.tier", Field::kTier, Kind::kName},
    FieldInfo{"customer.region", Field::kRegion, Kind::kName},
    FieldInfo{"customer.language", Field::kCustomerLanguage, Kind::kName},
    FieldInfo{"customer.organization", Field::kOrganization, Kind::kName},
    FieldInfo{"customer.complaints", Field::kComplaints, Kind::kNumber},
    FieldInfo{"customer.service_failures", Field::kFailures, Kind::kNumber},
    FieldInfo{"business_hours", Field::kBusinessHours, Kind::kBool},
    FieldInfo{"trigger", Field::kTrigger, Kind::kName},
};

enum class Op { kEq, kNe, kIn, kNotIn, kGt, kGte, kLt, kLte, kContainsAny, kContainsAll, kIsSet, kNotSet };
constexpr std::array<std::string_view, 12> kOpNames = {"eq",  "ne",  "in",  "not_in",       "gt",           "gte",
                                                       "lt",  "lte", "contains_any", "contains_all", "is_set", "not_set"};

bool OpFits(Kind kind, Op op) {
  switch (kind) {
    case Kind::kName: return op == Op::kEq || op == Op::kNe || op == Op::kIn || op == Op::kNotIn ||
                             op == Op::kIsSet || op == Op::kNotSet;
    case Kind::kNumber: return op != Op::kContainsAny && op != Op::kContainsAll;
    case Kind::kList: return op == Op::kContainsAny || op == Op::kContainsAll || op == Op::kIsSet || op == Op::kNotSet;
    case Kind::kText: return op == Op::kContainsAny || op == Op::kContainsAll;
    case Kind::kBool: return op == Op::kEq || op == Op::kNe;
  }
  return false;
}

}  // namespace

// A condition as it is evaluated: its nodes in pre-order in one array and
// the values of its leaves in two more, so that a rule's condition is read
// from a few cache lines rather than from a tree of separate allocations
// (200 rules are evaluated on every triage, with caches cold from the write).
struct Program {
  struct Node {
    enum class Type { kAll, kAny, kNot, kLeaf } type = Type::kLeaf;
    Field field = Field::kChannel;
    Kind kind = Kind::kName;
    Op op = Op::kEq;
    bool flag = false;
    std::uint32_t end = 0;               // the index after this node and its children
    std::uint32_t first = 0, count = 0;  // its values: numbers for a number field, else names (text: folded)
    int days = 0;
  };
  std::vector<Node> nodes;  // none: always
  std::vector<std::string> names;
  std::vector<std::int64_t> numbers;
};

struct Action {
  enum class Type { kSet, kAddTags, kAddCollaborators, kRedCase, kNotify, kRequireSkills } type = Type::kSet;
  std::string field;  // for kSet: category, severity, priority, team, assignee
  std::string value;  // names; ids as text
  std::vector<std::string> values;
  std::vector<Id> ids;
  NotifyTarget notify;
};

struct RuleLogic {
  Program when;
  std::vector<Action> then;
};

namespace {

Error Invalid(const std::string& path, const std::string& message) {
  return Error::Validation(path, fmt::format("{}: {}", path, message));
}

// Checks one name value of a field against its vocabulary.
Status CheckName(Field f, const std::string& v, const CatalogSnapshot& cat, const std::string& path) {
  auto bad = [&](const std::string& allowed) { return Fail(Invalid(path, fmt::format("\"{}\" is not one of {}", v, allowed))); };
  switch (f) {
    case Field::kChannel: if (!Parse<Channel>(v)) return bad(AllowedNames<Channel>()); break;
    case Field::kSeverity: if (!Parse<Severity>(v)) return bad(AllowedNames<Severity>()); break;
    case Field::kPriority: if (!Parse<Priority>(v)) return bad(AllowedNames<Priority>()); break;
    case Field::kState: if (!Parse<StateType>(v)) return bad(AllowedNames<StateType>()); break;
    case Field::kTier: if (!Parse<Tier>(v)) return bad(AllowedNames<Tier>()); break;
    case Field::kThreat: if (!Parse<ThreatKind>(v)) return bad(AllowedNames<ThreatKind>()); break;
    case Field::kTrigger:
      if (v != "created" && v != "updated" && v != "customer_message") return bad("created|updated|customer_message");
      break;
    case Field::kCategory:
      if (!cat.CategoryByKey(v)) return Fail(Invalid(path, fmt::format("no category has the key \"{}\"", v)));
      break;
    default: break;
  }
  if (v.empty() || v.size() > 200) return Fail(Invalid(path, "values are 1–200 bytes"));
  return {};
}

Result<std::vector<std::string>> Names(const bj::value& v, const std::string& path, bool list) {
  std::vector<std::string> out;
  if (v.is_string()) {
    if (list) return Fail(Invalid(path, "must be a list of strings"));
    out.emplace_back(v.as_string());
    return out;
  }
  if (!v.is_array() || !list) return Fail(Invalid(path, list ? "must be a list of strings" : "must be a string"));
  if (v.as_array().empty() || v.as_array().size() > 500) return Fail(Invalid(path, "must list 1–500 values"));
  for (const auto& e : v.as_array()) {
    if (!e.is_string()) return Fail(Invalid(path, "must be a list of strings"));
    out.emplace_back(e.as_string());
  }
  return out;
}

// Parses one condition and its children into p, in pre-order.
Status ParseCondition(const bj::value& v, const CatalogSnapshot& cat, const std::string& path, int depth, Program& p) {
  if (depth > 12) return Fail(Invalid(path, "conditions nest at most 12 deep"));
  if (!v.is_object()) return Fail(Invalid(path, "must be an object"));
  const auto& o = v.as_object();
  const size_t at = p.nodes.size();
  p.nodes.emplace_back();
  // Ends the node at `at` after its children.
  auto close = [&]() -> Status {
    p.nodes[at].end = static_cast<std::uint32_t>(p.nodes.size());
    return {};
  };
  for (auto [key, type] : {std::pair{"all", Program::Node::Type::kAll}, std::pair{"any", Program::Node::Type::kAny}}) {
    if (!o.contains(key)) continue;
    if (o.size() != 1) return Fail(Invalid(path, fmt::format("\"{}\" stands alone in its object", key)));
    const auto* list = o.at(key).if_array();
    if (!list || list->empty() || list->size() > 100)
      return Fail(Invalid(path + "." + key, "must be a list of 1–100 conditions"));
    p.nodes[at].type = type;
    for (size_t i = 0; i < list->size(); ++i)
      KEFU_TRY(ParseCondition((*list)[i], cat, fmt::format("{}.{}[{}]", path, key, i), depth + 1, p));
    return close();
  }
  if (o.contains("not")) {
    if (o.size() != 1) return Fail(Invalid(path, "\"not\" stands alone in its object"));
    p.nodes[at].type = Program::Node::Type::kNot;
    KEFU_TRY(ParseCondition(o.at("not"), cat, path + ".not", depth + 1, p));
    return close();
  }
  // A leaf: its values go to the end of p's names or numbers.
  Program::Node c;
  std::vector<std::string> names;
  std::vector<std::int64_t> numbers;
  auto leaf = [&]() -> Status {
    c.first = static_cast<std::uint32_t>(c.kind == Kind::kNumber ? p.numbers.size() : p.names.size());
    c.count = static_cast<std::uint32_t>(c.kind == Kind::kNumber ? numbers.size() : names.size());
    p.numbers.insert(p.numbers.end(), numbers.begin(), numbers.end());
    p.names.insert(p.names.end(), std::make_move_iterator(names.begin()), std::make_move_iterator(names.end()));
    p.nodes[at] = c;
    return close();
  };
  const auto* field = o.if_contains("field");
  if (!field || !field->is_string())
    return Fail(Invalid(path, "a condition is {\"all\":[…]}, {\"any\":[…]}, {\"not\":{…}} or {\"field\",\"op\",\"value\"}"));
  auto fi = std::ranges::find(kFields, std::string_view(field->as_string()), &FieldInfo::name);
  if (fi == kFields.end()) {
    std::string names;
    for (const auto& f : kFields) names += (names.empty() ? "" : "|") + std::string(f.name);
    return Fail(Invalid(path + ".field", fmt::format("unknown field \"{}\"; one of {}", std::string_view(field->as_string()), names)));
  }
  c.field = fi->field;
  c.kind = fi->kind;
  const auto* op = o.if_contains("op");
  auto oi = op && op->is_string() ? std::ranges::find(kOpNames, std::string_view(op->as_string())) : kOpNames.end();
  if (oi == kOpNames.end()) return Fail(Invalid(path + ".op", "op is one of eq|ne|in|not_in|gt|gte|lt|lte|contains_any|contains_all|is_set|not_set"));
  c.op = static_cast<Op>(oi - kOpNames.begin());
  if (!OpFits(c.kind, c.op))
    return Fail(Invalid(path + ".op", fmt::format("\"{}\" does not apply to the field {}", *oi, fi->name)));
  for (const auto& [key, _] : o)
    if (key != "field" && key != "op" && key != "value" && key != "days")
      return Fail(Invalid(path + "." + std::string(key), "unknown key"));
  bool windowed = c.field == Field::kComplaints || c.field == Field::kFailures;
  if (windowed) {
    const auto* days = o.if_contains("days");
    if (!days || !days->is_int64() || days->as_int64() < 1 || days->as_int64() > 3650)
      return Fail(Invalid(path + ".days", fmt::format("{} needs \"days\": a window of 1–3650 days", fi->name)));
    c.days = static_cast<int>(days->as_int64());
  } else if (o.contains("days")) {
    return Fail(Invalid(path + ".days", "only customer.complaints and customer.service_failures take a window"));
  }
  if (c.op == Op::kIsSet || c.op == Op::kNotSet) {
    if (o.contains("value")) return Fail(Invalid(path + ".value", "is_set and not_set take no value"));
    return leaf();
  }
  const auto* value = o.if_contains("value");
  if (!value) return Fail(Invalid(path + ".value", "value is required"));
  const std::string vpath = path + ".value";
  bool list_op = c.op == Op::kIn || c.op == Op::kNotIn || c.op == Op::kContainsAny || c.op == Op::kContainsAll;
  switch (c.kind) {
    case Kind::kBool:
      if (!value->is_bool()) return Fail(Invalid(vpath, "must be true or false"));
      c.flag = value->as_bool();
      return leaf();
    case Kind::kNumber:
      if (list_op) {
        if (!value->is_array() || value->as_array().empty()) return Fail(Invalid(vpath, "must be a list of numbers"));
        for (const auto& e : value->as_array()) {
          if (!e.is_int64()) return Fail(Invalid(vpath, "must be a list of numbers"));
          numbers.push_back(e.as_int64());
        }
      } else {
        if (!value->is_int64()) return Fail(Invalid(vpath, "must be a whole number"));
        numbers.push_back(value->as_int64());
      }
      if (c.field == Field::kTeam)
        for (auto id : numbers)
          if (!cat.TeamById(id)) return Fail(Invalid(vpath, fmt::format("team {} does not exist", id)));
      if (c.field == Field::kAssignee)
        for (auto id : numbers)
          if (!cat.UserById(id)) return Fail(Invalid(vpath, fmt::format("user {} does not exist", id)));
      return leaf();
    case Kind::kText: {
      KEFU_ASSIGN(names, Names(*value, vpath, true));
      for (auto& n : names) {
        n = nlp::Fold(n);
        if (n.empty() || n.size() > 200) return Fail(Invalid(vpath, "words are 1–200 bytes"));
      }
      return leaf();
    }
    case Kind::kName:
    case Kind::kList: {
      KEFU_ASSIGN(names, Names(*value, vpath, list_op));
      for (const auto& n : names) KEFU_TRY(CheckName(c.field, n, cat, vpath));
      return leaf();
    }
  }
  return leaf();
}

Result<std::vector<Id>> Ids(const bj::value& v, const std::string& path) {
  std::vector<Id> out;
  if (!v.is_array()) return Fail(Invalid(path, "must be a list of ids"));
  for (const auto& e : v.as_array()) {
    if (!e.is_int64()) return Fail(Invalid(path, "must be a list of ids"));
    out.push_back(e.as_int64());
  }
  return out;
}

Result<Action> ParseAction(const bj::value& v, const CatalogSnapshot& cat, const std::string& path) {
  if (!v.is_object()) return Fail(Invalid(path, "must be an object"));
  const auto& o = v.as_object();
  const auto* type = o.if_contains("type");
  if (!type || !type->is_string())
    return Fail(Invalid(path + ".type", "type is one of set|add_tags|add_collaborators|red_case|notify|require_skills"));
  std::string_view t = type->as_string();
  Action a;
  if (t == "set") {
    a.type = Action::Type::kSet;
    const auto* field = o.if_contains("field");
    const auto* value = o.if_contains("value");
    if (!field || !field->is_string()) return Fail(Invalid(path + ".field", "field is one of category|severity|priority|team|assignee"));
    a.field = std::string(field->as_string());
    if (!value) return Fail(Invalid(path + ".value", "value is required"));
    const std::string vpath = path + ".value";
    if (a.field == "team" || a.field == "assignee") {
      if (!value->is_int64()) return Fail(Invalid(vpath, "must be an id"));
      Id id = value->as_int64();
      if (a.field == "team" && !cat.TeamById(id)) return Fail(Invalid(vpath, fmt::format("team {} does not exist", id)));
      if (a.field == "assignee" && !cat.UserById(id)) return Fail(Invalid(vpath, fmt::format("user {} does not exist", id)));
      a.ids.push_back(id);
      return a;
    }
    if (!value->is_string()) return Fail(Invalid(vpath, "must be a string"));
    a.value = std::string(value->as_string());
    if (a.field == "category") KEFU_TRY(CheckName(Field::kCategory, a.value, cat, vpath));
    else if (a.field == "severity") KEFU_TRY(CheckName(Field::kSeverity, a.value, cat, vpath));
    else if (a.field == "priority") KEFU_TRY(CheckName(Field::kPriority, a.value, cat, vpath));
    else return Fail(Invalid(path + ".field", "field is one of category|severity|priority|team|assignee"));
    return a;
  }
  if (t == "add_tags" || t == "require_skills") {
    a.type = t == "add_tags" ? Action::Type::kAddTags : Action::Type::kRequireSkills;
    const auto* value = o.if_contains("value");
    if (!value) return Fail(Invalid(path + ".value", "value is required"));
    KEFU_ASSIGN(a.values, Names(*value, path + ".value", true));
    for (const auto& tag : a.values)
      if (tag.empty() || tag.size() > 64) return Fail(Invalid(path + ".value", "tags and skills are 1–64 bytes"));
    return a;
  }
  if (t == "add_collaborators") {
    a.type = Action::Type::kAddCollaborators;
    const auto* value = o.if_contains("value");
    if (!value) return Fail(Invalid(path + ".value", "value is required"));
    KEFU_ASSIGN(a.ids, Ids(*value, path + ".value"));
    for (Id id : a.ids)
      if (!cat.UserById(id)) return Fail(Invalid(path + ".value", fmt::format("user {} does not exist", id)));
    return a;
  }
  if (t == "red_case") {
    a.type = Action::Type::kRedCase;
    const auto* reason = o.if_contains("reason");
    if (!reason || !reason->is_string() || reason->as_string().empty() || reason->as_string().size() > 500)
      return Fail(Invalid(path + ".reason", "a red case needs a reason of 1–500 bytes"));
    a.value = std::string(reason->as_string());
    return a;
  }
  if (t == "notify") {
    a.type = Action::Type::kNotify;
    if (const auto* roles = o.if_contains("roles")) {
      KEFU_ASSIGN(auto names, Names(*roles, path + ".roles", true));
      for (const auto& n : names) {
        auto r = Parse<Role>(n);
        if (!r) return Fail(Invalid(path + ".roles", fmt::format("\"{}\" is not one of {}", n, AllowedNames<Role>())));
        a.notify.roles.push_back(*r);
      }
    }
    if (const auto* users = o.if_contains("users")) {
      KEFU_ASSIGN(a.notify.users, Ids(*users, path + ".users"));
      for (Id id : a.notify.users)
        if (!cat.UserById(id)) return Fail(Invalid(path + ".users", fmt::format("user {} does not exist", id)));
    }
    if (const auto* assignee = o.if_contains("assignee")) {
      if (!assignee->is_bool()) return Fail(Invalid(path + ".assignee", "must be true or false"));
      a.notify.assignee = assignee->as_bool();
    }
    if (a.notify.roles.empty() && a.notify.users.empty() && !a.notify.assignee)
      return Fail(Invalid(path, "notify needs roles, users or assignee"));
    if (const auto* message = o.if_contains("message")) {
      if (!message->is_string() || message->as_string().size() > 1000)
        return Fail(Invalid(path + ".message", "must be text of at most 1000 bytes"));
      a.notify.message = std::string(message->as_string());
    }
    return a;
  }
  return Fail(Invalid(path + ".type", "type is one of set|add_tags|add_collaborators|red_case|notify|require_skills"));
}

bool IsWordByte(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// Whether `term` found at [at, at + term.size()) of `text` stands there as a
// term: ASCII words match whole words only ("sue" is not in "issue"), other
// scripts match anywhere.
bool StandsAt(std::string_view text, std::string_view term, size_t at) {
  const size_t end = at + term.size();
  const bool front_ok = !IsWordByte(term.front()) || at == 0 || !IsWordByte(text[at - 1]);
  const bool back_ok = !IsWordByte(term.back()) || end == text.size() || !IsWordByte(text[end]);
  return front_ok && back_ok;
}

// Whether folded `term` occurs in folded `text` (see StandsAt).
bool ContainsTerm(std::string_view text, std::string_view term) {
  for (size_t at = text.find(term); at != std::string_view::npos; at = text.find(term, at + 1))
    if (StandsAt(text, term, at)) return true;
  return false;
}

std::vector<std::string> TextTerms(const std::vector<Rule>& rules) {
  std::vector<std::string> terms;
  for (const Rule& r : rules) {
    const Program& p = r.logic->when;
    for (const auto& n : p.nodes)
      if (n.type == Program::Node::Type::kLeaf && n.kind == Kind::kText)
        terms.insert(terms.end(), p.names.begin() + n.first, p.names.begin() + n.first + n.count);
  }
  std::ranges::sort(terms);
  terms.erase(std::ranges::unique(terms).begin(), terms.end());
  return terms;
}

std::string_view TicketName(Field f, const Facts& x) {
  const Ticket& t = *x.ticket;
  switch (f) {
    case Field::kChannel: return Name(t.channel);
    case Field::kSeverity: return Name(t.severity);
    case Field::kPriority: return Name(t.priority);
    case Field::kState: return Name(t.state_type);
    case Field::kCategory: {
      const Category* c = t.category_id ? x.catalog->CategoryById(*t.category_id) : nullptr;
      return c ? std::string_view(c->key) : std::string_view();
    }
    case Field::kLanguage: return t.language;
    case Field::kTier: return Name(x.customer->tier);
    case Field::kRegion: return x.customer->region;
    case Field::kCustomerLanguage: return x.customer->language;
    case Field::kOrganization: return x.customer->organization;
    case Field::kTrigger: return TriggerName(x.trigger);
    default: return {};
  }
}

std::optional<std::int64_t> TicketNumber(const Program::Node& c, const Facts& x) {
  switch (c.field) {
    case Field::kTeam: return x.ticket->team_id;
    case Field::kAssignee: return x.ticket->assignee_id;
    case Field::kEmotion: return x.ticket->emotion;
    case Field::kComplaints: return x.complaints_in_days ? x.complaints_in_days(c.days) : 0;
    case Field::kFailures: return x.failures_in_days ? x.failures_in_days(c.days) : 0;
    default: return std::nullopt;
  }
}

std::vector<std::string> TicketList(Field f, const Facts& x) {
  if (f == Field::kTags) return x.ticket->tags;
  std::vector<std::string> out;
  for (ThreatKind k : x.ticket->threats) out.emplace_back(Name(k));
  return out;
}

std::uint64_t HashOf(std::string_view s) { return std::hash<std::string_view>{}(s); }

// The guard of node i of p when it is a leaf (see RuleGuard), if it has one.
std::optional<RuleGuard> LeafGuard(const Program& p, std::uint32_t i) {
  const Program::Node& c = p.nodes[i];
  if (c.type != Program::Node::Type::kLeaf || c.kind == Kind::kNumber || c.count == 0) return std::nullopt;
  RuleGuard g;
  if (c.kind == Kind::kName && (c.op == Op::kEq || c.op == Op::kIn)) {
    g.test = RuleGuard::Test::kName;
    g.field = static_cast<std::uint8_t>(c.field);
  } else if (c.kind == Kind::kText && (c.op == Op::kContainsAny || c.op == Op::kContainsAll)) {
    g.test = c.field == Field::kSubject ? RuleGuard::Test::kSubject : RuleGuard::Test::kText;
  } else {
    return std::nullopt;
  }
  // contains_all needs each of its terms: its first one will do.
  const size_t n = c.op == Op::kContainsAll ? 1 : c.count;
  if (n > RuleGuard::kMaxValues) return std::nullopt;
  for (size_t k = 0; k < n; ++k) g.hashes[k] = HashOf(p.names[c.first + k]);
  g.count = static_cast<std::uint8_t>(n);
  return g;
}

RuleGuard GuardOf(const Program& p) {
  if (p.nodes.empty()) return {};
  if (auto g = LeafGuard(p, 0)) return *g;
  if (p.nodes[0].type == Program::Node::Type::kAll)
    for (std::uint32_t k = 1; k < p.nodes[0].end; k = p.nodes[k].end)
      if (auto g = LeafGuard(p, k)) return *g;
  return {};
}

// What the guards of one run of the rules test against: hashes of the found
// terms and, on first use, of each name field; names are forgotten when a
// rule fires, as its actions may change them.
class GuardFacts {
 public:
  explicit GuardFacts(const Facts& facts) : facts_(facts) {
    if (!facts.found) return;
    for (auto t : facts.found->text) text_.push_back(HashOf(t));
    for (auto t : facts.found->subject) subject_.push_back(HashOf(t));
  }
  bool Passes(const RuleGuard& g) {
    const auto any_of = [&](std::uint64_t have) {
      return std::find(g.hashes.begin(), g.hashes.begin() + g.count, have) != g.hashes.begin() + g.count;
    };
    switch (g.test) {
      case RuleGuard::Test::kNone: return true;
      case RuleGuard::Test::kText: return !facts_.found || std::ranges::any_of(text_, any_of);
      case RuleGuard::Test::kSubject: return !facts_.found || std::ranges::any_of(subject_, any_of);
      case RuleGuard::Test::kName: {
        auto& name = names_[g.field];
        if (!name) name = HashOf(TicketName(static_cast<Field>(g.field), facts_));
        return any_of(*name);
      }
    }
    return true;
  }
  void Changed() { names_.fill(std::nullopt); }

 private:
  const Facts& facts_;
  std::vector<std::uint64_t> text_, subject_;
  std::array<std::optional<std::uint64_t>, static_cast<size_t>(Field::kTrigger) + 1> names_;
};

// Whether node i of p (and its children) holds.
bool Eval(const Program& p, std::uint32_t i, const Facts& x) {
  const Program::Node& c = p.nodes[i];
  switch (c.type) {
    case Program::Node::Type::kAll:
      for (std::uint32_t k = i + 1; k < c.end; k = p.nodes[k].end)
        if (!Eval(p, k, x)) return false;
      return true;
    case Program::Node::Type::kAny:
      for (std::uint32_t k = i + 1; k < c.end; k = p.nodes[k].end)
        if (Eval(p, k, x)) return true;
      return false;
    case Program::Node::Type::kNot: return !Eval(p, i + 1, x);
    case Program::Node::Type::kLeaf: break;
  }
  const std::span<const std::string> names(p.names.data() + c.first, c.kind == Kind::kNumber ? 0 : c.count);
  const std::span<const std::int64_t> numbers(p.numbers.data() + c.first, c.kind == Kind::kNumber ? c.count : 0);
  switch (c.kind) {
    case Kind::kBool: {
      bool v = c.field == Field::kRedCase ? x.ticket->red_case : !x.business_hours || x.business_hours();
      return c.op == Op::kEq ? v == c.flag : v != c.flag;
    }
    case Kind::kText: {
      const bool subject = c.field == Field::kSubject;
      auto has = [&](const std::string& term) {
        if (!x.found) return ContainsTerm(subject ? x.subject : x.text, term);
        const auto& found = subject ? x.found->subject : x.found->text;
        return std::ranges::find(found, std::string_view(term)) != found.end();
      };
      return c.op == Op::kContainsAny ? std::ranges::any_of(names, has) : std::ranges::all_of(names, has);
    }
    case Kind::kList: {
      auto values = TicketList(c.field, x);
      if (c.op == Op::kIsSet) return !values.empty();
      if (c.op == Op::kNotSet) return values.empty();
      auto has = [&](const std::string& v) { return std::ranges::find(values, v) != values.end(); };
      return c.op == Op::kContainsAny ? std::ranges::any_of(names, has) : std::ranges::all_of(names, has);
    }
    case Kind::kNumber: {
      auto v = TicketNumber(c, x);
      if (c.op == Op::kIsSet) return v.has_value();
      if (c.op == Op::kNotSet) return !v.has_value();
      if (!v) return c.op == Op::kNe || c.op == Op::kNotIn;
      auto in = std::ranges::find(numbers, *v) != numbers.end();
      std::int64_t n = numbers.front();
      switch (c.op) {
        case Op::kEq: return *v == n;
        case Op::kNe: return *v != n;
        case Op::kIn: return in;
        case Op::kNotIn: return !in;
        case Op::kGt: return *v > n;
        case Op::kGte: return *v >= n;
        case Op::kLt: return *v < n;
        case Op::kLte: return *v <= n;
        default: return false;
      }
    }
    case Kind::kName: {
      std::string_view v = TicketName(c.field, x);
      if (c.op == Op::kIsSet) return !v.empty();
      if (c.op == Op::kNotSet) return v.empty();
      bool in = std::ranges::find(names, v) != names.end();
      if (c.op == Op::kEq || c.op == Op::kIn) return in;
      return !in;
    }
  }
  return false;
}

void Change(RuleEffects& fx, const Rule& r, std::string field, std::string from, std::string to) {
  if (from != to) fx.changes.push_back(RuleChange{std::move(field), std::move(from), std::move(to), &r});
}

void Apply(const Rule& r, const Action& a, const Facts& x, Ticket& t, RuleEffects& fx) {
  switch (a.type) {
    case Action::Type::kSet:
      if (a.field == "severity") {
        auto v = *Parse<Severity>(a.value);
        Change(fx, r, "severity", std::string(Name(t.severity)), a.value);
        t.severity = v;
      } else if (a.field == "priority") {
        auto v = *Parse<Priority>(a.value);
        Change(fx, r, "priority", std::string(Name(t.priority)), a.value);
        t.priority = v;
      } else if (a.field == "category") {
        const Category* c = x.catalog->CategoryByKey(a.value);
        if (!c) return;  // deleted since the rule was saved
        Change(fx, r, "category", std::string(TicketName(Field::kCategory, x)), a.value);
        t.category_id = c->id;
      } else if (a.field == "team") {
        if (!x.catalog->TeamById(a.ids.front())) return;
        Change(fx, r, "team", t.team_id ? std::to_string(*t.team_id) : "", std::to_string(a.ids.front()));
        if (t.team_id != a.ids.front()) t.assignee_id.reset();  // the new team routes it
        t.team_id = a.ids.front();
      } else if (a.field == "assignee") {
        if (!x.catalog->UserById(a.ids.front())) return;
        Change(fx, r, "assignee", t.assignee_id ? std::to_string(*t.assignee_id) : "", std::to_string(a.ids.front()));
        t.assignee_id = a.ids.front();
      }
      return;
    case Action::Type::kAddTags:
      for (const auto& tag : a.values)
        if (std::ranges::find(t.tags, tag) == t.tags.end()) {
          t.tags.push_back(tag);
          Change(fx, r, "tags", "", tag);
        }
      return;
    case Action::Type::kAddCollaborators:
      for (Id id : a.ids)
        if (std::ranges::find(t.collaborator_ids, id) == t.collaborator_ids.end() && x.catalog->UserById(id)) {
          t.collaborator_ids.push_back(id);
          Change(fx, r, "collaborators", "", std::to_string(id));
        }
      std::ranges::sort(t.collaborator_ids);
      return;
    case Action::Type::kRedCase:
      if (!fx.red_case_reason) {
        fx.red_case_reason = a.value;
        fx.red_case_rule = &r;
      }
      return;
    case Action::Type::kNotify: fx.notify.emplace_back(&r, a.notify); return;
    case Action::Type::kRequireSkills:
      for (const auto& s : a.values)
        if (std::ranges::find(fx.required_skills, s) == fx.required_skills.end()) fx.required_skills.push_back(s);
      return;
  }
}

}  // namespace

Result<Rule> ParseRule(const bj::object& body, const CatalogSnapshot& cat) {
  Rule r;
  for (const auto& [key, _] : body)
    if (key != "on" && key != "when" && key != "then" && key != "stop" && key != "name" && key != "enabled" &&
        key != "position")
      return Fail(Invalid(std::string(key), "unknown key"));
  if (const auto* on = body.if_contains("on")) {
    KEFU_ASSIGN(auto names, Names(*on, "on", true));
    for (const auto& n : names) {
      if (n == "created") r.on |= Rule::Bit(Trigger::kCreated);
      else if (n == "updated") r.on |= Rule::Bit(Trigger::kUpdated);
      else if (n == "customer_message") r.on |= Rule::Bit(Trigger::kCustomerMessage);
      else return Fail(Invalid("on", fmt::format("\"{}\" is not one of created|updated|customer_message", n)));
    }
  } else {
    r.on = Rule::Bit(Trigger::kCreated);
  }
  auto logic = std::make_shared<RuleLogic>();
  if (const auto* when = body.if_contains("when"); when && !when->is_null()) {
    KEFU_TRY(ParseCondition(*when, cat, "when", 0, logic->when));
    r.guard = GuardOf(logic->when);
  }
  const auto* then = body.if_contains("then");
  if (!then || !then->is_array() || then->as_array().empty() || then->as_array().size() > 50)
    return Fail(Invalid("then", "a rule needs a list of 1–50 actions"));
  for (size_t i = 0; i < then->as_array().size(); ++i) {
    KEFU_ASSIGN(auto a, ParseAction(then->as_array()[i], cat, fmt::format("then[{}]", i)));
    logic->then.push_back(std::move(a));
  }
  if (const auto* stop = body.if_contains("stop")) {
    if (!stop->is_bool()) return Fail(Invalid("stop", "must be true or false"));
    r.stop = stop->as_bool();
  }
  r.logic = std::move(logic);
  return r;
}

Result<Rule> ParseWhen(const bj::value* when, const CatalogSnapshot& cat, const std::string& path) {
  Rule r;
  r.on = Rule::Bit(Trigger::kCreated) | Rule::Bit(Trigger::kUpdated) | Rule::Bit(Trigger::kCustomerMessage);
  auto logic = std::make_shared<RuleLogic>();
  if (when && !when->is_null()) {
    KEFU_TRY(ParseCondition(*when, cat, path, 0, logic->when));
    r.guard = GuardOf(logic->when);
  }
  r.logic = std::move(logic);
  return r;
}

std::string RuleBodyText(const bj::object& body) {
  bj::object out;
  for (const char* key : {"on", "when", "then", "stop"})
    if (const auto* v = body.if_contains(key)) out[key] = *v;
  if (!out.contains("on")) out["on"] = bj::array{"created"};
  if (!out.contains("stop")) out["stop"] = false;
  return bj::serialize(out);
}

TermIndex::TermIndex(const std::vector<Rule>& rules) : terms_(TextTerms(rules)), matcher_(terms_) {}

FoundTerms TermIndex::Scan(const Facts& facts) const {
  FoundTerms found;
  std::vector<bool> seen(terms_.size());
  auto scan = [&](std::string_view text, std::vector<std::string_view>& into) {
    seen.assign(terms_.size(), false);
    matcher_.Find(text, [&](const nlp::TermMatcher::Match& m) {
      if (!seen[m.term] && StandsAt(text, terms_[m.term], m.begin)) {
        seen[m.term] = true;
        into.push_back(terms_[m.term]);
      }
    });
  };
  scan(facts.text, found.text);
  scan(facts.subject, found.subject);
  return found;
}

bool Matches(const Rule& rule, const Facts& facts) {
  return rule.logic->when.nodes.empty() || Eval(rule.logic->when, 0, facts);
}

RuleEffects RunRules(const std::vector<Rule>& rules, Facts& facts, Ticket& ticket) {
  RuleEffects fx;
  facts.ticket = &ticket;
  GuardFacts guards(facts);
  for (size_t i = 0; i < rules.size(); ++i) {
    const Rule& r = rules[i];
    // The logic of the rules ahead is fetched while this one is checked:
    // with caches cold, waiting for each rule's memory in turn was most of the run.
    if (i + 8 < rules.size()) __builtin_prefetch(rules[i + 8].logic.get());
    if (i + 4 < rules.size()) {
      const Program& ahead = rules[i + 4].logic->when;
      __builtin_prefetch(ahead.nodes.data());
      __builtin_prefetch(ahead.names.data());
      __builtin_prefetch(ahead.numbers.data());
    }
    if (!(r.on & Rule::Bit(facts.trigger))) continue;
    if (!guards.Passes(r.guard) || !Matches(r, facts)) continue;
    guards.Changed();
    fx.fired.push_back(&r);
    for (const Action& a : r.logic->then) Apply(r, a, facts, ticket, fx);
    if (r.stop) break;
  }
  return fx;
}

}  // namespace kefu::triage
