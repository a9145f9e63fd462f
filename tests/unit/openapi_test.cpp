// The OpenAPI document and the router describe the same API.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <sstream>

#include "api/context.h"
#include "calendars/registry.h"
#include "escalation/service.h"
#include "triage/engine.h"
#include "triage/red_cases.h"
#include "test_support.h"

namespace kefu {
namespace {

using Route = std::pair<std::string, std::string>;  // method, path

std::set<Route> DocumentedRoutes() {
  std::set<Route> out;
  std::istringstream in{std::string(api::OpenApiDocument())};
  std::string line, path;
  bool in_paths = false;
  static const std::regex path_re("^  (/[^ ]*):\\s*$"), method_re("^    (get|post|put|patch|delete):\\s*$");
  while (std::getline(in, line)) {
    if (line.rfind("paths:", 0) == 0) {
      in_paths = true;
      continue;
    }
    if (in_paths && !line.empty() && line[0] != ' ' && line[0] != '#') in_paths = false;
    if (!in_paths) continue;
    std::smatch m;
    if (std::regex_match(line, m, path_re)) {
      path = m[1];
    } else if (std::regex_match(line, m, method_re) && !path.empty()) {
      std::string method = m[1];
      for (auto& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      out.emplace(method, path);
    }
  }
  return out;
}

TEST(OpenApi, EveryRouteIsDocumentedAndEveryDocumentedRouteExists) {
  testing::TempStore ts;
  ManualClock clock(0);
  Catalog catalog(*ts.store);
  AccountService accounts(*ts.store, clock);
  TicketService tickets(*ts.store, catalog, clock);
  ReferenceService reference(*ts.store, catalog, clock);
  calendars::CalendarRegistry calendars(*ts.store, clock);
  triage::TriageEngine engine(*ts.store, catalog, clock, calendars);
  triage::RedCaseService red_cases(*ts.store, catalog, clock, [] { return 1440; });
  escalation::SlaService sla(*ts.store, catalog, clock, calendars, engine);
  api::Services s{*ts.store, clock,     catalog,   accounts, tickets, reference,
                  engine,    red_cases, calendars, sla,      nullptr, nullptr};
  http::Router router = api::BuildRouter(s);
  std::set<Route> routed;
  for (const auto& r : router.routes()) routed.emplace(r.method, r.pattern);
  std::set<Route> documented = DocumentedRoutes();
  ASSERT_GT(documented.size(), 20u) << "the document's paths could not be read";
  for (const auto& r : routed) EXPECT_TRUE(documented.contains(r)) << "not documented: " << r.first << " " << r.second;
  for (const auto& r : documented) EXPECT_TRUE(routed.contains(r)) << "documented but not routed: " << r.first << " " << r.second;
}

TEST(OpenApi, DeclaresVersion31) {
  EXPECT_NE(api::OpenApiDocument().find("openapi: 3.1"), std::string_view::npos);
}

}  // namespace
}  // namespace kefu
