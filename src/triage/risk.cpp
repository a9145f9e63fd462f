#include "triage/risk.h"

#include <algorithm>

#include <boost/json.hpp>

namespace kefu::triage {

namespace bj = boost::json;

bool IsFailureCategory(const CatalogSnapshot& cat, const Settings& settings, std::optional<Id> category_id) {
  const Category* c = category_id ? cat.CategoryById(*category_id) : nullptr;
  return c && std::ranges::find(settings.failure_categories, c->key) != settings.failure_categories.end();
}

Result<CustomerRisk> ComputeRisk(ReadTx& tx, const CatalogSnapshot& cat, const Settings& settings, Id customer_id,
                                 Millis now) {
  constexpr Millis kDay = 86'400'000;
  const Millis since = now - settings.risk_window_days * kDay;
  TicketQuery q;
  q.scope.all = true;
  q.customer_id = customer_id;
  q.created_from = since;
  q.sort = TicketSort::kCreatedDesc;
  q.limit = 500;
  KEFU_ASSIGN(auto tickets, tx.ListTickets(q));
  KEFU_ASSIGN(auto red_cases, tx.CountRedCasesOfCustomer(customer_id, since));
  int failures = 0, reopens = 0, angry = 0, upset = 0;
  std::int64_t waiting_points = 0;
  for (const auto& t : tickets) {
    if (t.state_type == StateType::kMerged) continue;
    failures += IsFailureCategory(cat, settings, t.category_id) ? 1 : 0;
    reopens += t.reopen_count;
    angry += t.emotion >= 3 ? 1 : 0;
    upset += t.emotion == 2 ? 1 : 0;
    bool open = t.state_type != StateType::kResolved && t.state_type != StateType::kClosed;
    if (open && now - t.created_at > kDay) waiting_points += (now - t.created_at - kDay) / (kDay / 2) + 1;
  }
  struct Part {
    const char* kind;
    std::int64_t count;
    int each, cap;
  };
  const Part parts[] = {{"service_failures", failures, 15, 45}, {"reopens", reopens, 10, 30},
                        {"red_cases", red_cases, 20, 40},       {"angry_complaints", angry, 10, 30},
                        {"upset_complaints", upset, 4, 12},     {"waiting", waiting_points, 1, 20}};
  CustomerRisk r;
  r.customer_id = customer_id;
  r.updated_at = now;
  bj::array reasons;
  std::int64_t score = 0;
  for (const auto& p : parts) {
    if (p.count == 0) continue;
    std::int64_t points = std::min<std::int64_t>(p.count * p.each, p.cap);
    score += points;
    reasons.push_back(bj::object{{"kind", p.kind}, {"count", p.count}, {"points", points}});
  }
  r.score = static_cast<int>(std::min<std::int64_t>(score, 100));
  r.reasons = bj::serialize(reasons);
  return r;
}

}  // namespace kefu::triage
