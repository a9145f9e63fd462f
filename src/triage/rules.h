// The triage rule language: one condition language and one action language.
// A rule is data (JSON), validated when saved, compiled once, and evaluated
// against the facts of a complaint in well under a microsecond per rule.
//
//   {"on": ["created", "updated", "customer_message"],
//    "when": {"all": [{"field": "customer.tier", "op": "in", "value": ["vip"]},
//                     {"any": [{"field": "text", "op": "contains_any", "value": ["曝光", "记者"]},
//                              {"field": "emotion", "op": "gte", "value": 3}]},
//                     {"not": {"field": "channel", "op": "eq", "value": "walk_in"}}]},
//    "then": [{"type": "set", "field": "priority", "value": "urgent"},
//             {"type": "add_tags", "value": ["媒体风险"]},
//             {"type": "red_case", "reason": "VIP 威胁曝光"},
//             {"type": "notify", "roles": ["supervisor"], "message": "…"}],
//    "stop": false}
//
// docs/triage.md lists every field, operator and action.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/fwd.hpp>

#include "core/error.h"
#include "nlp/term_matcher.h"
#include "domain/triage_types.h"
#include "tickets/catalog.h"

namespace kefu::triage {

enum class Trigger { kCreated, kUpdated, kCustomerMessage };
std::string_view TriggerName(Trigger t);

// The text terms of a rule set that occur in a complaint (TermIndex::Scan);
// views into the index's terms.
struct FoundTerms {
  std::vector<std::string_view> text, subject;
};

// What a rule sees of a complaint. Texts are folded (nlp::Fold).
struct Facts {
  Trigger trigger = Trigger::kCreated;
  const Ticket* ticket = nullptr;  // current values, including earlier rules' changes
  const Customer* customer = nullptr;
  const CatalogSnapshot* catalog = nullptr;
  std::string text;     // subject, description and the latest customer message
  std::string subject;
  std::function<bool()> business_hours;  // whether the calendar is open (unset: open); asked on use
  // Counts over the customer's history, for a window of N days; computed on
  // first use and cached by the caller.
  std::function<int(int days)> complaints_in_days;
  std::function<int(int days)> failures_in_days;
  // The rule set's terms found in `text` and `subject`; when not given, a
  // text condition searches the texts itself.
  const FoundTerms* found = nullptr;
};

struct NotifyTarget {
  std::vector<Role> roles;  // users of this rank on the complaint's team (directors: all)
  std::vector<Id> users;
  bool assignee = false;
  std::string message;
};

struct RuleLogic;  // the compiled condition and actions (rules.cpp)

// A test that every complaint a rule's condition holds for passes: a leaf
// that the whole condition requires (the condition itself, or a child of its
// top-level "all") on a name field (eq, in) or on a text (contains_any,
// contains_all), kept as hashes in the rule itself. RunRules checks it before
// it walks the condition, so that rules that cannot fire are passed over
// without reading their conditions from memory. A hash that collides only
// lets the condition decide.
struct RuleGuard {
  static constexpr size_t kMaxValues = 4;
  enum class Test : std::uint8_t { kNone, kName, kText, kSubject } test = Test::kNone;
  std::uint8_t field = 0;  // for kName: which name (rules.cpp)
  std::uint8_t count = 0;  // hashes in use; one of them must be there
  std::array<std::uint64_t, kMaxValues> hashes{};
};

struct Rule {
  Id id = 0;
  std::string name;
  int version = 1;
  unsigned on = 0;  // a bit per Trigger it runs on (Bit)
  static constexpr unsigned Bit(Trigger t) { return 1u << static_cast<unsigned>(t); }
  bool stop = false;
  RuleGuard guard;
  std::shared_ptr<const RuleLogic> logic;
};

// A field change made by a rule, for the complaint's history.
struct RuleChange {
  std::string field, from, to;
  const Rule* rule = nullptr;
};

struct RuleEffects {
  std::vector<const Rule*> fired;
  std::vector<RuleChange> changes;  // already applied to the ticket
  std::optional<std::string> red_case_reason;
  const Rule* red_case_rule = nullptr;
  std::vector<std::string> required_skills;
  std::vector<std::pair<const Rule*, NotifyTarget>> notify;
};

// Validates a rule body ({"on","when","then","stop"}) against the reference
// data; errors name the offending path ("when.all[1].op").
Result<Rule> ParseRule(const boost::json::object& body, const CatalogSnapshot& catalog);
// A condition alone ({"field"…}, {"all"…}, … or null for "always"), for other
// parts of kefu that select by the rule language (SLA policies); errors name
// paths under `path`. The result has no actions: use it with Matches.
Result<Rule> ParseWhen(const boost::json::value* when, const CatalogSnapshot& catalog, const std::string& path);
// The canonical JSON text of a parsed rule's body, as stored.
std::string RuleBodyText(const boost::json::object& body);

// Every text term of a rule set in one matcher, so that a complaint's texts
// are read once for all of its rules rather than once per term.
class TermIndex {
 public:
  explicit TermIndex(const std::vector<Rule>& rules);
  FoundTerms Scan(const Facts& facts) const;

 private:
  std::vector<std::string> terms_;
  nlp::TermMatcher matcher_;
};

// Runs the enabled rules for `facts.trigger` in order on `ticket` (which
// facts.ticket must point to): later rules see earlier rules' changes; a
// matching rule with "stop" ends the run. Each rule's guard is checked first.
RuleEffects RunRules(const std::vector<Rule>& rules, Facts& facts, Ticket& ticket);

// Whether one rule's condition holds (dry run, tests).
bool Matches(const Rule& rule, const Facts& facts);

}  // namespace kefu::triage
