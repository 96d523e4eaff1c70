#include "call_log.h"

#include "absl/time/clock.h"
#include "call_metrics.h"
#include "spdlog/spdlog.h"

namespace lims::services {
namespace {

// Codes that mean the server (or its database) failed, not the caller.
bool ServerSide(grpc::StatusCode code) {
  return code == grpc::StatusCode::INTERNAL || code == grpc::StatusCode::UNKNOWN ||
         code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::DATA_LOSS ||
         code == grpc::StatusCode::DEADLINE_EXCEEDED;
}

const char* Suffix(CallLog::Stage stage) {
  switch (stage) {
    case CallLog::Stage::kPlan:
      return " (plan)";
    case CallLog::Stage::kAdmission:
      return " (admission)";
    case CallLog::Stage::kCall:
      break;
  }
  return "";
}

}  // namespace

CallLog::CallLog(const std::string& method, const std::string& request_id, Stage stage)
    : method_(method), request_id_(request_id), stage_(stage), started_(absl::Now()) {
  CallMetrics::Global().Started();
}

grpc::Status CallLog::Finish(grpc::Status status) {
  const absl::Duration took = absl::Now() - started_;
  const auto level = ServerSide(status.error_code()) ? spdlog::level::warn : spdlog::level::info;
  spdlog::log(level, "rpc method={}{} user={} code={} ms={:.2f} request_id={}", method_,
              Suffix(stage_), user_, static_cast<int>(status.error_code()),
              absl::ToDoubleMilliseconds(took), request_id_.empty() ? "-" : request_id_);
  // A plan that went well is followed by the call's own step, which counts it.
  const bool counted = !(stage_ == Stage::kPlan && status.ok());
  CallMetrics::Global().Finished(counted ? method_ : std::string(), status.error_code(),
                                 absl::ToDoubleSeconds(took));
  return status;
}

}  // namespace lims::services
