// Which network addresses a robot or webhook may be delivered to. A user can
// point a personal webhook anywhere, so by default deliveries to loopback,
// private, shared (carrier-grade NAT), link-local (cloud metadata), multicast
// and unspecified addresses are refused, by the address actually connected
// to (a name that resolves to one, or is made to later, is caught as well).
// A department whose receivers are on its intranet allows them with
// [outbox] private_targets.
#pragma once

#include <string_view>

struct sockaddr;

namespace kefu::outbox {

bool IsInternalAddress(const sockaddr* address);
// The same for a textual IPv4 or IPv6 address; false for anything else.
bool IsInternalAddress(std::string_view ip);

}  // namespace kefu::outbox
