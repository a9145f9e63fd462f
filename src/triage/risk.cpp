#include "triage/risk.h"

#include <algorithm>
#include <iterator>

#include <fmt/format.h>

namespace kefu::triage {

namespace {

constexpr Millis kDay = 86'400'000;
constexpr int kMaxHistory = 1000;  // complaints read per customer

CustomerComplaint Summary(const Ticket& t) {
  return CustomerComplaint{t.id, t.created_at, t.category_id, t.state_type, t.reopen_count, t.emotion};
}

}  // namespace

bool IsFailureCategory(const CatalogSnapshot& cat, const Settings& settings, std::optional<Id> category_id) {
  const Category* c = category_id ? cat.CategoryById(*category_id) : nullptr;
  return c && std::ranges::find(settings.failure_categories, c->key) != settings.failure_categories.end();
}

CustomerHistory::CustomerHistory(ReadTx& tx, const CatalogSnapshot& cat, const Settings& settings, Id customer_id,
                                 Millis now)
    : tx_(tx), cat_(cat), settings_(settings), customer_id_(customer_id), now_(now) {}

const std::vector<CustomerComplaint>& CustomerHistory::Since(int days) {
  if (customer_id_ == 0 || days <= loaded_days_) return complaints_;
  // Read the widest window anyone is likely to ask for, so that one query serves the triage.
  const int window = std::max({days, settings_.risk_window_days, loaded_days_});
  auto rows = tx_.CustomerComplaints(customer_id_, now_ - window * kDay, kMaxHistory);
  complaints_ = rows ? std::move(*rows) : std::vector<CustomerComplaint>{};
  loaded_days_ = window;
  for (const CustomerComplaint& u : updated_) Apply(u);
  return complaints_;
}

void CustomerHistory::Apply(const CustomerComplaint& u) {
  auto it = std::ranges::find(complaints_, u.id, &CustomerComplaint::id);
  if (it != complaints_.end()) *it = u;
  else if (u.created_at >= now_ - loaded_days_ * kDay) complaints_.insert(complaints_.begin(), u);  // not stored yet
}

int CustomerHistory::Complaints(int days) {
  auto [it, fresh] = complaints_in_.try_emplace(days, 0);
  if (!fresh) return it->second;
  const Millis from = now_ - days * kDay;
  return it->second = static_cast<int>(
             std::ranges::count_if(Since(days), [&](const auto& c) { return c.created_at >= from; }));
}

int CustomerHistory::Failures(int days) {
  auto [it, fresh] = failures_in_.try_emplace(days, 0);
  if (!fresh) return it->second;
  const Millis from = now_ - days * kDay;
  for (const auto& c : Since(days))
    if (c.created_at >= from) it->second += (IsFailureCategory(cat_, settings_, c.category_id) ? 1 : 0) + c.reopen_count;
  return it->second;
}

void CustomerHistory::Update(const Ticket& t) {
  std::erase_if(updated_, [&](const CustomerComplaint& u) { return u.id == t.id; });
  updated_.push_back(Summary(t));
  complaints_in_.clear();
  failures_in_.clear();
  if (loaded_days_ >= 0) Apply(updated_.back());
}

Result<CustomerRisk> CustomerHistory::Risk() {
  const Millis since = now_ - settings_.risk_window_days * kDay;
  KEFU_ASSIGN(auto red_cases, tx_.CountRedCasesOfCustomer(customer_id_, since));
  int failures = 0, reopens = 0, angry = 0, upset = 0;
  std::int64_t waiting_points = 0;
  for (const auto& t : Since(settings_.risk_window_days)) {
    if (t.created_at < since) continue;
    failures += IsFailureCategory(cat_, settings_, t.category_id) ? 1 : 0;
    reopens += t.reopen_count;
    angry += t.emotion >= 3 ? 1 : 0;
    upset += t.emotion == 2 ? 1 : 0;
    bool open = t.state_type != StateType::kResolved && t.state_type != StateType::kClosed;
    if (open && now_ - t.created_at > kDay) waiting_points += (now_ - t.created_at - kDay) / (kDay / 2) + 1;
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
  r.customer_id = customer_id_;
  r.updated_at = now_;
  std::string reasons;  // as JSON, written directly: the names need no escaping
  std::int64_t score = 0;
  for (const auto& p : parts) {
    if (p.count == 0) continue;
    std::int64_t points = std::min<std::int64_t>(p.count * p.each, p.cap);
    score += points;
    fmt::format_to(std::back_inserter(reasons), R"({}{{"kind":"{}","count":{},"points":{}}})",
                   reasons.empty() ? "" : ",", p.kind, p.count, points);
  }
  r.score = static_cast<int>(std::min<std::int64_t>(score, 100));
  r.reasons = "[" + reasons + "]";
  return r;
}

Result<CustomerRisk> ComputeRisk(ReadTx& tx, const CatalogSnapshot& cat, const Settings& settings, Id customer_id,
                                 Millis now) {
  return CustomerHistory(tx, cat, settings, customer_id, now).Risk();
}

}  // namespace kefu::triage
