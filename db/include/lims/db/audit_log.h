// The append-only audit trail: every change is recorded in the transaction that makes it.
#ifndef LIMS_DB_AUDIT_LOG_H_
#define LIMS_DB_AUDIT_LOG_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "lims/db/database.h"

namespace lims::db {

struct AuditEvent {
  int64_t id = 0;
  absl::Time at;
  std::string actor;
  std::string action;       // "sample.collected", "storage.placed", ...
  std::string entity_type;  // "sample", "storage_unit", "patient", ...
  std::string entity_key;   // the barcode, code or id people search by
  std::string details;      // one human-readable line
  std::string before_json;  // "" when the entity did not exist
  std::string after_json;
  std::string reason;
  std::string request_id;
};

class AuditLog {
 public:
  explicit AuditLog(Tx& tx) : tx_(tx) {}

  // Sets event.id. There is deliberately no update or delete.
  absl::Status Append(AuditEvent& event);
  // Events of one entity, oldest first.
  absl::StatusOr<std::vector<AuditEvent>> ListForEntity(const std::string& entity_type,
                                                        const std::string& entity_key);

 private:
  Tx& tx_;
};

}  // namespace lims::db

#endif  // LIMS_DB_AUDIT_LOG_H_
