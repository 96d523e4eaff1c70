#include "client_address.h"

#include <arpa/inet.h>

#include <mutex>

#include "absl/strings/match.h"

namespace lims::services {
namespace {

std::mutex proxies_mutex;
std::vector<IpNetwork>& Proxies() {
  static auto* proxies = new std::vector<IpNetwork>();
  return *proxies;
}

bool IsIpAddress(const std::string& text) {
  unsigned char bytes[16];
  return inet_pton(AF_INET, text.c_str(), bytes) == 1 ||
         inet_pton(AF_INET6, text.c_str(), bytes) == 1;
}

std::string Metadata(const grpc::ServerContext& context, const char* key) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(key);
  if (it == metadata.end() || it->second.size() > 64) return "";
  return std::string(it->second.data(), it->second.size());
}

}  // namespace

void TrustProxies(std::vector<IpNetwork> proxies) {
  std::lock_guard<std::mutex> lock(proxies_mutex);
  Proxies() = std::move(proxies);
}

std::string BehindProxy(const std::string& peer, const std::string& real_ip) {
  if (real_ip.empty() || !IsIpAddress(real_ip)) return peer;
  std::lock_guard<std::mutex> lock(proxies_mutex);
  return IsAddressIn(peer, Proxies()) ? real_ip : peer;
}

std::string ClientAddress(const grpc::ServerContext& context) {
  const std::string peer = context.peer();
  // "ipv4:10.1.2.3:51234" and "ipv6:[2001:db8::1]:51234": from the network (or a proxy).
  if (absl::StartsWith(peer, "ipv4:")) {
    const std::string rest = peer.substr(5);
    return BehindProxy(rest.substr(0, rest.rfind(':')), Metadata(context, "x-real-ip"));
  }
  if (absl::StartsWith(peer, "ipv6:[")) {
    const std::string rest = peer.substr(6);
    return BehindProxy(rest.substr(0, rest.find(']')), Metadata(context, "x-real-ip"));
  }
  if (absl::StartsWith(peer, "unix:")) return "local";
  // In process (the HTTP door): the address the door saw.
  const std::string relayed = Metadata(context, kRelayedClientAddress);
  return relayed.empty() ? "unknown" : relayed;
}

}  // namespace lims::services
