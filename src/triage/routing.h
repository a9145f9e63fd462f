// Choosing who handles a complaint. Per team: the least-loaded available
// agent with the needed skills (ties to the longest idle), round-robin, or a
// manual queue. Nobody is given more open complaints than their capacity:
// decisions are taken inside the store's single writer, so concurrent intake
// cannot overbook an agent.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "storage/store.h"
#include "tickets/catalog.h"

namespace kefu::triage {

struct RoutingState {
  std::unordered_map<Id, AgentProfile> profiles;
  std::unordered_map<Id, TeamRouting> teams;
};

struct RoutingRequest {
  Id team_id = 0;
  std::vector<std::string> required_skills;  // all needed
  std::string language;                      // "lang:<language>" is preferred when someone has it
  bool supervisors = false;                  // red cases go to supervisor rank or above
  std::optional<Id> exclude;                 // not this agent (reassignment after an SLA breach)
};

struct RoutingDecision {
  Id user_id = 0;
  std::string reason;  // for the complaint's history
};

// Picks an agent, or nullopt (manual queue, nobody available, all full) with
// `why` saying which. Reads current loads from `tx`.
Result<std::optional<RoutingDecision>> Route(ReadTx& tx, const CatalogSnapshot& cat, const RoutingState& state,
                                             const RoutingRequest& req, std::string& why);

}  // namespace kefu::triage
