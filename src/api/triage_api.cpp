// Triage: /api/v1/triage/*, red cases, customers at risk, routing profiles,
// presence, and the in-app notification inbox.
#include <charconv>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "api/context.h"
#include "api/serialize.h"
#include "core/json.h"
#include "core/text.h"
#include "triage/engine.h"
#include "triage/red_cases.h"

namespace kefu::api {

namespace bj = boost::json;

namespace {

bj::value Parsed(const std::string& text) {
  auto v = json::ParseDocument(text);
  return v ? *v : bj::value(nullptr);
}

bj::object RuleJson(const StoredRule& r) {
  bj::object o{{"id", r.id},           {"name", r.name},
               {"position", r.position}, {"enabled", r.enabled},
               {"version", r.version},   {"updated_by", OptId(r.updated_by)},
               {"created_at", Time(r.created_at)}, {"updated_at", Time(r.updated_at)}};
  bj::value body = Parsed(r.body);
  if (body.is_object())
    for (const auto& [k, v] : body.as_object()) o[k] = v;
  return o;
}

bj::object LexiconJson(const LexiconRow& l) {
  return bj::object{{"id", l.id},         {"kind", l.kind},
                    {"term", l.term},     {"weight", l.weight},
                    {"language", l.language}, {"built_in", l.id == 0},
                    {"created_at", l.id ? Time(l.created_at) : bj::value(nullptr)}};
}

bj::object ProfileJson(const AgentProfile& a, const CatalogSnapshot& cat) {
  bj::array skills;
  for (const auto& s : a.skills) skills.emplace_back(s);
  return bj::object{{"user_id", a.user_id},
                    {"name", cat.UserName(a.user_id)},
                    {"skills", std::move(skills)},
                    {"capacity", a.capacity},
                    {"presence", Name(a.presence)},
                    {"presence_at", a.presence_at ? Time(a.presence_at) : bj::value(nullptr)},
                    {"last_assigned_at", a.last_assigned_at ? Time(a.last_assigned_at) : bj::value(nullptr)}};
}

bj::object TeamRoutingJson(const TeamRouting& t, const CatalogSnapshot& cat) {
  bj::array skills;
  for (const auto& s : t.skills) skills.emplace_back(s);
  const Team* team = cat.TeamById(t.team_id);
  return bj::object{{"team_id", t.team_id},
                    {"team_name", team ? bj::value(team->name) : bj::value(nullptr)},
                    {"mode", Name(t.mode)},
                    {"skills", std::move(skills)},
                    {"fallback_team_id", OptId(t.fallback_team_id)},
                    {"overflow_minutes", t.overflow_minutes}};
}

bj::object RedCaseJson(const RedCase& r, const CatalogSnapshot& cat) {
  bj::array members;
  for (Id m : r.member_ids) members.push_back(bj::object{{"id", m}, {"name", cat.UserName(m)}});
  return bj::object{{"id", r.id},
                    {"ticket_id", r.ticket_id},
                    {"state", Name(r.state)},
                    {"reason", r.reason},
                    {"source", r.source},
                    {"owner_id", OptId(r.owner_id)},
                    {"owner_name", r.owner_id ? bj::value(cat.UserName(r.owner_id)) : bj::value(nullptr)},
                    {"members", std::move(members)},
                    {"cadence_minutes", r.cadence_minutes},
                    {"opened_at", Time(r.opened_at)},
                    {"opened_by", OptId(r.opened_by)},
                    {"last_update_at", Time(r.last_update_at)},
                    {"next_update_due", Time(r.next_update_due)},
                    {"missed_updates", r.missed_updates},
                    {"closed_at", Time(r.closed_at)},
                    {"closed_by", OptId(r.closed_by)},
                    {"close_reason", r.close_reason}};
}

bj::object UpdateJson(const RedCaseUpdate& u, const CatalogSnapshot& cat) {
  return bj::object{{"id", u.id},
                    {"author_id", OptId(u.author_id)},
                    {"author_name", u.author_id ? bj::value(cat.UserName(u.author_id)) : bj::value(nullptr)},
                    {"body", u.body},
                    {"at", Time(u.at)}};
}

bj::object RiskJson(const CustomerRisk& r) {
  return bj::object{{"customer_id", r.customer_id}, {"score", r.score}, {"reasons", Parsed(r.reasons)},
                    {"updated_at", Time(r.updated_at)}, {"alerted", r.alerted}};
}

bj::object RecordJson(const TriageRecord& t) {
  return bj::object{{"id", t.id},
                    {"message_id", OptId(t.message_id)},
                    {"at", Time(t.at)},
                    {"trigger", t.trigger},
                    {"emotion", t.emotion},
                    {"threats", ThreatsJson(t.threats)},
                    {"cues", Parsed(t.cues)},
                    {"language", t.language},
                    {"category_suggestions", Parsed(t.suggestions)},
                    {"fired_rules", Parsed(t.fired_rules)}};
}

template <typename E>
Result<std::optional<E>> OptEnum(const bj::object& o, const char* key) {
  KEFU_ASSIGN(auto s, json::OptString(o, key, key));
  if (!s) return std::optional<E>();
  auto v = Parse<E>(*s);
  if (!v) return Fail(Error::Validation(key, fmt::format("{} must be one of {}", key, AllowedNames<E>())));
  return std::optional<E>(*v);
}

Result<triage::DryRunInput> DryRunBody(const bj::object& o) {
  triage::DryRunInput in;
  KEFU_ASSIGN(in.ticket_id, json::OptInt(o, "ticket_id", "ticket_id"));
  KEFU_ASSIGN(auto subject, json::OptString(o, "subject", "subject"));
  KEFU_ASSIGN(auto text, json::OptString(o, "text", "text"));
  in.subject = subject.value_or("");
  in.text = text.value_or("");
  if (!in.ticket_id && in.subject.empty() && in.text.empty())
    return Fail(Error::Validation("text", "give ticket_id, or a subject or text to try"));
  KEFU_TRY(CheckText("subject", in.subject, 0, 200));
  KEFU_TRY(CheckText("text", in.text, 0, 20000, true));
  KEFU_ASSIGN(in.channel, OptEnum<Channel>(o, "channel"));
  KEFU_ASSIGN(in.tier, OptEnum<Tier>(o, "tier"));
  KEFU_ASSIGN(in.severity, OptEnum<Severity>(o, "severity"));
  KEFU_ASSIGN(in.priority, OptEnum<Priority>(o, "priority"));
  KEFU_ASSIGN(in.category, json::OptString(o, "category", "category"));
  KEFU_ASSIGN(in.team_id, json::OptInt(o, "team_id", "team_id"));
  KEFU_ASSIGN(auto region, json::OptString(o, "region", "region"));
  KEFU_ASSIGN(auto language, json::OptString(o, "customer_language", "customer_language"));
  in.region = region.value_or("");
  in.customer_language = language.value_or("");
  KEFU_ASSIGN(auto trigger, json::OptString(o, "trigger", "trigger"));
  if (trigger) {
    if (*trigger == "created") in.trigger = triage::Trigger::kCreated;
    else if (*trigger == "updated") in.trigger = triage::Trigger::kUpdated;
    else if (*trigger == "customer_message") in.trigger = triage::Trigger::kCustomerMessage;
    else return Fail(Error::Validation("trigger", "trigger must be one of created|updated|customer_message"));
  }
  KEFU_ASSIGN(auto at, json::OptString(o, "at", "at"));
  if (at) {
    in.at = ParseRfc3339(*at);
    if (!in.at) return Fail(Error::Validation("at", "at must be an RFC 3339 date-time"));
  }
  return in;
}

}  // namespace

void AddTriageRoutes(http::Router& router, Services& s) {
  // --- rules ---
  Authed(router, s, "GET", "/api/v1/triage/rules", [&s](http::Request&, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(auto rules, s.triage.ListRules(p));
    bj::array items;
    for (const auto& r : rules) items.push_back(RuleJson(r));
    return Items(std::move(items));
  });
  Authed(router, s, "POST", "/api/v1/triage/rules", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(auto body, BodyJson(r));
    KEFU_ASSIGN(auto rule, s.triage.CreateRule(p, body.as_object()));
    return JsonResponse(201, RuleJson(rule));
  });
  Authed(router, s, "GET", "/api/v1/triage/rules/{id}", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(Id id, PathId(r));
    KEFU_ASSIGN(auto rule, s.triage.GetRule(p, id));
    return JsonResponse(200, RuleJson(rule));
  });
  Authed(router, s, "PATCH", "/api/v1/triage/rules/{id}", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(Id id, PathId(r));
    KEFU_ASSIGN(auto body, BodyJson(r));
    KEFU_ASSIGN(auto rule, s.triage.UpdateRule(p, id, body.as_object()));
    return JsonResponse(200, RuleJson(rule));
  });
  Authed(router, s, "DELETE", "/api/v1/triage/rules/{id}", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(Id id, PathId(r));
    KEFU_TRY(s.triage.DeleteRule(p, id));
    return NoContent();
  });
  Authed(router, s, "GET", "/api/v1/triage/rules/{id}/versions",
         [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
           KEFU_ASSIGN(Id id, PathId(r));
           KEFU_ASSIGN(auto versions, s.triage.RuleVersions(p, id));
           bj::array items;
           for (const auto& v : versions)
             items.push_back(bj::object{{"version", v.version}, {"name", v.name}, {"enabled", v.enabled},
                                        {"body", Parsed(v.body)}, {"changed_by", OptId(v.changed_by)},
                                        {"changed_at", Time(v.changed_at)}});
           return Items(std::move(items));
         });
  Authed(router, s, "POST", "/api/v1/triage/dry-run", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(auto body, BodyJson(r));
    KEFU_ASSIGN(auto in, DryRunBody(body.as_object()));
    KEFU_ASSIGN(auto out, s.triage.DryRun(p, in));
    return JsonResponse(200, out);
  });

  // --- lexicon ---
  Authed(router, s, "GET", "/api/v1/triage/lexicon", [&s](http::Request&, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(auto rows, s.triage.ListLexicon(p));
    bj::array items;
    for (const auto& l : rows) items.push_back(LexiconJson(l));
    return Items(std::move(items));
  });
  Authed(router, s, "POST", "/api/v1/triage/lexicon", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(auto body, BodyJson(r));
    const auto& o = body.as_object();
    LexiconRow row;
    KEFU_ASSIGN(auto kind, json::OptString(o, "kind", "kind"));
    KEFU_ASSIGN(auto term, json::OptString(o, "term", "term"));
    KEFU_ASSIGN(auto language, json::OptString(o, "language", "language"));
    if (const auto* w = o.if_contains("weight")) {
      if (!w->is_number()) return Fail(Error::Validation("weight", "weight must be a number"));
      row.weight = w->to_number<double>();
    }
    row.kind = kind.value_or("");
    row.term = term.value_or("");
    row.language = language.value_or("");
    KEFU_ASSIGN(auto added, s.triage.AddLexicon(p, row));
    return JsonResponse(201, LexiconJson(added));
  });
  Authed(router, s, "DELETE", "/api/v1/triage/lexicon/{id}", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(Id id, PathId(r));
    KEFU_TRY(s.triage.DeleteLexicon(p, id));
    return NoContent();
  });

  // --- settings and classifier ---
  Authed(router, s, "GET", "/api/v1/triage/settings", [&s](http::Request&, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(auto settings, s.triage.GetSettings(p));
    return JsonResponse(200, triage::SettingsJson(settings));
  });
  Authed(router, s, "PATCH", "/api/v1/triage/settings", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(auto body, BodyJson(r));
    KEFU_ASSIGN(auto settings, s.triage.PutSettings(p, body.as_object()));
    return JsonResponse(200, triage::SettingsJson(settings));
  });
  auto model_json = [](const triage::ClassifierInfo& m) {
    return bj::object{{"trained", m.trained}, {"trained_at", m.trained ? Time(m.trained_at) : bj::value(nullptr)},
                      {"examples", m.examples}, {"labels", m.labels}, {"vocabulary", m.vocabulary}};
  };
  Authed(router, s, "GET", "/api/v1/triage/classifier", [&s, model_json](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_TRY(Need(p, Permission::kTriageRead));
    bj::object o = model_json(s.triage.ModelInfo());
    if (r.Query("evaluate").value_or("") == "true") {
      // trains on 80 % of the labelled complaints and tests on the rest, like `kefu triage eval`
      KEFU_ASSIGN(auto evaluation, s.triage.EvaluateClassifier(0.2));
      o["evaluation"] = std::move(evaluation);
    }
    return JsonResponse(200, o);
  });
  Authed(router, s, "POST", "/api/v1/triage/classifier/retrain",
         [&s, model_json](http::Request&, const Principal& p) -> Result<http::Response> {
           KEFU_TRY(Need(p, Permission::kTriageManage));
           KEFU_ASSIGN(auto info, s.triage.Retrain());
           return JsonResponse(200, model_json(info));
         });

  // --- a complaint's triage ---
  Authed(router, s, "GET", "/api/v1/tickets/{id}/triage", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(Id id, PathId(r));
    KEFU_ASSIGN(auto records, s.triage.History(p, id, s.tickets));
    KEFU_ASSIGN(auto red_cases, s.red_cases.OfTicket(p, id));
    KEFU_ASSIGN(auto cat, s.catalog.Get());
    bj::array history, cases;
    for (const auto& t : records) history.push_back(RecordJson(t));
    for (const auto& c : red_cases) cases.push_back(RedCaseJson(c, *cat));
    return JsonResponse(200, bj::object{{"history", std::move(history)}, {"red_cases", std::move(cases)}});
  });
  Authed(router, s, "POST", "/api/v1/tickets/{id}/red-case", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(Id id, PathId(r));
    KEFU_ASSIGN(auto body, BodyJson(r));
    KEFU_ASSIGN(auto reason, json::OptString(body.as_object(), "reason", "reason"));
    KEFU_ASSIGN(auto owner, json::OptInt(body.as_object(), "owner_id", "owner_id"));
    KEFU_ASSIGN(auto rc, s.red_cases.Open(p, id, reason.value_or(""), owner));
    KEFU_ASSIGN(auto cat, s.catalog.Get());
    return JsonResponse(201, RedCaseJson(rc, *cat));
  });

  // --- red cases ---
  Authed(router, s, "GET", "/api/v1/red-cases", [&s](http::Request&, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(auto rows, s.red_cases.Board(p));
    KEFU_ASSIGN(auto cat, s.catalog.Get());
    bj::array items;
    for (const auto& row : rows) {
      bj::object o = RedCaseJson(row.red_case, *cat);
      o["ticket"] = TicketJson(row.ticket, &row.customer, *cat, p);
      o["last_update"] = row.last_update ? bj::value(UpdateJson(*row.last_update, *cat)) : bj::value(nullptr);
      items.push_back(std::move(o));
    }
    return Items(std::move(items));
  });
  Authed(router, s, "GET", "/api/v1/red-cases/{id}", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(Id id, PathId(r));
    KEFU_ASSIGN(auto d, s.red_cases.Get(p, id));
    KEFU_ASSIGN(auto cat, s.catalog.Get());
    bj::object o = RedCaseJson(d.red_case, *cat);
    o["ticket"] = TicketJson(d.ticket, nullptr, *cat, p);
    bj::array updates;
    for (const auto& u : d.updates) updates.push_back(UpdateJson(u, *cat));
    o["updates"] = std::move(updates);
    return JsonResponse(200, o);
  });
  Authed(router, s, "PATCH", "/api/v1/red-cases/{id}", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(Id id, PathId(r));
    KEFU_ASSIGN(auto body, BodyJson(r));
    const auto& o = body.as_object();
    triage::RedCaseChange change;
    KEFU_ASSIGN(change.owner_id, json::OptInt(o, "owner_id", "owner_id"));
    KEFU_ASSIGN(auto members, json::OptIntArray(o, "member_ids"));
    change.member_ids = members;
    KEFU_ASSIGN(auto cadence, json::OptInt(o, "cadence_minutes", "cadence_minutes"));
    if (cadence) change.cadence_minutes = static_cast<int>(std::clamp<std::int64_t>(*cadence, -1, 1'000'000));
    KEFU_ASSIGN(auto rc, s.red_cases.Change(p, id, change));
    KEFU_ASSIGN(auto cat, s.catalog.Get());
    return JsonResponse(200, RedCaseJson(rc, *cat));
  });
  Authed(router, s, "POST", "/api/v1/red-cases/{id}/updates", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(Id id, PathId(r));
    KEFU_ASSIGN(auto body, BodyJson(r));
    KEFU_ASSIGN(auto text, json::OptString(body.as_object(), "body", "body"));
    KEFU_ASSIGN(auto u, s.red_cases.AddUpdate(p, id, text.value_or("")));
    KEFU_ASSIGN(auto cat, s.catalog.Get());
    return JsonResponse(201, UpdateJson(u, *cat));
  });
  Authed(router, s, "POST", "/api/v1/red-cases/{id}/close", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(Id id, PathId(r));
    KEFU_ASSIGN(auto body, BodyJson(r));
    KEFU_ASSIGN(auto reason, json::OptString(body.as_object(), "reason", "reason"));
    KEFU_ASSIGN(auto rc, s.red_cases.Close(p, id, reason.value_or("")));
    KEFU_ASSIGN(auto cat, s.catalog.Get());
    return JsonResponse(200, RedCaseJson(rc, *cat));
  });

  // --- churn risk ---
  Authed(router, s, "GET", "/api/v1/customers/at-risk", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(auto min, QueryInt(r, "min_score", 0, 100));
    KEFU_ASSIGN(auto limit, QueryInt(r, "limit", 1, 500));
    int threshold = s.triage.CurrentSettings().risk_threshold;
    KEFU_ASSIGN(auto risks, s.triage.ListRisk(p, static_cast<int>(min.value_or(threshold)),
                                              static_cast<int>(limit.value_or(100))));
    std::vector<Id> ids;
    for (const auto& risk : risks) ids.push_back(risk.customer_id);
    std::vector<Customer> customers;
    KEFU_TRY(s.store.Read([&](ReadTx& tx) -> Status {
      KEFU_ASSIGN(customers, tx.GetCustomers(ids));
      return {};
    }));
    bj::array items;
    for (const auto& risk : risks) {
      bj::object o = RiskJson(risk);
      auto c = std::ranges::find(customers, risk.customer_id, &Customer::id);
      if (c != customers.end()) o["customer"] = CustomerJson(*c, p);
      items.push_back(std::move(o));
    }
    return JsonResponse(200, bj::object{{"items", std::move(items)}, {"threshold", threshold}});
  });
  Authed(router, s, "GET", "/api/v1/customers/{id}/risk", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(Id id, PathId(r));
    KEFU_ASSIGN(auto risk, s.triage.CustomerRiskNow(p, id));
    return JsonResponse(200, RiskJson(risk));
  });

  // --- routing ---
  Authed(router, s, "GET", "/api/v1/routing/agents", [&s](http::Request&, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(auto profiles, s.triage.ListProfiles(p));
    KEFU_ASSIGN(auto cat, s.catalog.Get());
    bj::array items;
    for (const auto& a : profiles) items.push_back(ProfileJson(a, *cat));
    return Items(std::move(items));
  });
  Authed(router, s, "PATCH", "/api/v1/routing/agents/{id}", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(Id id, PathId(r));
    KEFU_ASSIGN(auto body, BodyJson(r));
    KEFU_ASSIGN(auto profile, s.triage.PutProfile(p, id, body.as_object()));
    KEFU_ASSIGN(auto cat, s.catalog.Get());
    return JsonResponse(200, ProfileJson(profile, *cat));
  });
  Authed(router, s, "PUT", "/api/v1/me/presence", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(auto body, BodyJson(r));
    KEFU_ASSIGN(auto presence, OptEnum<Presence>(body.as_object(), "presence"));
    if (!presence) return Fail(Error::Validation("presence", "presence is required: " + AllowedNames<Presence>()));
    KEFU_ASSIGN(auto profile, s.triage.SetPresence(p, *presence));
    KEFU_ASSIGN(auto cat, s.catalog.Get());
    return JsonResponse(200, ProfileJson(profile, *cat));
  });
  Authed(router, s, "GET", "/api/v1/routing/teams", [&s](http::Request&, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(auto teams, s.triage.ListTeamRouting(p));
    KEFU_ASSIGN(auto cat, s.catalog.Get());
    bj::array items;
    for (const auto& t : teams) items.push_back(TeamRoutingJson(t, *cat));
    return Items(std::move(items));
  });
  Authed(router, s, "PATCH", "/api/v1/routing/teams/{id}", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_ASSIGN(Id id, PathId(r));
    KEFU_ASSIGN(auto body, BodyJson(r));
    KEFU_ASSIGN(auto team, s.triage.PutTeamRouting(p, id, body.as_object()));
    KEFU_ASSIGN(auto cat, s.catalog.Get());
    return JsonResponse(200, TeamRoutingJson(team, *cat));
  });

  // --- notifications: the caller's own inbox ---
  Authed(router, s, "GET", "/api/v1/notifications", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_TRY(Need(p, Permission::kTicketsRead));
    KEFU_ASSIGN(auto before, QueryInt(r, "before", 1, INT64_MAX));
    KEFU_ASSIGN(auto limit, QueryInt(r, "limit", 1, 200));
    bool unread = r.Query("unread").value_or("") == "true";
    std::vector<Notification> list;
    std::int64_t count = 0;
    KEFU_TRY(s.store.Read([&](ReadTx& tx) -> Status {
      KEFU_ASSIGN(list, tx.ListNotifications(p.user.id, unread, before, static_cast<int>(limit.value_or(50))));
      KEFU_ASSIGN(count, tx.CountUnreadNotifications(p.user.id));
      return {};
    }));
    bj::array items;
    for (const auto& n : list) items.push_back(NotificationJson(n));
    return JsonResponse(200, bj::object{{"items", std::move(items)}, {"unread", count}});
  });
  Authed(router, s, "POST", "/api/v1/notifications/read", [&s](http::Request& r, const Principal& p) -> Result<http::Response> {
    KEFU_TRY(Need(p, Permission::kTicketsRead));
    KEFU_ASSIGN(auto body, BodyJson(r));
    KEFU_ASSIGN(auto ids, json::OptIntArray(body.as_object(), "ids"));
    if (ids && ids->size() > 500) return Fail(Error::Validation("ids", "at most 500 ids"));
    KEFU_TRY(s.store.Write([&](WriteTx& tx) -> Status {
      return tx.MarkNotificationsRead(p.user.id, ids.value_or(std::vector<Id>{}), s.clock.Now());
    }));
    return NoContent();
  });
}

}  // namespace kefu::api
