// The Connect protocol's names and HTTP statuses for gRPC status codes
// (https://connectrpc.com/docs/protocol#error-codes): the HTTP door's only translation; the
// codes themselves come from the one domain→gRPC mapping (services/common/status_mapping.h).
#ifndef LIMS_SERVICES_HTTP_CONNECT_CODES_H_
#define LIMS_SERVICES_HTTP_CONNECT_CODES_H_

#include <grpcpp/support/status.h>

#include <string>

namespace lims::services {

struct ConnectCode {
  const char* name;  // "not_found"
  int http_status;   // 404
};

ConnectCode ToConnectCode(grpc::StatusCode code);

// {"code": "...", "message": "..."}
std::string ConnectErrorJson(grpc::StatusCode code, const std::string& message);

}  // namespace lims::services

#endif  // LIMS_SERVICES_HTTP_CONNECT_CODES_H_
