#include "triage/settings.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include "core/json.h"

namespace kefu::triage {

namespace bj = boost::json;

namespace {
Status IntIn(const bj::object& o, const char* key, int lo, int hi, int& out) {
  KEFU_ASSIGN(auto v, json::OptInt(o, key, key));
  if (!v) return {};
  if (*v < lo || *v > hi) return Fail(Error::Validation(key, fmt::format("{} must be {}–{}", key, lo, hi)));
  out = static_cast<int>(*v);
  return {};
}
}  // namespace

Result<Settings> ParseSettings(const bj::object& o, Settings s) {
  for (const auto& [key, _] : o)
    if (key != "classifier_threshold" && key != "red_case_cadence_minutes" && key != "risk_threshold" &&
        key != "risk_window_days" && key != "failure_categories" && key != "retrain_hours" &&
        key != "classifier_min_examples")
      return Fail(Error::Validation(std::string(key), fmt::format("unknown setting {}", std::string_view(key))));
  if (const auto* t = o.if_contains("classifier_threshold")) {
    if (!t->is_number()) return Fail(Error::Validation("classifier_threshold", "classifier_threshold must be a number"));
    double v = t->to_number<double>();
    if (v < 0 || v > 1) return Fail(Error::Validation("classifier_threshold", "classifier_threshold must be 0–1"));
    s.classifier_threshold = v;
  }
  KEFU_TRY(IntIn(o, "red_case_cadence_minutes", 15, 7 * 1440, s.red_case_cadence_minutes));
  KEFU_TRY(IntIn(o, "risk_threshold", 1, 100, s.risk_threshold));
  KEFU_TRY(IntIn(o, "risk_window_days", 1, 3650, s.risk_window_days));
  KEFU_TRY(IntIn(o, "retrain_hours", 1, 24 * 365, s.retrain_hours));
  KEFU_TRY(IntIn(o, "classifier_min_examples", 1, 1000000, s.classifier_min_examples));
  KEFU_ASSIGN(auto cats, json::OptStringArray(o, "failure_categories"));
  if (cats) s.failure_categories = *cats;
  return s;
}

bj::object SettingsJson(const Settings& s) {
  bj::array cats;
  for (const auto& c : s.failure_categories) cats.emplace_back(c);
  return bj::object{{"classifier_threshold", s.classifier_threshold},
                    {"red_case_cadence_minutes", s.red_case_cadence_minutes},
                    {"risk_threshold", s.risk_threshold},
                    {"risk_window_days", s.risk_window_days},
                    {"failure_categories", std::move(cats)},
                    {"retrain_hours", s.retrain_hours},
                    {"classifier_min_examples", s.classifier_min_examples}};
}

}  // namespace kefu::triage
