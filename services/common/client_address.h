// The address a call came from, for the login slow-down and the audit trail: the gRPC peer's IP,
// or for calls relayed in process by the HTTP door, the browser's address it passes on. Behind
// a front door (nginx) every peer is the proxy: the address the proxy names in X-Real-IP is
// taken instead, but only from proxies the installation trusts (--trusted-proxies), so a client
// cannot name itself another address.
#ifndef LIMS_SERVICES_COMMON_CLIENT_ADDRESS_H_
#define LIMS_SERVICES_COMMON_CLIENT_ADDRESS_H_

#include <grpcpp/server_context.h>

#include <string>
#include <vector>

#include "lims/core/net_address.h"

namespace lims::services {

// Metadata the HTTP door sets on its in-process calls; ignored on calls from the network.
inline constexpr char kRelayedClientAddress[] = "x-lims-client-address";

// The proxies whose X-Real-IP is believed; set once at start-up (none by default).
void TrustProxies(std::vector<IpNetwork> proxies);

// `peer` (an IP), or the X-Real-IP it forwarded when it is a trusted proxy and the header holds
// an IP address.
std::string BehindProxy(const std::string& peer, const std::string& real_ip);

// "127.0.0.1", "2001:db8::1", or "unknown".
std::string ClientAddress(const grpc::ServerContext& context);

}  // namespace lims::services

#endif  // LIMS_SERVICES_COMMON_CLIENT_ADDRESS_H_
