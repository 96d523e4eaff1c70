// Outcomes of mutating calls keyed by the client's request_id, stored in the call's transaction:
// a retried call finds its first outcome here instead of changing anything again.
#ifndef LIMS_DB_REQUEST_LOG_H_
#define LIMS_DB_REQUEST_LOG_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "lims/db/database.h"

namespace lims::db {

struct LoggedRequest {
  std::string request_id;
  std::string rpc;            // full method name
  std::string request_body;   // opaque bytes identifying the request (the services store a digest)
  std::string response_body;  // opaque bytes (the serialized response)
};

class RequestLog {
 public:
  explicit RequestLog(Tx& tx) : tx_(tx) {}

  absl::StatusOr<std::optional<LoggedRequest>> Find(const std::string& request_id);
  // ABORTED when the same request_id is being recorded concurrently.
  absl::Status Insert(const LoggedRequest& entry, absl::Time now);
  // Deletes the outcomes recorded before `before`; returns how many.
  absl::StatusOr<int64_t> PurgeBefore(absl::Time before);

 private:
  Tx& tx_;
};

}  // namespace lims::db

#endif  // LIMS_DB_REQUEST_LOG_H_
