// JSON forms of the domain records, as documented in openapi.yaml. Customer
// contact data is masked for callers without customers.pii.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "auth/permissions.h"
#include "tickets/catalog.h"
#include "tickets/service.h"

namespace kefu::api {

boost::json::value Time(std::optional<Millis> t);
boost::json::value OptId(std::optional<Id> id);
boost::json::object NotificationJson(const Notification& n);
boost::json::array ThreatsJson(const std::vector<ThreatKind>& threats);

boost::json::object CustomerJson(const Customer& c, const Principal& viewer);
boost::json::object TicketJson(const Ticket& t, const Customer* customer, const CatalogSnapshot& cat,
                               const Principal& viewer, const std::vector<Handoff>* handoffs = nullptr);
boost::json::object TicketDetailJson(const TicketDetail& d, const CatalogSnapshot& cat, const Principal& viewer);
boost::json::object MessageJson(const Message& m, const CatalogSnapshot& cat);
boost::json::object HandoffJson(const Handoff& h, const CatalogSnapshot& cat);
boost::json::object UserJson(const User& u);
boost::json::object TeamJson(const Team& t);
boost::json::object DepartmentJson(const Department& d);
boost::json::object CategoryJson(const Category& c);
boost::json::object StateJson(const TicketState& s);
boost::json::object MeJson(const Principal& p);

}  // namespace kefu::api
