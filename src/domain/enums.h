// The fixed vocabularies of a complaint record, and their wire names.
// Each Parse* returns nullopt for an unknown name; each Name() is the inverse.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace kefu {

enum class Channel { kPhone, kEmail, kWeb, kChat, kSocial, kMessaging, kApp, kWalkIn, kOther };
enum class Tier { kRegular, kVip, kEnterprise };
enum class Severity { kSevere, kNormal, kSuggestion };
enum class Priority { kUrgent, kHigh, kNormal, kLow };
// Admins name states; behaviour hangs on these fixed types.
enum class StateType { kNew, kOpen, kPendingCustomer, kPendingInternal, kResolved, kClosed, kMerged };
enum class MessageKind { kReply, kNote, kCall };
enum class AuthorKind { kCustomer, kAgent, kSystem };
enum class CallDirection { kInbound, kOutbound };
enum class HandoffState { kOpen, kAnswered, kCancelled };
enum class LinkKind { kDuplicate, kRelated, kParent, kChild };
// What a customer threatens to do (triage): go to the media, a regulator, court, or leave.
enum class ThreatKind { kMedia, kRegulator, kLegal, kChurn };
enum class RedCaseState { kOpen, kClosed };
enum class Presence { kOnline, kAway, kOffline };
enum class RoutingMode { kManual, kLeastLoaded, kRoundRobin };
enum class Role { kAgent, kTeamLead, kSupervisor, kDirector, kQa, kDepartmentLiaison, kAdmin };

template <typename E>
struct EnumNames;  // specialised below: a constexpr array of names indexed by value

#define KEFU_ENUM_NAMES(E, ...)                                   \
  template <>                                                     \
  struct EnumNames<E> {                                           \
    static constexpr std::array kNames = {__VA_ARGS__};           \
  };
KEFU_ENUM_NAMES(Channel, "phone", "email", "web", "chat", "social", "messaging", "app", "walk_in", "other")
KEFU_ENUM_NAMES(Tier, "regular", "vip", "enterprise")
KEFU_ENUM_NAMES(Severity, "severe", "normal", "suggestion")
KEFU_ENUM_NAMES(Priority, "urgent", "high", "normal", "low")
KEFU_ENUM_NAMES(StateType, "new", "open", "pending_customer", "pending_internal", "resolved", "closed", "merged")
KEFU_ENUM_NAMES(MessageKind, "reply", "note", "call")
KEFU_ENUM_NAMES(AuthorKind, "customer", "agent", "system")
KEFU_ENUM_NAMES(CallDirection, "inbound", "outbound")
KEFU_ENUM_NAMES(HandoffState, "open", "answered", "cancelled")
KEFU_ENUM_NAMES(LinkKind, "duplicate", "related", "parent", "child")
KEFU_ENUM_NAMES(ThreatKind, "media", "regulator", "legal", "churn")
KEFU_ENUM_NAMES(RedCaseState, "open", "closed")
KEFU_ENUM_NAMES(Presence, "online", "away", "offline")
KEFU_ENUM_NAMES(RoutingMode, "manual", "least_loaded", "round_robin")
KEFU_ENUM_NAMES(Role, "agent", "team_lead", "supervisor", "director", "qa", "department_liaison", "admin")
#undef KEFU_ENUM_NAMES

template <typename E>
constexpr std::string_view Name(E value) {
  return EnumNames<E>::kNames[static_cast<size_t>(value)];
}

template <typename E>
constexpr std::optional<E> Parse(std::string_view name) {
  const auto& names = EnumNames<E>::kNames;
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<E>(i);
  return std::nullopt;
}

// The names joined with "|", for error messages: "phone|email|…".
template <typename E>
std::string AllowedNames() {
  std::string out;
  for (std::string_view n : EnumNames<E>::kNames) {
    if (!out.empty()) out += '|';
    out += n;
  }
  return out;
}

}  // namespace kefu
