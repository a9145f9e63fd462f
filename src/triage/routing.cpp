#include "triage/routing.h"

#include <algorithm>

#include <fmt/format.h>

namespace kefu::triage {

namespace {

bool HasAll(const std::vector<std::string>& have, const std::vector<std::string>& need) {
  return std::ranges::all_of(need, [&](const std::string& s) { return std::ranges::find(have, s) != have.end(); });
}

bool SupervisorRank(Role r) { return r == Role::kSupervisor || r == Role::kDirector; }

struct Candidate {
  const User* user;
  const AgentProfile* profile;
  std::int64_t load;
  bool speaks;
};

}  // namespace

Result<std::optional<RoutingDecision>> Route(ReadTx& tx, const CatalogSnapshot& cat, const RoutingState& state,
                                             const RoutingRequest& req, std::string& why) {
  auto team_it = state.teams.find(req.team_id);
  RoutingMode mode = team_it == state.teams.end() ? RoutingMode::kManual : team_it->second.mode;
  if (mode == RoutingMode::kManual && !req.supervisors) {
    why = "manual queue";
    return std::optional<RoutingDecision>();
  }
  const std::string lang_skill = req.language.empty() ? "" : "lang:" + req.language;
  std::vector<Candidate> ready;
  int members = 0, online = 0, skilled = 0;
  for (Id id : cat.TeamMembers(req.team_id)) {
    const User& u = *cat.UserById(id);
    if (u.disabled || req.exclude == id) continue;
    bool rank_ok = req.supervisors ? SupervisorRank(u.role) : (u.role == Role::kAgent || u.role == Role::kTeamLead);
    if (!rank_ok) continue;
    ++members;
    auto p = state.profiles.find(id);
    if (p == state.profiles.end() || p->second.presence != Presence::kOnline) continue;
    ++online;
    if (!HasAll(p->second.skills, req.required_skills)) continue;
    ++skilled;
    bool speaks = !lang_skill.empty() && std::ranges::find(p->second.skills, lang_skill) != p->second.skills.end();
    ready.push_back(Candidate{&u, &p->second, 0, speaks});
  }
  std::vector<Id> ids;
  for (const Candidate& c : ready) ids.push_back(c.user->id);
  KEFU_ASSIGN(auto loads, tx.CountOpenAssigned(ids));
  for (size_t i = 0; i < ready.size(); ++i) ready[i].load = loads[i];
  std::erase_if(ready, [](const Candidate& c) { return c.load >= c.profile->capacity; });
  if (ready.empty()) {
    why = members == 0   ? (req.supervisors ? "no supervisor in the team" : "no agent in the team")
          : online == 0  ? "nobody online"
          : skilled == 0 ? "nobody online has the skills"
                         : "everyone available is at capacity";
    return std::optional<RoutingDecision>();
  }
  // Speakers of the complaint's language first, when there are any.
  if (std::ranges::any_of(ready, &Candidate::speaks)) std::erase_if(ready, [](const Candidate& c) { return !c.speaks; });
  const Candidate* pick = nullptr;
  std::string how;
  if (mode == RoutingMode::kRoundRobin && !req.supervisors) {
    std::ranges::sort(ready, {}, [](const Candidate& c) { return c.user->id; });
    std::optional<Id> last = team_it->second.last_assigned_user;
    auto next = std::ranges::find_if(ready, [&](const Candidate& c) { return !last || c.user->id > *last; });
    pick = next == ready.end() ? &ready.front() : &*next;
    how = "round-robin";
  } else {
    pick = &*std::ranges::min_element(ready, [](const Candidate& a, const Candidate& b) {
      if (a.load != b.load) return a.load < b.load;
      if (a.profile->last_assigned_at != b.profile->last_assigned_at)
        return a.profile->last_assigned_at < b.profile->last_assigned_at;
      return a.user->id < b.user->id;
    });
    how = req.supervisors ? "red case: least-loaded supervisor" : "least-loaded";
  }
  std::string skills;
  for (const auto& s : req.required_skills) skills += (skills.empty() ? "" : ",") + s;
  RoutingDecision d;
  d.user_id = pick->user->id;
  d.reason = fmt::format("{}: {} open of {}, {} available{}{}", how, pick->load, pick->profile->capacity, ready.size(),
                         skills.empty() ? "" : ", skills " + skills, pick->speaks ? ", speaks " + req.language : "");
  return std::optional<RoutingDecision>(d);
}

}  // namespace kefu::triage
