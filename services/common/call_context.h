// Who is calling, with which request_id, and when: read once per call from the gRPC context.
#ifndef LIMS_SERVICES_COMMON_CALL_CONTEXT_H_
#define LIMS_SERVICES_COMMON_CALL_CONTEXT_H_

#include <grpcpp/server_context.h>

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace lims::services {

struct CallContext {
  // Until authentication exists the actor is what the client declares in the `x-lims-actor`
  // metadata ("unknown" when absent).
  std::string actor;
  std::string request_id;
  absl::Time now;
};

// INVALID_ARGUMENT when request_id is too long or not printable ASCII.
absl::StatusOr<CallContext> MakeCallContext(const grpc::ServerContext& context,
                                            const std::string& request_id);

}  // namespace lims::services

#endif  // LIMS_SERVICES_COMMON_CALL_CONTEXT_H_
