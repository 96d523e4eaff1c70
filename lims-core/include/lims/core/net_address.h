// HOST:PORT addresses as the server listens and the client connects: whether traffic to them
// stays on this machine (plaintext is allowed there only). Pure string logic.
#ifndef LIMS_CORE_NET_ADDRESS_H_
#define LIMS_CORE_NET_ADDRESS_H_

#include <array>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace lims {

// True for 127.0.0.0/8, [::1] and localhost ("HOST:PORT", or a bare host).
bool IsLoopbackAddress(std::string_view address);

// An IPv4 or IPv6 network: "10.4.0.0/16", "fd00::/8", or one address.
struct IpNetwork {
  std::array<unsigned char, 16> address{};  // IPv4 as ::ffff:a.b.c.d
  int prefix_bits = 128;                    // of the 128
};

// Comma-separated networks; INVALID_ARGUMENT naming the one that is not a network.
absl::StatusOr<std::vector<IpNetwork>> ParseNetworks(std::string_view list);

// True when `host` is an IP address literal (no name) inside one of `networks`.
bool IsAddressIn(std::string_view host, const std::vector<IpNetwork>& networks);

}  // namespace lims

#endif  // LIMS_CORE_NET_ADDRESS_H_
