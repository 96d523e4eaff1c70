#include "client_address.h"

#include "absl/strings/match.h"

namespace lims::services {

std::string ClientAddress(const grpc::ServerContext& context) {
  const std::string peer = context.peer();
  // "ipv4:10.1.2.3:51234" and "ipv6:[2001:db8::1]:51234": from the network, as is.
  if (absl::StartsWith(peer, "ipv4:")) {
    const std::string rest = peer.substr(5);
    return rest.substr(0, rest.rfind(':'));
  }
  if (absl::StartsWith(peer, "ipv6:[")) {
    const std::string rest = peer.substr(6);
    return rest.substr(0, rest.find(']'));
  }
  if (absl::StartsWith(peer, "unix:")) return "local";
  // In process (the HTTP door): the address the door saw.
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(kRelayedClientAddress);
  if (it != metadata.end() && !it->second.empty() && it->second.size() <= 64) {
    return std::string(it->second.data(), it->second.size());
  }
  return "unknown";
}

}  // namespace lims::services
