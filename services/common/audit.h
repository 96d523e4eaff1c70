// Appends audit events inside the caller's transaction, with JSON snapshots of what changed.
#ifndef LIMS_SERVICES_COMMON_AUDIT_H_
#define LIMS_SERVICES_COMMON_AUDIT_H_

#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "call_context.h"
#include "lims/core/box_layout.h"
#include "lims/core/domain.h"
#include "lims/db/database.h"

namespace lims::services {

// One audit event, its parts named where it is written:
//   AuditEntry("sample.moved", "sample", barcode).Before(was).After(now).Reason(why)
struct AuditEntry {
  AuditEntry(std::string action, std::string entity_type, std::string entity_key)
      : action(std::move(action)),
        entity_type(std::move(entity_type)),
        entity_key(std::move(entity_key)) {}
  // One line a person reads.
  AuditEntry& Details(std::string text) {
    details = std::move(text);
    return *this;
  }
  // JSON snapshots of the entity: none before when it is new, none after when it is gone.
  AuditEntry& Before(std::string json) {
    before_json = std::move(json);
    return *this;
  }
  AuditEntry& After(std::string json) {
    after_json = std::move(json);
    return *this;
  }
  AuditEntry& Reason(std::string text) {
    reason = std::move(text);
    return *this;
  }

  std::string action;       // "sample.collected"
  std::string entity_type;  // "sample"
  std::string entity_key;   // barcode, code or id
  std::string details;
  std::string before_json;
  std::string after_json;
  std::string reason;
};

absl::Status Audit(db::Tx& tx, const CallContext& call, const AuditEntry& entry);

std::string SnapshotJson(const Sample& sample, const std::optional<BoxPlace>& where);
std::string SnapshotJson(const StorageUnit& unit);
std::string SnapshotJson(const Site& site);
std::string SnapshotJson(const Patient& patient);
std::string SnapshotJson(const Protocol& protocol);
std::string SnapshotJson(const Enrollment& enrollment);

// "A1 of Box B-0042 (Site PSL / ... / Box B-0042)".
std::string DescribePosition(const BoxPlace& where);

}  // namespace lims::services

#endif  // LIMS_SERVICES_COMMON_AUDIT_H_
