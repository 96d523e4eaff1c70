#include "lims/db/request_log.h"

#include "absl/strings/escaping.h"
#include "soci/soci.h"
#include "sql_errors.h"

namespace lims::db {

// Bodies are binary (serialized protobuf); they are stored base64-encoded in text columns because
// SOCI's MySQL backend has no BLOB support.
absl::StatusOr<std::optional<LoggedRequest>> RequestLog::Find(const std::string& request_id) {
  return Guarded([&]() -> absl::StatusOr<std::optional<LoggedRequest>> {
    LoggedRequest entry;
    entry.request_id = std::string(request_id);
    std::string request, response;
    tx_.session() << "SELECT rpc, request_body, response_body FROM request_log "
                     "WHERE request_id = :r",
        soci::use(entry.request_id), soci::into(entry.rpc), soci::into(request),
        soci::into(response);
    if (!tx_.session().got_data()) return std::optional<LoggedRequest>();
    if (!absl::Base64Unescape(request, &entry.request_body) ||
        !absl::Base64Unescape(response, &entry.response_body)) {
      return absl::InternalError("corrupt request_log entry " + entry.request_id);
    }
    return std::optional<LoggedRequest>(entry);
  });
}

absl::Status RequestLog::Insert(const LoggedRequest& entry, absl::Time now) {
  return Guarded([&]() -> absl::Status {
    const std::string request = absl::Base64Escape(entry.request_body);
    const std::string response = absl::Base64Escape(entry.response_body);
    long long at = absl::ToUnixMicros(now);
    tx_.session() << "INSERT INTO request_log (request_id, rpc, request_body, response_body, "
                     "created_at) VALUES (:id, :rpc, :req, :resp, :t)",
        soci::use(entry.request_id), soci::use(entry.rpc), soci::use(request),
        soci::use(response), soci::use(at);
    return absl::OkStatus();
  });
}

absl::StatusOr<int64_t> RequestLog::PurgeBefore(absl::Time before) {
  return Guarded([&]() -> absl::StatusOr<int64_t> {
    long long at = absl::ToUnixMicros(before);
    soci::statement st = (tx_.session().prepare
                              << "DELETE FROM request_log WHERE created_at < :t",
                          soci::use(at));
    st.execute(true);
    return static_cast<int64_t>(st.get_affected_rows());
  });
}

}  // namespace lims::db
