#include "triage/red_cases.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "core/text.h"
#include "domain/lifecycle.h"

namespace kefu::triage {

namespace {

constexpr Millis kMinute = 60'000;

bool SupervisorRank(Role r) { return r == Role::kSupervisor || r == Role::kDirector || r == Role::kAdmin; }


Status CheckReason(const std::string& field, const std::string& text, size_t max) {
  KEFU_TRY(CheckText(field, text, 1, max, true));
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    return Fail(Error::Validation(field, fmt::format("{} is required", field)));
  return {};
}

// The supervisor with the fewest open red cases, preferring the complaint's team.
Result<std::optional<Id>> PickOwner(ReadTx& tx, const CatalogSnapshot& cat, const Ticket& t) {
  KEFU_ASSIGN(auto open, tx.ListOpenRedCases());
  std::map<Id, int> owned;
  for (const auto& r : open)
    if (r.owner_id) owned[*r.owner_id]++;
  std::optional<Id> best;
  auto rank = [&](const User& u) {
    bool on_team = t.team_id && std::ranges::find(u.team_ids, *t.team_id) != u.team_ids.end();
    int role_order = u.role == Role::kSupervisor ? 0 : u.role == Role::kDirector ? 1 : 2;
    return std::tuple(on_team ? 0 : 1, role_order, owned[u.id], u.id);
  };
  for (const auto& [id, u] : cat.users) {
    if (u.disabled || !SupervisorRank(u.role)) continue;
    if (!best || rank(u) < rank(*cat.UserById(*best))) best = id;
  }
  return best;
}

std::vector<Id> Directors(const CatalogSnapshot& cat) {
  std::vector<Id> out;
  for (const auto& [id, u] : cat.users)
    if (!u.disabled && u.role == Role::kDirector) out.push_back(id);
  return out;
}

}  // namespace

Result<RedCase> OpenRedCase(WriteTx& tx, const CatalogSnapshot& cat, Ticket& t, const std::string& reason,
                            const std::string& source, std::optional<Id> opened_by, int cadence_minutes, Millis now,
                            Notifier& notify, std::optional<Id> owner) {
  KEFU_ASSIGN(auto existing, tx.FindOpenRedCase(t.id));
  if (existing) return Fail(Error::Conflict(fmt::format("complaint {} is already a red case", t.number)));
  RedCase r;
  r.ticket_id = t.id;
  r.reason = reason;
  r.source = source;
  if (owner) {
    r.owner_id = owner;
  } else {
    KEFU_ASSIGN(r.owner_id, PickOwner(tx, cat, t));
  }
  if (r.owner_id) r.member_ids.push_back(*r.owner_id);
  if (t.assignee_id && t.assignee_id != r.owner_id) r.member_ids.push_back(*t.assignee_id);
  std::ranges::sort(r.member_ids);
  r.cadence_minutes = cadence_minutes;
  r.opened_at = now;
  r.opened_by = opened_by;
  r.next_update_due = now + cadence_minutes * kMinute;
  KEFU_TRY(tx.InsertRedCase(r));
  t.red_case = true;
  const User* o = r.owner_id ? cat.UserById(*r.owner_id) : nullptr;
  KEFU_TRY(RecordEvent(tx, t.id, now, opened_by, "red_case_opened", "red_case", "", o ? o->username : "", reason));
  std::vector<Id> tell = r.member_ids;
  auto directors = Directors(cat);
  tell.insert(tell.end(), directors.begin(), directors.end());
  std::string title = fmt::format("红案 Red case {} {}", t.number, t.subject);
  std::string key = fmt::format("red_case:{}:{}", t.id, r.id);
  KEFU_TRY(notify.Send(tell, "red_case", t.id, title, reason, key));
  if (t.team_id) KEFU_TRY(notify.SendTeam(*t.team_id, "red_case", t.id, title, reason, key));
  return r;
}

RedCaseService::RedCaseService(Store& store, Catalog& catalog, const Clock& clock, std::function<int()> cadence)
    : store_(store), catalog_(catalog), clock_(clock), cadence_(std::move(cadence)) {}

Status RedCaseService::RunHook(WriteTx& tx, Id ticket_id, std::vector<Notification>& sent) {
  if (!hook_) return {};
  KEFU_ASSIGN(Ticket t, tx.GetTicket(ticket_id));
  KEFU_ASSIGN(auto more, hook_->AfterWrite(tx, TicketTrigger::kUpdated, t, nullptr, nullptr));
  sent.insert(sent.end(), more.begin(), more.end());
  return {};
}

void RedCaseService::Deliver(const std::vector<Notification>& n) {
  if (notify_ && !n.empty()) notify_(n);
}

Status RedCaseService::CheckOwner(const CatalogSnapshot& cat, Id owner) {
  const User* u = cat.UserById(owner);
  if (!u || u->disabled || !SupervisorRank(u->role))
    return Fail(Error::Validation("owner_id", "the owner must be an active supervisor, director or admin"));
  return {};
}

Result<RedCase> RedCaseService::Open(const Principal& p, Id ticket_id, const std::string& reason,
                                     std::optional<Id> owner) {
  KEFU_TRY(Need(p, Permission::kRedCasesOpen));
  KEFU_TRY(CheckReason("reason", reason, 500));
  KEFU_ASSIGN(auto cat, catalog_.Get());
  if (owner) KEFU_TRY(CheckOwner(*cat, *owner));
  RedCase out;
  std::vector<Notification> sent;
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    sent.clear();
    KEFU_ASSIGN(Ticket t, tx.GetTicket(ticket_id));
    KEFU_ASSIGN(auto handoffs, tx.ListHandoffs(ticket_id));
    if (!CanSee(p, t, handoffs)) return Fail(Error::NotFound(fmt::format("complaint {} not found", ticket_id)));
    if (IsFinal(t.state_type))
      return Fail(Error{ErrorCode::kInvalidTransition, "a closed or merged complaint cannot become a red case", {}});
    Millis now = clock_.Now();
    Notifier notify(tx, now, sent);
    const Ticket before = t;
    KEFU_ASSIGN(out, OpenRedCase(tx, *cat, t, reason, "manual", p.user.id, cadence_(), now, notify, owner));
    t.updated_at = now;
    KEFU_TRY(tx.UpdateTicket(t, before));
    return RunHook(tx, t.id, sent);
  }));
  Deliver(sent);
  return out;
}

Result<RedCase> RedCaseService::Close(const Principal& p, Id id, const std::string& reason) {
  KEFU_TRY(Need(p, Permission::kRedCasesManage));
  KEFU_TRY(CheckReason("reason", reason, 1000));
  RedCase r;
  std::vector<Notification> sent;
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    sent.clear();
    KEFU_ASSIGN(r, tx.GetRedCase(id));
    if (r.state != RedCaseState::kOpen) return Fail(Error{ErrorCode::kInvalidTransition, "the red case is already closed", {}});
    Millis now = clock_.Now();
    r.state = RedCaseState::kClosed;
    r.closed_at = now;
    r.closed_by = p.user.id;
    r.close_reason = reason;
    KEFU_TRY(tx.UpdateRedCase(r));
    KEFU_ASSIGN(Ticket t, tx.GetTicket(r.ticket_id));
    const Ticket before = t;
    t.red_case = false;
    t.updated_at = now;
    KEFU_TRY(tx.UpdateTicket(t, before));
    KEFU_TRY(RecordEvent(tx, t.id, now, p.user.id, "red_case_closed", "red_case", "", "", reason));
    return RunHook(tx, t.id, sent);
  }));
  Deliver(sent);
  return r;
}

Result<RedCaseUpdate> RedCaseService::AddUpdate(const Principal& p, Id id, const std::string& body) {
  KEFU_TRY(Need(p, Permission::kTicketsNote));
  KEFU_TRY(CheckReason("body", body, 20000));
  RedCaseUpdate u;
  std::vector<Notification> sent;
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    sent.clear();
    KEFU_ASSIGN(RedCase r, tx.GetRedCase(id));
    bool member = std::ranges::find(r.member_ids, p.user.id) != r.member_ids.end() || r.owner_id == p.user.id;
    if (!member && !p.Can(Permission::kRedCasesManage))
      return Fail(Error{ErrorCode::kForbidden, "only the owner and the task force report on a red case", {}});
    if (r.state != RedCaseState::kOpen) return Fail(Error{ErrorCode::kInvalidTransition, "the red case is closed", {}});
    Millis now = clock_.Now();
    u.red_case_id = id;
    u.author_id = p.user.id;
    u.body = body;
    u.at = now;
    KEFU_TRY(tx.InsertRedCaseUpdate(u));
    r.last_update_at = now;
    r.next_update_due = now + r.cadence_minutes * kMinute;
    KEFU_TRY(tx.UpdateRedCase(r));
    KEFU_TRY(RecordEvent(tx, r.ticket_id, now, p.user.id, "red_case_update", "red_case", "", "", body));
    return RunHook(tx, r.ticket_id, sent);
  }));
  Deliver(sent);
  return u;
}

Result<RedCase> RedCaseService::Change(const Principal& p, Id id, const RedCaseChange& change) {
  KEFU_TRY(Need(p, Permission::kRedCasesManage));
  KEFU_ASSIGN(auto cat, catalog_.Get());
  if (change.owner_id) KEFU_TRY(CheckOwner(*cat, *change.owner_id));
  if (change.member_ids) {
    if (change.member_ids->size() > 50) return Fail(Error::Validation("member_ids", "a task force has at most 50 members"));
    for (Id m : *change.member_ids) {
      const User* u = cat->UserById(m);
      if (!u || u->disabled) return Fail(Error::Validation("member_ids", fmt::format("user {} is not an active user", m)));
    }
  }
  if (change.cadence_minutes && (*change.cadence_minutes < 15 || *change.cadence_minutes > 7 * 1440))
    return Fail(Error::Validation("cadence_minutes", "cadence_minutes must be 15–10080"));
  RedCase r;
  std::vector<Notification> sent;
  KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
    sent.clear();
    KEFU_ASSIGN(r, tx.GetRedCase(id));
    if (r.state != RedCaseState::kOpen) return Fail(Error{ErrorCode::kInvalidTransition, "the red case is closed", {}});
    Millis now = clock_.Now();
    Notifier notify(tx, now, sent);
    std::vector<Id> joined;
    if (change.member_ids) {
      for (Id m : *change.member_ids)
        if (std::ranges::find(r.member_ids, m) == r.member_ids.end()) joined.push_back(m);
      r.member_ids = *change.member_ids;
      std::ranges::sort(r.member_ids);
      r.member_ids.erase(std::unique(r.member_ids.begin(), r.member_ids.end()), r.member_ids.end());
      KEFU_TRY(RecordEvent(tx, r.ticket_id, now, p.user.id, "red_case_task_force", "red_case", "", "", ""));
    }
    if (change.owner_id && change.owner_id != r.owner_id) {
      r.owner_id = change.owner_id;
      if (std::ranges::find(r.member_ids, *r.owner_id) == r.member_ids.end()) {
        r.member_ids.push_back(*r.owner_id);
        std::ranges::sort(r.member_ids);
      }
      joined.push_back(*r.owner_id);
      KEFU_TRY(RecordEvent(tx, r.ticket_id, now, p.user.id, "red_case_owner", "red_case", "", cat->UserById(*r.owner_id)->username, ""));
    }
    if (change.cadence_minutes) {
      r.cadence_minutes = *change.cadence_minutes;
      r.next_update_due = r.last_update_at.value_or(r.opened_at) + r.cadence_minutes * kMinute;
    }
    KEFU_TRY(tx.UpdateRedCase(r));
    KEFU_ASSIGN(Ticket t, tx.GetTicket(r.ticket_id));
    return notify.Send(joined, "red_case", t.id, fmt::format("红案 Red case {} {}", t.number, t.subject), r.reason);
  }));
  Deliver(sent);
  return r;
}

Result<RedCaseDetail> RedCaseService::Get(const Principal& p, Id id) {
  KEFU_TRY(Need(p, Permission::kTicketsRead));
  RedCaseDetail d;
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(d.red_case, tx.GetRedCase(id));
    KEFU_ASSIGN(d.ticket, tx.GetTicket(d.red_case.ticket_id));
    KEFU_ASSIGN(auto handoffs, tx.ListHandoffs(d.ticket.id));
    bool member = std::ranges::find(d.red_case.member_ids, p.user.id) != d.red_case.member_ids.end();
    if (!member && !CanSee(p, d.ticket, handoffs)) return Fail(Error::NotFound(fmt::format("red case {} not found", id)));
    KEFU_ASSIGN(d.updates, tx.ListRedCaseUpdates(id));
    return {};
  }));
  return d;
}

Result<std::vector<RedCase>> RedCaseService::OfTicket(const Principal& p, Id ticket_id) {
  KEFU_TRY(Need(p, Permission::kTicketsRead));
  std::vector<RedCase> out;
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(Ticket t, tx.GetTicket(ticket_id));
    KEFU_ASSIGN(auto handoffs, tx.ListHandoffs(ticket_id));
    if (!CanSee(p, t, handoffs)) return Fail(Error::NotFound(fmt::format("complaint {} not found", ticket_id)));
    KEFU_ASSIGN(out, tx.RedCasesOfTicket(ticket_id));
    return {};
  }));
  return out;
}

Result<std::vector<RedCaseRow>> RedCaseService::Board(const Principal& p) {
  KEFU_TRY(Need(p, Permission::kTicketsRead));
  std::vector<RedCaseRow> rows;
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(auto open, tx.ListOpenRedCases());
    for (auto& r : open) {
      KEFU_ASSIGN(Ticket t, tx.GetTicket(r.ticket_id));
      bool member = std::ranges::find(r.member_ids, p.user.id) != r.member_ids.end();
      if (!member && !CanSee(p, t, {})) continue;
      KEFU_ASSIGN(Customer c, tx.GetCustomer(t.customer_id));
      KEFU_ASSIGN(auto updates, tx.ListRedCaseUpdates(r.id));
      std::optional<RedCaseUpdate> last;
      if (!updates.empty()) last = updates.back();
      rows.push_back(RedCaseRow{std::move(r), std::move(t), std::move(c), std::move(last)});
    }
    return {};
  }));
  return rows;
}

Result<std::vector<Notification>> RedCaseService::SweepOverdue() {
  KEFU_ASSIGN(auto cat, catalog_.Get());
  const Millis now = clock_.Now();
  std::vector<RedCase> overdue;
  KEFU_TRY(store_.Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(overdue, tx.OverdueRedCases(now));
    return {};
  }));
  std::vector<Notification> all;
  for (const auto& stale : overdue) {
    std::vector<Notification> sent;
    KEFU_TRY(store_.Write([&](WriteTx& tx) -> Status {
      sent.clear();
      KEFU_ASSIGN(RedCase r, tx.GetRedCase(stale.id));
      if (r.state != RedCaseState::kOpen || r.next_update_due > now) return {};  // reported meanwhile
      const Millis due = r.next_update_due;
      // One missed update per cadence that passed; the next one is due a cadence later.
      while (r.next_update_due <= now) {
        r.missed_updates++;
        r.next_update_due += r.cadence_minutes * kMinute;
      }
      KEFU_TRY(tx.UpdateRedCase(r));
      KEFU_ASSIGN(Ticket t, tx.GetTicket(r.ticket_id));
      KEFU_TRY(RecordEvent(tx, t.id, now, std::nullopt, "red_case_update_missed", "red_case", "", std::to_string(r.missed_updates), fmt::format("progress update was due {}", FormatRfc3339(due))));
      Notifier notify(tx, now, sent);
      std::vector<Id> tell = Directors(*cat);
      if (r.owner_id) tell.push_back(*r.owner_id);
      std::string title = fmt::format("红案进展逾期 Red case update missed: {} {}", t.number, t.subject);
      std::string body = fmt::format("due {}; missed {} time(s)", FormatRfc3339(due), r.missed_updates);
      std::string key = fmt::format("red_case_overdue:{}:{}:{}", t.id, r.id, r.missed_updates);
      KEFU_TRY(notify.Send(tell, "red_case_overdue", t.id, title, body, key));
      if (t.team_id) KEFU_TRY(notify.SendTeam(*t.team_id, "red_case_overdue", t.id, title, body, key));
      return {};
    }));
    all.insert(all.end(), sent.begin(), sent.end());
  }
  return all;
}

}  // namespace kefu::triage
