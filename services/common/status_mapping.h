// The one place where a domain status becomes a gRPC status. absl and gRPC share the canonical
// code numbers, so the mapping is by value; the switch is exhaustive so that a new code cannot
// slip through unnoticed.
#ifndef LIMS_SERVICES_COMMON_STATUS_MAPPING_H_
#define LIMS_SERVICES_COMMON_STATUS_MAPPING_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace lims::services {

grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace lims::services

#endif  // LIMS_SERVICES_COMMON_STATUS_MAPPING_H_
