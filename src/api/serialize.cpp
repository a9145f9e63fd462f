#include "api/serialize.h"

#include <boost/json.hpp>

#include "domain/lifecycle.h"

namespace kefu::api {

namespace bj = boost::json;

bj::value Time(std::optional<Millis> t) { return t ? bj::value(FormatRfc3339(*t)) : bj::value(nullptr); }
bj::value OptId(std::optional<Id> id) { return id ? bj::value(*id) : bj::value(nullptr); }

bj::object NotificationJson(const Notification& n) {
  return bj::object{{"id", n.id},       {"kind", n.kind}, {"ticket_id", OptId(n.ticket_id)},
                    {"title", n.title}, {"body", n.body}, {"created_at", Time(n.created_at)},
                    {"read_at", Time(n.read_at)}};
}

bj::array ThreatsJson(const std::vector<ThreatKind>& threats) {
  bj::array out;
  for (ThreatKind k : threats) out.emplace_back(Name(k));
  return out;
}

namespace {
bj::value OptText(const std::optional<std::string>& s) { return s ? bj::value(*s) : bj::value(nullptr); }
}  // namespace

bj::object CustomerJson(const Customer& c, const Principal& viewer) {
  bool pii = viewer.Can(Permission::kCustomersPii);
  bj::object o{{"id", c.id},
               {"name", c.name},
               {"phone", c.phone ? bj::value(pii ? *c.phone : MaskPhone(*c.phone)) : bj::value(nullptr)},
               {"email", c.email ? bj::value(pii ? *c.email : MaskEmail(*c.email)) : bj::value(nullptr)},
               {"external_id", OptText(c.external_id)},
               {"tier", Name(c.tier)},
               {"region", c.region},
               {"language", c.language},
               {"time_zone", c.time_zone},
               {"organization", c.organization},
               {"created_at", Time(c.created_at)},
               {"updated_at", Time(c.updated_at)}};
  return o;
}

bj::object TicketJson(const Ticket& t, const Customer* customer, const CatalogSnapshot& cat, const Principal& viewer,
                      const std::vector<Handoff>* handoffs) {
  const TicketState* st = cat.State(t.state_id);
  const Team* team = t.team_id ? cat.TeamById(*t.team_id) : nullptr;
  const Category* category = t.category_id ? cat.CategoryById(*t.category_id) : nullptr;
  bj::array tags, collaborators;
  for (const auto& tag : t.tags) tags.emplace_back(tag);
  for (Id id : t.collaborator_ids) collaborators.emplace_back(id);
  bj::object o{{"id", t.id},
               {"number", t.number},
               {"subject", t.subject},
               {"description", t.description},
               {"channel", Name(t.channel)},
               {"source_ref", OptText(t.source_ref)},
               {"state", Name(t.state_type)},
               {"state_id", t.state_id},
               {"state_name", st ? st->name : ""},
               {"state_name_en", st ? st->name_en : ""},
               {"customer_id", t.customer_id},
               {"category", category ? bj::value(category->key) : bj::value(nullptr)},
               {"severity", Name(t.severity)},
               {"priority", Name(t.priority)},
               {"team_id", OptId(t.team_id)},
               {"team_name", team ? bj::value(team->name) : bj::value(nullptr)},
               {"assignee_id", OptId(t.assignee_id)},
               {"assignee_name", t.assignee_id ? bj::value(cat.UserName(t.assignee_id)) : bj::value(nullptr)},
               {"tags", std::move(tags)},
               {"collaborator_ids", std::move(collaborators)},
               {"reopen_count", t.reopen_count},
               {"emotion", t.emotion},
               {"threats", ThreatsJson(t.threats)},
               {"language", t.language},
               {"red_case", t.red_case},
               {"merged_into_id", OptId(t.merged_into_id)},
               {"created_at", Time(t.created_at)},
               {"updated_at", Time(t.updated_at)},
               {"first_response_at", Time(t.first_response_at)},
               {"resolved_at", Time(t.resolved_at)},
               {"closed_at", Time(t.closed_at)}};
  if (customer) o["customer"] = CustomerJson(*customer, viewer);
  if (handoffs) {
    bj::array waiting;
    for (const auto& h : *handoffs) {
      if (h.state != HandoffState::kOpen) continue;
      const Department* d = cat.DepartmentById(h.department_id);
      waiting.push_back(bj::object{{"handoff_id", h.id},
                                   {"department", d ? d->key : ""},
                                   {"department_name", d ? d->name : ""},
                                   {"owner_id", OptId(h.owner_id)},
                                   {"owner_name", h.owner_id ? bj::value(cat.UserName(h.owner_id)) : bj::value(nullptr)},
                                   {"due_at", Time(h.due_at)}});
    }
    o["waiting_on"] = std::move(waiting);
  }
  return o;
}

bj::object MessageJson(const Message& m, const CatalogSnapshot& cat) {
  return bj::object{{"id", m.id},
                    {"ticket_id", m.ticket_id},
                    {"kind", Name(m.kind)},
                    {"author_kind", Name(m.author_kind)},
                    {"author_id", OptId(m.author_id)},
                    {"author_name", m.author_id ? bj::value(cat.UserName(m.author_id)) : bj::value(nullptr)},
                    {"channel", Name(m.channel)},
                    {"body", m.body},
                    {"call_direction", m.call_direction ? bj::value(Name(*m.call_direction)) : bj::value(nullptr)},
                    {"call_duration_seconds", m.call_duration_seconds ? bj::value(*m.call_duration_seconds) : bj::value(nullptr)},
                    {"created_at", Time(m.created_at)}};
}

bj::object HandoffJson(const Handoff& h, const CatalogSnapshot& cat) {
  const Department* d = cat.DepartmentById(h.department_id);
  return bj::object{{"id", h.id},
                    {"ticket_id", h.ticket_id},
                    {"department", d ? d->key : ""},
                    {"department_name", d ? d->name : ""},
                    {"question", h.question},
                    {"due_at", Time(h.due_at)},
                    {"owner_id", OptId(h.owner_id)},
                    {"owner_name", h.owner_id ? bj::value(cat.UserName(h.owner_id)) : bj::value(nullptr)},
                    {"state", Name(h.state)},
                    {"answer", h.answer},
                    {"answered_at", Time(h.answered_at)},
                    {"answered_by", OptId(h.answered_by)},
                    {"created_by", OptId(h.created_by)},
                    {"created_at", Time(h.created_at)}};
}

bj::object TicketDetailJson(const TicketDetail& d, const CatalogSnapshot& cat, const Principal& viewer) {
  bj::object o = TicketJson(d.ticket, &d.customer, cat, viewer, &d.handoffs);
  bj::array transitions;
  const Ticket& t = d.ticket;
  for (const auto& s : cat.states) {
    bool same_type = s.type == t.state_type && !IsFinal(t.state_type) && s.type != StateType::kNew;
    if (s.id != t.state_id && (same_type || TransitionAllowed(t.state_type, s.type)))
      transitions.push_back(bj::object{{"state_id", s.id}, {"state", Name(s.type)}, {"name", s.name}, {"name_en", s.name_en}});
  }
  o["allowed_transitions"] = std::move(transitions);
  bj::array messages, events, handoffs, links;
  for (const auto& m : d.messages) messages.push_back(MessageJson(m, cat));
  for (const auto& e : d.events)
    events.push_back(bj::object{{"id", e.id},
                                {"at", Time(e.at)},
                                {"actor_kind", Name(e.actor_kind)},
                                {"actor_id", OptId(e.actor_id)},
                                {"actor_name", e.actor_id ? bj::value(cat.UserName(e.actor_id)) : bj::value(nullptr)},
                                {"type", e.type},
                                {"field", e.field},
                                {"from", e.from},
                                {"to", e.to},
                                {"detail", e.detail}});
  for (const auto& h : d.handoffs) handoffs.push_back(HandoffJson(h, cat));
  for (size_t i = 0; i < d.links.size(); ++i) {
    const auto& l = d.links[i];
    const Ticket& other = d.linked[i];
    links.push_back(bj::object{{"id", l.id},
                               {"kind", Name(l.kind)},
                               {"ticket_id", l.other_id},
                               {"number", other.number},
                               {"subject", other.subject},
                               {"state", Name(other.state_type)},
                               {"created_at", Time(l.created_at)}});
  }
  o["messages"] = std::move(messages);
  o["events"] = std::move(events);
  o["handoffs"] = std::move(handoffs);
  o["links"] = std::move(links);
  return o;
}

bj::object UserJson(const User& u) {
  bj::array teams;
  for (Id id : u.team_ids) teams.emplace_back(id);
  return bj::object{{"id", u.id},
                    {"username", u.username},
                    {"display_name", u.display_name},
                    {"role", Name(u.role)},
                    {"team_ids", std::move(teams)},
                    {"department_id", OptId(u.department_id)},
                    {"disabled", u.disabled},
                    {"language", u.language},
                    {"time_zone", u.time_zone},
                    {"created_at", Time(u.created_at)}};
}

bj::object TeamJson(const Team& t) {
  return bj::object{{"id", t.id}, {"name", t.name}, {"region", t.region}, {"created_at", Time(t.created_at)}};
}

bj::object DepartmentJson(const Department& d) {
  return bj::object{{"id", d.id}, {"key", d.key}, {"name", d.name}, {"name_en", d.name_en}};
}

bj::object CategoryJson(const Category& c) {
  return bj::object{{"id", c.id},         {"parent_id", OptId(c.parent_id)}, {"key", c.key}, {"name", c.name},
                    {"name_en", c.name_en}, {"active", c.active},              {"sort", c.sort}};
}

bj::object StateJson(const TicketState& s) {
  return bj::object{{"id", s.id}, {"name", s.name}, {"name_en", s.name_en}, {"type", Name(s.type)}, {"is_default", s.is_default}};
}

bj::object MeJson(const Principal& p) {
  bj::object u = UserJson(p.user);
  bj::array perms;
  for (auto n : p.PermissionNames()) perms.emplace_back(n);
  u["permissions"] = std::move(perms);
  return u;
}

}  // namespace kefu::api
