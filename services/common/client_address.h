// The address a call came from, for the login slow-down and the audit trail: the gRPC peer's IP,
// or for calls relayed in process by the HTTP door, the browser's address it passes on.
#ifndef LIMS_SERVICES_COMMON_CLIENT_ADDRESS_H_
#define LIMS_SERVICES_COMMON_CLIENT_ADDRESS_H_

#include <grpcpp/server_context.h>

#include <string>

namespace lims::services {

// Metadata the HTTP door sets on its in-process calls; ignored on calls from the network.
inline constexpr char kRelayedClientAddress[] = "x-lims-client-address";

// "127.0.0.1", "2001:db8::1", or "unknown".
std::string ClientAddress(const grpc::ServerContext& context);

}  // namespace lims::services

#endif  // LIMS_SERVICES_COMMON_CLIENT_ADDRESS_H_
