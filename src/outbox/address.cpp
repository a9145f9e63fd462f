#include "outbox/address.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <cstring>
#include <string>

namespace kefu::outbox {

namespace {

bool InternalV4(std::uint32_t host_order) {
  const auto in = [&](std::uint32_t net, int bits) {
    const std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
    return (host_order & mask) == net;
  };
  return in(0x00000000, 8) ||    // 0.0.0.0/8 "this network"
         in(0x0A000000, 8) ||    // 10.0.0.0/8
         in(0x64400000, 10) ||   // 100.64.0.0/10 shared address space
         in(0x7F000000, 8) ||    // 127.0.0.0/8 loopback
         in(0xA9FE0000, 16) ||   // 169.254.0.0/16 link-local, cloud metadata
         in(0xAC100000, 12) ||   // 172.16.0.0/12
         in(0xC0000000, 24) ||   // 192.0.0.0/24 protocol assignments
         in(0xC0A80000, 16) ||   // 192.168.0.0/16
         in(0xC6120000, 15) ||   // 198.18.0.0/15 benchmarking
         in(0xE0000000, 4) ||    // 224.0.0.0/4 multicast
         in(0xF0000000, 4);      // 240.0.0.0/4 reserved, broadcast
}

bool InternalV6(const in6_addr& a) {
  const std::uint8_t* b = a.s6_addr;
  static constexpr std::uint8_t kZero[16] = {};
  if (std::memcmp(b, kZero, 15) == 0 && (b[15] == 0 || b[15] == 1)) return true;  // :: and ::1
  if (IN6_IS_ADDR_V4MAPPED(&a) || IN6_IS_ADDR_V4COMPAT(&a)) {
    std::uint32_t v4;
    std::memcpy(&v4, b + 12, 4);
    return InternalV4(ntohl(v4));
  }
  if ((b[0] & 0xFE) == 0xFC) return true;                  // fc00::/7 unique local
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) return true;  // fe80::/10 link-local
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0) return true;  // fec0::/10 site-local (deprecated)
  if (b[0] == 0xFF) return true;                           // ff00::/8 multicast
  if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B) {  // 64:ff9b::/96 NAT64 of an IPv4 address
    std::uint32_t v4;
    std::memcpy(&v4, b + 12, 4);
    return InternalV4(ntohl(v4));
  }
  return false;
}

}  // namespace

bool IsInternalAddress(const sockaddr* address) {
  if (address == nullptr) return true;
  if (address->sa_family == AF_INET) {
    sockaddr_in v4;
    std::memcpy(&v4, address, sizeof v4);
    return InternalV4(ntohl(v4.sin_addr.s_addr));
  }
  if (address->sa_family == AF_INET6) {
    sockaddr_in6 v6;
    std::memcpy(&v6, address, sizeof v6);
    return InternalV6(v6.sin6_addr);
  }
  return true;  // unix sockets and the like are never a robot
}

bool IsInternalAddress(std::string_view ip) {
  const std::string text(ip);
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return InternalV4(ntohl(v4.s_addr));
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) return InternalV6(v6);
  return false;
}

}  // namespace kefu::outbox
