// The composition root: opens the store and builds the services over it;
// `Serve` adds the HTTP server, live updates and the web app.
#pragma once

#include <memory>

#include "app/config.h"
#include "auth/accounts.h"
#include "storage/store.h"
#include "tickets/catalog.h"
#include "tickets/reference.h"
#include "tickets/service.h"
#include "calendars/registry.h"
#include "escalation/service.h"
#include "triage/engine.h"
#include "triage/red_cases.h"

namespace kefu {

struct Runtime {
  SystemClock clock;
  std::unique_ptr<Store> store;
  std::unique_ptr<Catalog> catalog;
  std::unique_ptr<AccountService> accounts;
  std::unique_ptr<TicketService> tickets;
  std::unique_ptr<ReferenceService> reference;
  std::unique_ptr<calendars::CalendarRegistry> calendars;
  std::unique_ptr<triage::TriageEngine> triage;
  std::unique_ptr<triage::RedCaseService> red_cases;
  std::unique_ptr<escalation::SlaService> sla;
};

// Opens (creating and migrating) the store in config.data_dir, seeds the
// default reference data, and builds the services.
Result<std::unique_ptr<Runtime>> OpenRuntime(const Config& config);

// Runs the server until SIGTERM/SIGINT; returns the process exit code.
int Serve(const Config& config);

}  // namespace kefu
