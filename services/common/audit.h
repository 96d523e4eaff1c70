// Appends audit events inside the caller's transaction, with JSON snapshots of what changed.
#ifndef LIMS_SERVICES_COMMON_AUDIT_H_
#define LIMS_SERVICES_COMMON_AUDIT_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "call_context.h"
#include "lims/core/domain.h"
#include "lims/db/database.h"
#include "lims/db/placements.h"

namespace lims::services {

struct AuditEntry {
  std::string action;       // "sample.collected"
  std::string entity_type;  // "sample"
  std::string entity_key;   // barcode, code or id
  std::string details;      // one line a person reads
  std::string before_json;  // "" when the entity is new
  std::string after_json;
  std::string reason;
};

absl::Status Audit(db::Tx& tx, const CallContext& call, const AuditEntry& entry);

std::string SnapshotJson(const Sample& sample, const std::optional<db::BoxPosition>& where);
std::string SnapshotJson(const StorageUnit& unit);
std::string SnapshotJson(const Site& site);
std::string SnapshotJson(const Patient& patient);
std::string SnapshotJson(const Protocol& protocol);
std::string SnapshotJson(const Enrollment& enrollment);

// "A1 of Box B-0042 (Site PSL / ... / Box B-0042)".
std::string DescribePosition(const db::BoxPosition& where);

}  // namespace lims::services

#endif  // LIMS_SERVICES_COMMON_AUDIT_H_
