// The department's triage settings, stored as one JSON document.
#pragma once

#include <string>
#include <vector>

#include <boost/json/fwd.hpp>

#include "core/error.h"

namespace kefu::triage {

struct Settings {
  double classifier_threshold = 0.6;  // below it the agent chooses among the top three
  int red_case_cadence_minutes = 1440;  // 每日汇报: a progress update every 24 hours
  int risk_threshold = 60;              // a VIP at or above it raises an alert
  int risk_window_days = 90;
  // Causes that count as a service failure (with reopens and SLA breaches).
  std::vector<std::string> failure_categories = {"service_attitude", "process_obstacle", "staff_skill"};
  int retrain_hours = 24;
  int classifier_min_examples = 50;
};

// Reads a partial or whole document over `base`; errors name the field.
Result<Settings> ParseSettings(const boost::json::object& o, Settings base);
boost::json::object SettingsJson(const Settings& s);

}  // namespace kefu::triage
