#include "call_log.h"

#include "absl/time/clock.h"
#include "spdlog/spdlog.h"

namespace lims::services {
namespace {

// Codes that mean the server (or its database) failed, not the caller.
bool ServerSide(grpc::StatusCode code) {
  return code == grpc::StatusCode::INTERNAL || code == grpc::StatusCode::UNKNOWN ||
         code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::DATA_LOSS ||
         code == grpc::StatusCode::DEADLINE_EXCEEDED;
}

}  // namespace

grpc::Status CallLog::Finish(grpc::Status status) {
  const double ms = absl::ToDoubleMilliseconds(absl::Now() - started_);
  const auto level = ServerSide(status.error_code()) ? spdlog::level::warn : spdlog::level::info;
  spdlog::log(level, "rpc method={} user={} code={} ms={:.2f} request_id={}", method_, user_,
              static_cast<int>(status.error_code()), ms, request_id_.empty() ? "-" : request_id_);
  return status;
}

}  // namespace lims::services
