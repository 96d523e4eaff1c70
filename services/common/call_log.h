// One structured log line per RPC, written by the gate when the call ends: method, user, status
// code, duration and request_id — never a token, a password or a patient identifier (those are
// in no field it writes). The same end counts the call for /metrics (call_metrics.h).
#ifndef LIMS_SERVICES_COMMON_CALL_LOG_H_
#define LIMS_SERVICES_COMMON_CALL_LOG_H_

#include <grpcpp/support/status.h>

#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace lims::services {

class CallLog {
 public:
  // A call done in steps logs each: its plan (a read before the device is spoken to; counted
  // for /metrics only when it ends the call) or its admission (work without the database).
  enum class Stage { kCall, kPlan, kAdmission };

  CallLog(const std::string& method, const std::string& request_id, Stage stage = Stage::kCall);
  CallLog(const CallLog&) = delete;
  CallLog& operator=(const CallLog&) = delete;

  // Once the token is checked.
  void set_user(const std::string& user) { user_ = user; }

  // Writes the line (info; warn for the server's own failures) and hands `status` back.
  grpc::Status Finish(grpc::Status status);

 private:
  const std::string method_;
  const std::string request_id_;
  const Stage stage_;
  const absl::Time started_;
  std::string user_ = "-";
};

}  // namespace lims::services

#endif  // LIMS_SERVICES_COMMON_CALL_LOG_H_
