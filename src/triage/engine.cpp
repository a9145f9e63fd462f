#include "triage/engine.h"

#include <algorithm>
#include <map>

#include <boost/json.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "calendars/registry.h"
#include "core/json.h"
#include "domain/lifecycle.h"
#include "nlp/classifier.h"
#include "nlp/emotion.h"
#include "nlp/evaluate.h"
#include "nlp/language.h"
#include "nlp/lexicon.h"
#include "nlp/text.h"
#include "triage/notify.h"
#include "triage/red_cases.h"
#include "triage/risk.h"

namespace kefu::triage {

namespace bj = boost::json;

// The department's enabled rules, in order, and their text terms.
struct RuleBook {
  explicit RuleBook(std::vector<Rule> list) : rules(std::move(list)), terms(rules) {}
  std::vector<Rule> rules;
  TermIndex terms;
};

// What triage runs on. Its parts are immutable and shared between snapshots:
// a rebuild makes only the parts whose data changed (see TriageEngine::Reload).
struct Snapshot {
  std::shared_ptr<const RuleBook> rules;
  std::shared_ptr<const nlp::EmotionGrader> grader;
  std::shared_ptr<const nlp::Classifier> classifier;
  ClassifierInfo model;
  Settings settings;
};

namespace {

constexpr Millis kDay = 86'400'000;
constexpr const char* kSettingsKey = "triage.settings";
constexpr const char* kModelKind = "root_cause";

// The rules a department starts with: seed 000's red cases and seed 001's
// social-media promise, as editable data.
constexpr std::pair<const char*, const char*> kDefaultRules[] = {
    {"严重投诉转红案 Severe complaints are red cases",
     R"({"on":["created","updated"],"when":{"field":"severity","op":"eq","value":"severe"},
         "then":[{"type":"red_case","reason":"严重投诉 / severe complaint"}]})"},
    {"对外威胁转红案 Media, regulator or legal threats are red cases",
     R"({"on":["created","customer_message"],
         "when":{"field":"threat","op":"contains_any","value":["media","regulator","legal"]},
         "then":[{"type":"set","field":"priority","value":"urgent"},{"type":"add_tags","value":["对外威胁"]},
                 {"type":"red_case","reason":"客户威胁曝光、投诉监管或诉讼 / external threat"}]})"},
    {"流失威胁 Churn threats raise the priority",
     R"({"on":["created","customer_message"],"when":{"field":"threat","op":"contains_any","value":["churn"]},
         "then":[{"type":"set","field":"priority","value":"high"},{"type":"add_tags","value":["流失风险"]}]})"},
    {"VIP 情绪激烈转红案 An angry VIP is a red case",
     R"({"on":["created","customer_message"],"when":{"all":[
           {"field":"customer.tier","op":"in","value":["vip","enterprise"]},{"field":"emotion","op":"gte","value":3}]},
         "then":[{"type":"red_case","reason":"VIP 客户情绪激烈 / angry VIP"}]})"},
    {"VIP 三次服务失误转红案 A VIP with three service failures in 90 days",
     R"({"on":["created","updated"],"when":{"all":[
           {"field":"customer.tier","op":"in","value":["vip","enterprise"]},
           {"field":"customer.service_failures","days":90,"op":"gte","value":3}]},
         "then":[{"type":"red_case","reason":"VIP 90 天内三次服务失误 / VIP with three service failures"}]})"},
    {"社交媒体投诉加急 Social-media complaints are answered first",
     R"({"on":["created"],"when":{"field":"channel","op":"eq","value":"social"},
         "then":[{"type":"set","field":"priority","value":"high"},{"type":"add_tags","value":["舆情"]}]})"},
};

// Appends cues to a list of them as JSON objects separated by commas.
void AppendCues(std::string& out, const std::vector<nlp::EmotionCue>& cues) {
  for (const auto& c : cues) {
    if (!out.empty()) out += ',';
    fmt::format_to(std::back_inserter(out), R"({{"kind":{},"text":{},"weight":{}}})",
                   bj::serialize(bj::string_view(c.kind)), bj::serialize(bj::string_view(c.text)), c.weight);
  }
}

std::string FiredJson(const RuleEffects& fx) {
  std::string out = "[";
  for (const Rule* r : fx.fired)
    fmt::format_to(std::back_inserter(out), R"({}{{"id":{},"name":{},"version":{}}})", out.size() > 1 ? "," : "", r->id,
                   bj::serialize(bj::string_view(r->name)), r->version);
  return out + "]";
}

// A country code for the language detector, when the region is one.
std::string CountryOf(const Customer& c) {
  if (c.region.size() == 2 && std::isalpha(static_cast<unsigned char>(c.region[0])) &&
      std::isalpha(static_cast<unsigned char>(c.region[1])))
    return c.region;
  return {};
}

std::string Label(const CatalogSnapshot& cat, Id category_id) {
  const Category* c = cat.CategoryById(category_id);
  return c ? c->key : std::string();
}

void AddThreats(std::vector<ThreatKind>& into, const std::vector<ThreatKind>& more) {
  for (ThreatKind k : more)
    if (std::ranges::find(into, k) == into.end()) into.push_back(k);
  std::ranges::sort(into);
}

// What the rules (and SLA policies) see of a complaint; `folded_text` is the
// folded subject, description and new message. The facts refer to their
// arguments, which must outlive them.
Facts FactsFor(Trigger trigger, const Customer& customer, const CatalogSnapshot& cat, std::function<bool()> business_hours,
               const std::string& subject, std::string folded_text, CustomerHistory& history) {
  Facts facts;
  facts.trigger = trigger;
  facts.customer = &customer;
  facts.catalog = &cat;
  facts.business_hours = std::move(business_hours);
  // The folded text begins with the folded subject and its line break (folding
  // keeps line breaks and never joins across them), so a one-line subject is
  // not folded twice.
  const size_t line = folded_text.find('\n');
  facts.subject = subject.find('\n') == std::string::npos && line != std::string::npos ? folded_text.substr(0, line)
                                                                                        : nlp::Fold(subject);
  facts.text = std::move(folded_text);
  facts.complaints_in_days = [&history](int days) { return history.Complaints(days); };
  facts.failures_in_days = [&history](int days) { return history.Failures(days); };
  return facts;
}

std::string UserLogin(const CatalogSnapshot& cat, std::optional<Id> id) {
  const User* u = id ? cat.UserById(*id) : nullptr;
  return u ? u->username : (id ? std::to_string(*id) : std::string());
}

}  // namespace

TriageEngine::TriageEngine(Store& store, Catalog& catalog, const Clock& clock,
                           const calendars::CalendarRegistry& calendars)
    : store_(store), catalog_(catalog), clock_(clock), calendars_(calendars) {}
TriageEngine::~TriageEngine() = default;

std::function<bool()> TriageEngine::BusinessHours(std::optional<Id> team_id, const Customer& c, Millis at) const {
  return [this, team_id, &c, at] { return calendars_.For(team_id, c.region).second->IsOpen(at); };
}

Settings TriageEngine::CurrentSettings() const { return snapshot_.Get()->settings; }
ClassifierInfo TriageEngine::ModelInfo() const { return snapshot_.Get()->model; }

Result<std::shared_ptr<Snapshot>> TriageEngine::Build(ReadTx& tx, const Snapshot* current, unsigned parts) {
  auto s = std::make_shared<Snapshot>();
  if (current) *s = *current;
  else parts = kEverything;
  if (parts & kSettings) {
    s->settings = Settings{};
    KEFU_ASSIGN(auto stored, tx.GetSetting(kSettingsKey));
    if (stored) {
      auto doc = json::ParseDocument(*stored);
      if (doc && doc->is_object()) {
        auto parsed = ParseSettings(doc->as_object(), Settings{});
        if (parsed) s->settings = *parsed;
      }
    }
  }
  if (parts & kRules) {
    KEFU_ASSIGN(s->rules, BuildRules(tx));
  }
  if (parts & kLexicon) {
    std::vector<nlp::LexiconEntry> lexicon = nlp::DefaultLexicon();
    KEFU_ASSIGN(auto own, tx.ListLexicon());
    for (const auto& row : own) lexicon.push_back(nlp::LexiconEntry{row.kind, row.term, row.weight, row.language});
    s->grader = std::make_shared<const nlp::EmotionGrader>(std::move(lexicon));
  }
  if (parts & kModel) {
    s->classifier.reset();
    s->model = ClassifierInfo{};
    KEFU_ASSIGN(auto model, tx.GetModel(kModelKind));
    if (model) {
      auto c = nlp::Classifier::Deserialize(model->body);
      if (c) {
        s->classifier = std::make_shared<const nlp::Classifier>(std::move(*c));
        s->model = ClassifierInfo{true, model->trained_at, model->examples, s->classifier->label_count(),
                                  s->classifier->vocabulary_size()};
      }
    }
  }
  return s;
}

Result<std::shared_ptr<const RuleBook>> TriageEngine::BuildRules(ReadTx& tx) {
  KEFU_ASSIGN(auto cat, catalog_.Get());
  std::vector<Rule> enabled;
  KEFU_ASSIGN(auto rules, tx.ListRules());
  for (const auto& r : rules) {
    if (!r.enabled) continue;
    auto doc = json::ParseDocument(r.body);
    if (!doc || !doc->is_object()) continue;
    auto rule = ParseRule(doc->as_object(), *cat);
    if (!rule) {
      // Reference data changed under it (a team deleted): skip, and say so.
      spdlog::warn("triage rule {} \"{}\" no longer validates: {}", r.id, r.name, rule.error().message);
      continue;
    }
    rule->id = r.id;
    rule->name = r.name;
    rule->version = r.version;
    enabled.push_back(std::move(*rule));
  }
  return std::make_shared<const RuleBook>(std::move(enabled));
}

Status TriageEngine::Reload(unsigned parts) {
  return snapshot_.Rebuild([&](std::shared_ptr<const Snapshot> current) -> Result<std::shared_ptr<const Snapshot>> {
    std::shared_ptr<Snapshot> s;
    KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
      KEFU_ASSIGN(s, Build(tx, current.get(), parts));
      return {};
    }));
    return s;
  });
}

Status TriageEngine::LoadRouting() {
  RoutingState routing;
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(auto profiles, tx.ListAgentProfiles());
    for (auto& p : profiles) routing.profiles.emplace(p.user_id, std::move(p));
    KEFU_ASSIGN(auto teams, tx.ListTeamRouting());
    for (auto& t : teams) routing.teams.emplace(t.team_id, std::move(t));
    return {};
  }));
  std::lock_guard lock(routing_mu_);
  routing_ = std::move(routing);
  return {};
}

Status TriageEngine::Load() {
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    KEFU_ASSIGN(auto seeded, tx.GetSetting("triage.rules_seeded"));
    if (seeded) return {};
    Millis now = clock_.Now();
    int position = 10;
    for (const auto& [name, body] : kDefaultRules) {
      auto doc = json::ParseDocument(body);
      if (!doc) return Fail(Error::Internal("a default triage rule is not valid JSON"));
      StoredRule r;
      r.name = name;
      r.position = position;
      position += 10;
      r.body = RuleBodyText(doc->as_object());
      r.created_at = r.updated_at = now;
      KEFU_TRY(tx.InsertRule(r));
      KEFU_TRY(tx.InsertRuleVersion(RuleVersion{r.id, 1, r.name, true, r.body, std::nullopt, now}));
    }
    return tx.PutSetting("triage.rules_seeded", "true");
  }));
  KEFU_TRY(LoadRouting());
  return Reload(kEverything);
}

struct TriageEngine::Prepared {
  // What it was computed with, held so that a rebuild cannot reuse their addresses.
  std::shared_ptr<const nlp::EmotionGrader> grader;
  std::shared_ptr<const nlp::Classifier> classifier;
  nlp::EmotionResult grade;                  // without earlier complaints (nlp::AddPriorComplaints), nor cues
  std::string cues;                          // the grade's cues (AppendCues), written while they are at hand
  bool classified = false;
  std::vector<nlp::ScoredLabel> causes;      // the classifier's top three, when classified
  std::string folded;
  std::string language;                      // what the text alone shows (nlp::TextLanguage)
};

void TriageEngine::Prepare(const std::string& text, bool uncategorized) {
  auto s = snapshot_.Get();
  if (!s) return;
  auto p = std::make_shared<Prepared>();
  p->grader = s->grader;
  p->classifier = s->classifier;
  p->folded = nlp::Fold(text);
  p->grade = s->grader->Grade(text, p->folded, 0);
  AppendCues(p->cues, p->grade.cues);
  p->grade.cues.clear();
  p->classified = uncategorized && s->classifier && s->classifier->label_count() > 0;
  if (p->classified) p->causes = s->classifier->Predict(p->folded, 3, nlp::TextForm::kFolded);
  p->language = nlp::TextLanguage(text);
  std::lock_guard lock(prepared_mu_);
  if (prepared_.size() >= 4096) prepared_.clear();  // abandoned requests must not accumulate
  prepared_[text] = std::move(p);
}

std::shared_ptr<const TriageEngine::Prepared> TriageEngine::TakePrepared(const std::string& text, const Snapshot& s) {
  std::lock_guard lock(prepared_mu_);
  auto it = prepared_.find(text);
  if (it == prepared_.end()) return nullptr;
  auto p = std::move(it->second);
  prepared_.erase(it);
  // Made with the grader and classifier triage now runs on, or made in vain.
  return p->grader == s.grader && p->classifier == s.classifier ? p : nullptr;
}

Result<std::vector<Notification>> TriageEngine::AfterWrite(WriteTx& tx, TicketTrigger trigger, Ticket& t,
                                                           const Message* message, const Customer* customer) {
  auto s = snapshot_.Get();
  if (!s) return std::vector<Notification>{};
  KEFU_ASSIGN(auto finish, Decide(tx, s, trigger, t, message, customer, true));
  return finish(tx);
}

Result<TicketHook::AfterInsert> TriageEngine::BeforeInsert(WriteTx& tx, Ticket& t, const Customer& customer) {
  auto s = snapshot_.Get();
  if (!s) return TicketHook::BeforeInsert(tx, t, customer);
  return Decide(tx, s, TicketTrigger::kCreated, t, nullptr, &customer, false);
}

Result<TicketHook::AfterInsert> TriageEngine::Decide(WriteTx& tx, std::shared_ptr<const Snapshot> snapshot,
                                                     TicketTrigger trigger, Ticket& t, const Message* message,
                                                     const Customer* known, bool stored) {
  if (t.state_type == StateType::kMerged) return AfterInsert([](WriteTx&) { return std::vector<Notification>{}; });
  const Snapshot& s = *snapshot;
  KEFU_ASSIGN(auto cat, catalog_.Get());
  KEFU_ASSIGN(Customer customer, CustomerOf(tx, t, known));
  const Millis now = clock_.Now();
  const Id id = t.id;
  const std::optional<Id> team_before = t.team_id;
  std::optional<Ticket> before;  // a stored complaint, to write only what triage changes
  if (stored) before = t;
  auto history = std::make_shared<CustomerHistory>(tx, *cat, s.settings, customer.id, now);
  if (!stored) history->Update(t);  // it counts among the customer's complaints, as once it is stored
  Writes writes;
  auto event = [&](std::string type, std::string field, std::string from, std::string to, std::string detail) {
    writes.push_back([=](WriteTx& w, Notifier&) { return RecordEvent(w, id, now, std::nullopt, type, field, from, to, detail); });
  };

  // 1. Emotion, threats and language of what the customer wrote.
  bool customer_text = trigger == TicketTrigger::kCreated || trigger == TicketTrigger::kCustomerMessage;
  std::string graded;
  if (trigger == TicketTrigger::kCreated && !message) graded = t.subject + "\n" + t.description;
  else if (customer_text && message) graded = message->body;
  TriageRecord record;
  auto prepared = graded.empty() ? nullptr : TakePrepared(graded, s);
  if (!graded.empty()) {
    int prior = std::max(0, history->Complaints(s.settings.risk_window_days) - 1) + t.reopen_count;
    nlp::EmotionResult r = prepared ? prepared->grade : s.grader->Grade(graded, 0);
    std::string cues = prepared ? prepared->cues : std::string();
    nlp::AddPriorComplaints(r, prior);  // the cue it adds comes last
    AppendCues(cues, r.cues);
    record.emotion = r.grade;
    record.threats = r.threats;
    record.cues = "[" + cues + "]";
    const nlp::LanguageHint hint{CountryOf(customer), customer.language};
    record.language = prepared ? nlp::ForCustomer(prepared->language, hint) : nlp::DetectLanguage(graded, hint);
    t.emotion = r.grade;
    AddThreats(t.threats, r.threats);
    if (!record.language.empty()) t.language = record.language;
  }

  // 2. Root cause, when nobody gave one.
  if (trigger == TicketTrigger::kCreated && !t.category_id && s.classifier && s.classifier->label_count() > 0) {
    const std::string text = t.subject + "\n" + t.description;
    auto top = prepared && prepared->classified && graded == text ? prepared->causes : s.classifier->Predict(text, 3);
    if (!top.empty() && top.front().probability >= s.settings.classifier_threshold) {
      if (const Category* c = cat->CategoryByKey(top.front().label)) {
        t.category_id = c->id;
        event("field_changed", "category", "", c->key,
              fmt::format("classifier: {}%", std::lround(top.front().probability * 100)));
      }
    } else {
      bj::array suggestions;
      for (const auto& sl : top)
        suggestions.push_back(bj::object{{"category", sl.label}, {"probability", sl.probability}});
      record.suggestions = bj::serialize(suggestions);
    }
  }

  // 3. The department's rules.
  Facts facts = FactsFor(
      trigger == TicketTrigger::kCreated           ? Trigger::kCreated
      : trigger == TicketTrigger::kCustomerMessage ? Trigger::kCustomerMessage
                                                   : Trigger::kUpdated,
      customer, *cat, BusinessHours(t.team_id, customer, now), t.subject,
      prepared && !message && graded == t.subject + "\n" + t.description
          ? prepared->folded
          : nlp::Fold(t.subject + "\n" + t.description + (message ? "\n" + message->body : std::string())),
      *history);
  const FoundTerms found = s.rules->terms.Scan(facts);
  facts.found = &found;
  RuleEffects fx = RunRules(s.rules->rules, facts, t);
  // A rule that moves the complaint changes it now, also when what triggered
  // triage (a red-case report) left the complaint itself untouched: the new
  // team's queue counts from here (Ticket::queued_at follows updated_at).
  if (t.team_id != team_before) t.updated_at = std::max(t.updated_at, now);
  for (const auto& c : fx.changes) {
    std::string from = c.from, to = c.to;
    if (c.field == "team") {
      from = from.empty() ? "" : (cat->TeamById(std::stoll(from)) ? cat->TeamById(std::stoll(from))->name : from);
      to = cat->TeamById(std::stoll(to)) ? cat->TeamById(std::stoll(to))->name : to;
    } else if (c.field == "assignee") {
      from = from.empty() ? "" : UserLogin(*cat, std::stoll(from));
      to = UserLogin(*cat, std::stoll(to));
    }
    event("field_changed", c.field, from, to, fmt::format("rule {} \"{}\" v{}", c.rule->id, c.rule->name, c.rule->version));
  }
  // The triage record is the grade history (emotion, threats, cues, language).
  if (!fx.fired.empty() || !graded.empty()) {
    record.ticket_id = id;
    record.message_id = message ? std::optional<Id>(message->id) : std::nullopt;
    record.at = now;
    record.trigger = std::string(TriggerName(facts.trigger));
    if (graded.empty()) {
      record.emotion = t.emotion;
      record.threats = t.threats;
      record.language = t.language;
    }
    record.fired_rules = FiredJson(fx);
    writes.push_back([record](WriteTx& w, Notifier&) mutable { return w.InsertTriageRecord(record); });
  }
  for (const auto& [rule, target] : fx.notify) {
    std::vector<Id> users = target.users;
    auto ranked = UsersWithRoles(*cat, t.team_id, target.roles);
    users.insert(users.end(), ranked.begin(), ranked.end());
    if (target.assignee && t.assignee_id) users.push_back(*t.assignee_id);
    std::string title = target.message.empty() ? fmt::format("{} {}", t.number, t.subject) : target.message;
    std::string body = fmt::format("rule \"{}\": {} {}", rule->name, t.number, t.subject);
    writes.push_back([=](WriteTx&, Notifier& n) { return n.Send(users, "rule", id, title, body); });
  }

  // 4. Red case.
  if (fx.red_case_reason && !t.red_case && !IsFinal(t.state_type)) {
    t.red_case = true;  // before routing: a red case goes to a supervisor
    writes.push_back([=, opened = t, reason = *fx.red_case_reason, source = fmt::format("rule:{}", fx.red_case_rule->id),
                      cadence = s.settings.red_case_cadence_minutes](WriteTx& w, Notifier& n) mutable -> Status {
      KEFU_TRY(OpenRedCase(w, *cat, opened, reason, source, std::nullopt, cadence, now, n));
      return {};
    });
  }

  // 5. Routing: a complaint in a team without an assignee.
  if (t.team_id && !t.assignee_id && !IsFinal(t.state_type) && t.state_type != StateType::kResolved) {
    std::string why;
    KEFU_ASSIGN(bool assigned, Assign(tx, *cat, t, RoutingRequest{*t.team_id, fx.required_skills, t.language,
                                                                   t.red_case, std::nullopt},
                                      now, writes, why));
    if (!assigned && trigger == TicketTrigger::kCreated)
      event("queued", "team", "", cat->TeamById(*t.team_id) ? cat->TeamById(*t.team_id)->name : std::to_string(*t.team_id),
            why);
  }

  // 6. What is written: the writes above, the complaint when it is stored
  // (a creation inserts it with these fields), then the customer's churn risk.
  return AfterInsert([this, snapshot, cat, customer = std::move(customer), history, before = std::move(before), now,
                      writes = std::move(writes), &t](WriteTx& w) -> Result<std::vector<Notification>> {
    std::vector<Notification> out;
    Notifier notify(w, now, out);
    for (const auto& write : writes) KEFU_TRY(write(w, notify));
    if (before) KEFU_TRY(w.UpdateTicket(t, *before));
    KEFU_TRY(UpdateRisk(w, *cat, snapshot->settings, customer, *history, t, now, notify));
    return out;
  });
}

Status TriageEngine::UpdateRisk(WriteTx& tx, const CatalogSnapshot& cat, const Settings& settings,
                                const Customer& customer, CustomerHistory& history, const Ticket& t, Millis now,
                                Notifier& notify) {
  KEFU_ASSIGN(auto previous, tx.GetCustomerRisk(customer.id));
  history.Update(t);
  KEFU_ASSIGN(CustomerRisk risk, history.Risk());
  bool over = risk.score >= settings.risk_threshold;
  risk.alerted = over && previous && previous->alerted;
  bool important = customer.tier == Tier::kVip || customer.tier == Tier::kEnterprise;
  if (over && important && !risk.alerted) {
    risk.alerted = true;
    KEFU_TRY(RecordEvent(tx, t.id, now, std::nullopt, "risk_alert", "customer_risk",
                         previous ? std::to_string(previous->score) : "", std::to_string(risk.score), risk.reasons));
    KEFU_TRY(notify.Send(UsersWithRoles(cat, t.team_id, {Role::kSupervisor, Role::kDirector}), "risk_alert", t.id,
                         fmt::format("{} 流失风险 {} / churn risk {}", customer.name, risk.score, risk.score),
                         risk.reasons));
  }
  if (!previous || previous->score != risk.score || previous->alerted != risk.alerted ||
      previous->reasons != risk.reasons)
    KEFU_TRY(tx.PutCustomerRisk(risk));
  return {};
}

Result<bool> TriageEngine::Assign(ReadTx& tx, const CatalogSnapshot& cat, Ticket& t, const RoutingRequest& req,
                                  Millis now, Writes& writes, std::string& why) {
  std::lock_guard lock(routing_mu_);
  KEFU_ASSIGN(auto decision, Route(tx, cat, routing_, req, why));
  if (!decision) return false;
  std::string from = t.assignee_id ? UserLogin(cat, t.assignee_id) : "";
  t.assignee_id = decision->user_id;
  auto& profile = routing_.profiles[decision->user_id];
  profile.last_assigned_at = now;
  auto& team = routing_.teams[req.team_id];
  team.team_id = req.team_id;
  team.last_assigned_user = decision->user_id;
  writes.push_back([=, id = t.id, to = UserLogin(cat, t.assignee_id), title = fmt::format("{} {}", t.number, t.subject),
                    round_robin = team.mode == RoutingMode::kRoundRobin](WriteTx& w, Notifier& n) -> Status {
    KEFU_TRY(RecordEvent(w, id, now, std::nullopt, "routed", "assignee", from, to, decision->reason));
    KEFU_TRY(w.SetLastAssigned(decision->user_id, now));
    if (round_robin) KEFU_TRY(w.PutTeamRouting(team));
    return n.Send({decision->user_id}, "assigned", id, title, decision->reason);
  });
  return true;
}

Result<std::optional<size_t>> TriageEngine::FirstMatch(ReadTx& tx, const std::vector<const Rule*>& conditions,
                                                       const Ticket& t, const Customer& c, Millis now) {
  auto s = snapshot_.Get();
  KEFU_ASSIGN(auto cat, catalog_.Get());
  Settings settings = s ? s->settings : Settings{};
  CustomerHistory history(tx, *cat, settings, c.id, now);
  Facts facts = FactsFor(Trigger::kUpdated, c, *cat, BusinessHours(t.team_id, c, now), t.subject,
                         nlp::Fold(t.subject + "\n" + t.description), history);
  facts.ticket = &t;
  for (size_t i = 0; i < conditions.size(); ++i)
    if (Matches(*conditions[i], facts)) return std::optional<size_t>(i);
  return std::optional<size_t>();
}

Result<bool> TriageEngine::Reassign(WriteTx& tx, Ticket& t, Notifier& notify, std::string& why) {
  if (!t.team_id) {
    why = "the complaint has no team";
    return false;
  }
  KEFU_ASSIGN(auto cat, catalog_.Get());
  RoutingRequest req{*t.team_id, {}, t.language, t.red_case, t.assignee_id};
  Writes writes;
  const Ticket stored = t;
  KEFU_ASSIGN(bool assigned, Assign(tx, *cat, t, req, clock_.Now(), writes, why));
  for (const auto& write : writes) KEFU_TRY(write(tx, notify));
  if (assigned) KEFU_TRY(tx.UpdateTicket(t, stored));
  return assigned;
}

// --- dry run ---

Result<bj::object> TriageEngine::DryRun(const Principal& p, const DryRunInput& in) {
  KEFU_TRY(Need(p, Permission::kTriageRead));
  auto s = snapshot_.Get();
  KEFU_ASSIGN(auto cat, catalog_.Get());
  Ticket t;
  Customer customer;
  std::string message;
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    if (in.ticket_id) {
      KEFU_ASSIGN(t, tx.GetTicket(*in.ticket_id));
      KEFU_ASSIGN(customer, tx.GetCustomer(t.customer_id));
      if (!CanSee(p, t, {})) return Fail(Error::NotFound(fmt::format("complaint {} not found", *in.ticket_id)));
      message = in.text;
      return {};
    }
    t.subject = in.subject;
    t.description = in.text;
    t.channel = in.channel.value_or(Channel::kWeb);
    t.severity = in.severity.value_or(Severity::kNormal);
    t.priority = in.priority.value_or(Priority::kNormal);
    if (in.category) {
      const Category* c = cat->CategoryByKey(*in.category);
      if (!c) return Fail(Error::Validation("category", fmt::format("no category has the key \"{}\"", *in.category)));
      t.category_id = c->id;
    }
    t.team_id = in.team_id;
    customer.tier = in.tier.value_or(Tier::kRegular);
    customer.region = in.region;
    customer.language = in.customer_language;
    return {};
  }));
  const Millis now = clock_.Now();
  std::string graded = in.ticket_id ? (message.empty() ? t.subject + "\n" + t.description : message)
                                    : t.subject + "\n" + t.description;
  int prior = 0;
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    if (customer.id) {
      CustomerHistory h(tx, *cat, s->settings, customer.id, now);
      prior = std::max(0, h.Complaints(s->settings.risk_window_days) - (in.ticket_id ? 1 : 0));
    }
    return {};
  }));
  nlp::EmotionResult r = s->grader->Grade(graded, prior + t.reopen_count);
  std::string language = nlp::DetectLanguage(graded, nlp::LanguageHint{CountryOf(customer), customer.language});
  Ticket after = t;
  after.emotion = r.grade;
  AddThreats(after.threats, r.threats);
  if (!language.empty()) after.language = language;
  bj::array suggestions;
  if (!after.category_id && s->classifier && s->classifier->label_count() > 0)
    for (const auto& sl : s->classifier->Predict(after.subject + "\n" + after.description, 3))
      suggestions.push_back(bj::object{{"category", sl.label}, {"probability", sl.probability}});
  RuleEffects fx;
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    // A customer who is not in the store (id 0) has no history.
    CustomerHistory h(tx, *cat, s->settings, customer.id, now);
    Facts facts = FactsFor(in.trigger, customer, *cat, BusinessHours(after.team_id, customer, in.at.value_or(now)),
                           after.subject,
                           nlp::Fold(after.subject + "\n" + after.description + (message.empty() ? "" : "\n" + message)),
                           h);
    fx = RunRules(s->rules->rules, facts, after);
    return {};
  }));
  bj::array fired, changes, cues;
  for (const Rule* rule : fx.fired) fired.push_back(bj::object{{"id", rule->id}, {"name", rule->name}, {"version", rule->version}});
  for (const auto& c : fx.changes)
    changes.push_back(bj::object{{"field", c.field}, {"from", c.from}, {"to", c.to}, {"rule_id", c.rule->id}});
  for (const auto& c : r.cues) cues.push_back(bj::object{{"kind", c.kind}, {"text", c.text}, {"weight", c.weight}});
  bj::array threats;
  for (ThreatKind k : after.threats) threats.emplace_back(Name(k));
  bj::array skills;
  for (const auto& sk : fx.required_skills) skills.emplace_back(sk);
  bj::array notify;
  for (const auto& [rule, target] : fx.notify) {
    bj::array roles;
    for (Role role : target.roles) roles.emplace_back(Name(role));
    notify.push_back(bj::object{{"rule_id", rule->id}, {"roles", std::move(roles)}, {"message", target.message}});
  }
  return bj::object{{"emotion", r.grade},
                    {"score", r.score},
                    {"threats", std::move(threats)},
                    {"cues", std::move(cues)},
                    {"language", language},
                    {"category_suggestions", std::move(suggestions)},
                    {"fired", std::move(fired)},
                    {"changes", std::move(changes)},
                    {"red_case", fx.red_case_reason ? bj::value(*fx.red_case_reason) : bj::value(nullptr)},
                    {"required_skills", std::move(skills)},
                    {"notify", std::move(notify)}};
}

// --- rules ---

Result<std::vector<StoredRule>> TriageEngine::ListRules(const Principal& p) {
  KEFU_TRY(Need(p, Permission::kTriageRead));
  std::vector<StoredRule> out;
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(out, tx.ListRules());
    return {};
  }));
  return out;
}

Result<StoredRule> TriageEngine::GetRule(const Principal& p, Id id) {
  KEFU_TRY(Need(p, Permission::kTriageRead));
  StoredRule out;
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(out, tx.GetRule(id));
    return {};
  }));
  return out;
}

namespace {
Status CheckRuleMeta(const bj::object& body, StoredRule& r, bool creating) {
  KEFU_ASSIGN(auto name, json::OptString(body, "name", "name"));
  if (name) {
    if (name->empty() || name->size() > 200) return Fail(Error::Validation("name", "name must be 1–200 bytes"));
    r.name = *name;
  } else if (creating) {
    return Fail(Error::Validation("name", "name is required"));
  }
  KEFU_ASSIGN(auto enabled, json::OptBool(body, "enabled"));
  if (enabled) r.enabled = *enabled;
  KEFU_ASSIGN(auto position, json::OptInt(body, "position", "position"));
  if (position) {
    if (*position < 0 || *position > 1000000) return Fail(Error::Validation("position", "position must be 0–1000000"));
    r.position = static_cast<int>(*position);
  }
  return {};
}
}  // namespace

Result<StoredRule> TriageEngine::CreateRule(const Principal& p, const bj::object& body) {
  KEFU_TRY(Need(p, Permission::kTriageManage));
  KEFU_ASSIGN(auto cat, catalog_.Get());
  KEFU_TRY(ParseRule(body, *cat));
  StoredRule r;
  KEFU_TRY(CheckRuleMeta(body, r, true));
  r.body = RuleBodyText(body);
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    Millis now = clock_.Now();
    if (!body.contains("position")) {
      KEFU_ASSIGN(auto rules, tx.ListRules());
      r.position = rules.empty() ? 10 : rules.back().position + 10;
    }
    r.version = 1;
    r.updated_by = p.user.id;
    r.created_at = r.updated_at = now;
    KEFU_TRY(tx.InsertRule(r));
    return tx.InsertRuleVersion(RuleVersion{r.id, 1, r.name, r.enabled, r.body, p.user.id, now});
  }));
  KEFU_TRY(Reload(kRules));
  return r;
}

Result<StoredRule> TriageEngine::UpdateRule(const Principal& p, Id id, const bj::object& body) {
  KEFU_TRY(Need(p, Permission::kTriageManage));
  KEFU_ASSIGN(auto cat, catalog_.Get());
  bool logic = body.contains("when") || body.contains("then") || body.contains("on") || body.contains("stop");
  StoredRule r;
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    KEFU_ASSIGN(r, tx.GetRule(id));
    KEFU_TRY(CheckRuleMeta(body, r, false));
    if (logic) {
      // A partial body keeps the parts it does not name (the name, position
      // and enabled flag ParseRule accepts and RuleBodyText leaves out).
      const bj::object merged = json::Overlay(r.body, body);
      KEFU_TRY(ParseRule(merged, *cat));
      r.body = RuleBodyText(merged);
    }
    Millis now = clock_.Now();
    r.version++;
    r.updated_by = p.user.id;
    r.updated_at = now;
    KEFU_TRY(tx.UpdateRule(r));
    return tx.InsertRuleVersion(RuleVersion{r.id, r.version, r.name, r.enabled, r.body, p.user.id, now});
  }));
  KEFU_TRY(Reload(kRules));
  return r;
}

Status TriageEngine::DeleteRule(const Principal& p, Id id) {
  KEFU_TRY(Need(p, Permission::kTriageManage));
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    KEFU_ASSIGN(auto r, tx.GetRule(id));
    Millis now = clock_.Now();
    r.deleted = true;
    r.enabled = false;
    r.version++;
    r.updated_by = p.user.id;
    r.updated_at = now;
    KEFU_TRY(tx.UpdateRule(r));
    return tx.InsertRuleVersion(RuleVersion{r.id, r.version, r.name, false, r.body, p.user.id, now});
  }));
  return Reload(kRules);
}

Result<std::vector<RuleVersion>> TriageEngine::RuleVersions(const Principal& p, Id id) {
  KEFU_TRY(Need(p, Permission::kTriageRead));
  std::vector<RuleVersion> out;
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(out, tx.ListRuleVersions(id));
    if (out.empty()) return Fail(Error::NotFound(fmt::format("rule {} not found", id)));
    return {};
  }));
  return out;
}

// --- lexicon ---

Result<std::vector<LexiconRow>> TriageEngine::ListLexicon(const Principal& p) {
  KEFU_TRY(Need(p, Permission::kTriageRead));
  std::vector<LexiconRow> out;
  for (const auto& e : nlp::DefaultLexicon()) out.push_back(LexiconRow{0, e.kind, e.term, e.weight, e.language, {}, 0});
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(auto own, tx.ListLexicon());
    out.insert(out.end(), own.begin(), own.end());
    return {};
  }));
  return out;
}

Result<LexiconRow> TriageEngine::AddLexicon(const Principal& p, LexiconRow row) {
  KEFU_TRY(Need(p, Permission::kTriageManage));
  KEFU_TRY(nlp::ValidateLexiconEntry(nlp::LexiconEntry{row.kind, row.term, row.weight, row.language}));
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    row.created_by = p.user.id;
    row.created_at = clock_.Now();
    return tx.InsertLexicon(row);
  }));
  KEFU_TRY(Reload(kLexicon));
  return row;
}

Status TriageEngine::DeleteLexicon(const Principal& p, Id id) {
  KEFU_TRY(Need(p, Permission::kTriageManage));
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status { return tx.DeleteLexicon(id); }));
  return Reload(kLexicon);
}

// --- settings ---

Result<Settings> TriageEngine::GetSettings(const Principal& p) {
  KEFU_TRY(Need(p, Permission::kTriageRead));
  return CurrentSettings();
}

Result<Settings> TriageEngine::PutSettings(const Principal& p, const bj::object& body) {
  KEFU_TRY(Need(p, Permission::kTriageManage));
  KEFU_ASSIGN(auto next, ParseSettings(body, CurrentSettings()));
  KEFU_ASSIGN(auto cat, catalog_.Get());
  for (const auto& key : next.failure_categories)
    if (!cat->CategoryByKey(key))
      return Fail(Error::Validation("failure_categories", fmt::format("no category has the key \"{}\"", key)));
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status { return tx.PutSetting(kSettingsKey, bj::serialize(SettingsJson(next))); }));
  KEFU_TRY(Reload(kSettings));
  return next;
}

// --- routing ---

Result<std::vector<AgentProfile>> TriageEngine::ListProfiles(const Principal& p) {
  KEFU_TRY(Need(p, Permission::kUsersRead));
  std::lock_guard lock(routing_mu_);
  std::vector<AgentProfile> out;
  for (const auto& [id, profile] : routing_.profiles) out.push_back(profile);
  std::ranges::sort(out, {}, &AgentProfile::user_id);
  return out;
}

namespace {
Result<std::vector<std::string>> Skills(const bj::object& body) {
  KEFU_ASSIGN(auto skills, json::OptStringArray(body, "skills"));
  std::vector<std::string> out = skills.value_or(std::vector<std::string>{});
  if (out.size() > 100) return Fail(Error::Validation("skills", "at most 100 skills"));
  for (const auto& s : out)
    if (s.empty() || s.size() > 64 || s.find('\n') != std::string::npos)
      return Fail(Error::Validation("skills", "skills are 1–64 bytes on one line, such as lang:th or product:phone"));
  std::ranges::sort(out);
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}
}  // namespace

Result<AgentProfile> TriageEngine::PutProfile(const Principal& p, Id user_id, const bj::object& body) {
  KEFU_TRY(Need(p, Permission::kTriageManage));
  KEFU_ASSIGN(auto cat, catalog_.Get());
  if (!cat->UserById(user_id)) return Fail(Error::NotFound(fmt::format("user {} not found", user_id)));
  AgentProfile profile;
  {
    std::lock_guard lock(routing_mu_);
    auto it = routing_.profiles.find(user_id);
    profile = it != routing_.profiles.end() ? it->second : AgentProfile{user_id, {}, 10, Presence::kOffline, 0, 0};
  }
  if (body.contains("skills")) {
    KEFU_ASSIGN(profile.skills, Skills(body));
  }
  KEFU_ASSIGN(auto capacity, json::OptInt(body, "capacity", "capacity"));
  if (capacity) {
    if (*capacity < 0 || *capacity > 1000) return Fail(Error::Validation("capacity", "capacity must be 0–1000"));
    profile.capacity = static_cast<int>(*capacity);
  }
  KEFU_ASSIGN(auto presence, json::OptString(body, "presence", "presence"));
  if (presence) {
    auto v = Parse<Presence>(*presence);
    if (!v) return Fail(Error::Validation("presence", "presence is one of " + AllowedNames<Presence>()));
    profile.presence = *v;
    profile.presence_at = clock_.Now();
  }
  std::lock_guard lock(routing_mu_);
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status { return tx.PutAgentProfile(profile); }));
  routing_.profiles[user_id] = profile;
  return profile;
}

Result<AgentProfile> TriageEngine::SetPresence(const Principal& p, Presence presence) {
  KEFU_TRY(Need(p, Permission::kTicketsRead));
  std::lock_guard lock(routing_mu_);
  auto it = routing_.profiles.find(p.user.id);
  AgentProfile profile = it != routing_.profiles.end() ? it->second : AgentProfile{p.user.id, {}, 10, presence, 0, 0};
  profile.presence = presence;
  profile.presence_at = clock_.Now();
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status { return tx.PutAgentProfile(profile); }));
  routing_.profiles[p.user.id] = profile;
  return profile;
}

Result<std::vector<TeamRouting>> TriageEngine::ListTeamRouting(const Principal& p) {
  KEFU_TRY(Need(p, Permission::kUsersRead));
  KEFU_ASSIGN(auto cat, catalog_.Get());
  std::lock_guard lock(routing_mu_);
  std::vector<TeamRouting> out;
  for (const auto& team : cat->teams) {
    auto it = routing_.teams.find(team.id);
    out.push_back(it != routing_.teams.end() ? it->second : TeamRouting{team.id});
  }
  return out;
}

Result<TeamRouting> TriageEngine::PutTeamRouting(const Principal& p, Id team_id, const bj::object& body) {
  KEFU_TRY(Need(p, Permission::kTriageManage));
  KEFU_ASSIGN(auto cat, catalog_.Get());
  if (!cat->TeamById(team_id)) return Fail(Error::NotFound(fmt::format("team {} not found", team_id)));
  std::lock_guard lock(routing_mu_);
  auto it = routing_.teams.find(team_id);
  TeamRouting t = it != routing_.teams.end() ? it->second : TeamRouting{team_id};
  KEFU_ASSIGN(auto mode, json::OptString(body, "mode", "mode"));
  if (mode) {
    auto v = Parse<RoutingMode>(*mode);
    if (!v) return Fail(Error::Validation("mode", "mode is one of " + AllowedNames<RoutingMode>()));
    t.mode = *v;
  }
  if (body.contains("skills")) {
    KEFU_ASSIGN(t.skills, Skills(body));
  }
  if (json::IsNull(body, "fallback_team_id")) {
    t.fallback_team_id.reset();
  } else {
    KEFU_ASSIGN(auto fallback, json::OptInt(body, "fallback_team_id", "fallback_team_id"));
    if (fallback) {
      if (*fallback == team_id || !cat->TeamById(*fallback))
        return Fail(Error::Validation("fallback_team_id", "the fallback must be another existing team"));
      t.fallback_team_id = *fallback;
    }
  }
  KEFU_ASSIGN(auto overflow, json::OptInt(body, "overflow_minutes", "overflow_minutes"));
  if (overflow) {
    if (*overflow < 0 || *overflow > 7 * 1440)
      return Fail(Error::Validation("overflow_minutes", "overflow_minutes must be 0–10080"));
    t.overflow_minutes = static_cast<int>(*overflow);
  }
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status { return tx.PutTeamRouting(t); }));
  routing_.teams[team_id] = t;
  return t;
}

// --- classifier ---

Result<ClassifierInfo> TriageEngine::Retrain() {
  std::lock_guard train(train_mu_);
  KEFU_ASSIGN(auto cat, catalog_.Get());
  std::vector<nlp::LabelledText> examples;
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(auto rows, tx.CategoryExamples(50000));
    for (auto& [text, category_id] : rows) {
      std::string label = Label(*cat, category_id);
      if (!label.empty()) examples.push_back(nlp::LabelledText{std::move(text), std::move(label)});
    }
    return {};
  }));
  auto settings = CurrentSettings();
  if (static_cast<int>(examples.size()) < settings.classifier_min_examples)
    return Fail(Error{ErrorCode::kConflict,
                      fmt::format("the classifier needs at least {} complaints whose cause an agent set; there are {}",
                                  settings.classifier_min_examples, examples.size()),
                      {}});
  auto model = nlp::Classifier::Train(examples);
  StoredModel stored{kModelKind, clock_.Now(), static_cast<int>(examples.size()), model.Serialize()};
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status { return tx.PutModel(stored); }));
  KEFU_TRY(Reload(kModel));
  return ModelInfo();
}

Result<bj::object> TriageEngine::EvaluateClassifier(double test_fraction) {
  KEFU_ASSIGN(auto cat, catalog_.Get());
  std::vector<nlp::LabelledText> examples;
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(auto rows, tx.CategoryExamples(50000));
    for (auto& [text, category_id] : rows) {
      std::string label = Label(*cat, category_id);
      if (!label.empty()) examples.push_back(nlp::LabelledText{std::move(text), std::move(label)});
    }
    return {};
  }));
  auto e = nlp::EvaluateClassifier(examples, test_fraction);
  return bj::object{{"train", e.train}, {"test", e.test}, {"accuracy", e.accuracy}, {"top3_accuracy", e.top3_accuracy}};
}

// --- risk ---

Result<std::vector<CustomerRisk>> TriageEngine::ListRisk(const Principal& p, int min_score, int limit) {
  KEFU_TRY(Need(p, Permission::kRiskRead));
  std::vector<CustomerRisk> out;
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(out, tx.ListCustomerRisk(min_score, std::clamp(limit, 1, 500)));
    return {};
  }));
  return out;
}

Result<CustomerRisk> TriageEngine::CustomerRiskNow(const Principal& p, Id customer_id) {
  KEFU_TRY(Need(p, Permission::kRiskRead));
  KEFU_ASSIGN(auto cat, catalog_.Get());
  auto settings = CurrentSettings();
  CustomerRisk out;
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    KEFU_TRY(tx.GetCustomer(customer_id));
    KEFU_ASSIGN(out, ComputeRisk(tx, *cat, settings, customer_id, clock_.Now()));
    return {};
  }));
  return out;
}

Result<std::vector<TriageRecord>> TriageEngine::History(const Principal& p, Id ticket_id, TicketService& tickets) {
  KEFU_TRY(tickets.Get(p, ticket_id));  // visibility
  std::vector<TriageRecord> out;
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(out, tx.ListTriageRecords(ticket_id));
    return {};
  }));
  return out;
}

// --- periodic work ---

Result<std::vector<Notification>> TriageEngine::Sweep() {
  std::vector<Notification> out;
  const Millis now = clock_.Now();
  std::vector<TeamRouting> overflowing;
  {
    std::lock_guard lock(routing_mu_);
    for (const auto& [id, t] : routing_.teams)
      if (t.overflow_minutes > 0 && t.fallback_team_id) overflowing.push_back(t);
  }
  KEFU_ASSIGN(auto cat, catalog_.Get());
  for (const auto& team : overflowing) {
    const Team* fallback = cat->TeamById(*team.fallback_team_id);
    if (!fallback) continue;
    // The wait counts from when the complaint last entered the team's queue
    // (Ticket::queued_at): those waiting longest come first, so complaints that
    // came back to the queue lately never hold up the ones behind them.
    const Millis queued_by = now - static_cast<Millis>(team.overflow_minutes) * 60'000;
    std::vector<Ticket> late;
    KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
      KEFU_ASSIGN(late, tx.ListQueued(team.team_id, queued_by, kOverflowBatch));
      return {};
    }));
    if (late.empty()) continue;
    const Team* from = cat->TeamById(team.team_id);
    auto s = snapshot_.Get();
    auto overflow = [&](WriteTx& tx, const Ticket& listed, std::vector<Notification>& sent) -> Status {
      KEFU_ASSIGN(Ticket t, tx.GetTicket(listed.id));
      const bool still_waiting = !t.assignee_id && t.team_id == team.team_id &&
                                 (t.state_type == StateType::kNew || t.state_type == StateType::kOpen) &&
                                 t.queued_at && *t.queued_at <= queued_by;
      if (!still_waiting) return {};  // taken, moved or no longer open since it was listed
      const Ticket before = t;
      t.team_id = fallback->id;
      t.updated_at = now;
      KEFU_TRY(RecordEvent(tx, t.id, now, std::nullopt, "overflowed", "team", from ? from->name : std::to_string(team.team_id), fallback->name,
          fmt::format("unassigned for more than {} minutes", team.overflow_minutes)));
      KEFU_TRY(tx.UpdateTicket(t, before));
      KEFU_ASSIGN(auto finish, Decide(tx, s, TicketTrigger::kUpdated, t, nullptr, nullptr, true));
      KEFU_ASSIGN(auto written, finish(tx));
      sent.insert(sent.end(), written.begin(), written.end());
      return {};
    };
    std::vector<Notification> sent;
    auto batch = store_.Write([&](WriteTx& tx) -> Status {
      sent.clear();
      for (const auto& listed : late) KEFU_TRY(overflow(tx, listed, sent));
      return {};
    });
    if (!batch) {
      // One complaint that cannot be moved must not hold up the rest of the
      // queue (or the other teams): each is moved on its own, a failure skipped.
      spdlog::warn("overflow of team {}: {}; moving its complaints one by one", team.team_id, batch.error().message);
      sent.clear();
      for (const auto& listed : late) {
        std::vector<Notification> one;
        auto moved = store_.Write([&](WriteTx& tx) -> Status {
          one.clear();
          return overflow(tx, listed, one);
        });
        if (moved) sent.insert(sent.end(), one.begin(), one.end());
        else spdlog::warn("overflow of complaint {} failed: {}", listed.id, moved.error().message);
      }
    }
    out.insert(out.end(), sent.begin(), sent.end());
  }
  const Millis every = static_cast<Millis>(CurrentSettings().retrain_hours) * 3'600'000;
  if (now - std::max(ModelInfo().trained_at, last_scheduled_training_.load()) >= every) {
    last_scheduled_training_ = now;
    auto trained = Retrain();
    if (!trained && trained.error().code != ErrorCode::kConflict)
      spdlog::warn("classifier retraining failed: {}", trained.error().message);
  }
  return out;
}

}  // namespace kefu::triage
