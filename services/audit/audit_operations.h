// Reading the audit trail inside the caller's session: the events a caller may see, the chain's
// verification, the CSV export. (The trail is written by services/common/audit.h.)
#ifndef LIMS_SERVICES_AUDIT_AUDIT_OPERATIONS_H_
#define LIMS_SERVICES_AUDIT_AUDIT_OPERATIONS_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "call_context.h"
#include "lims/db/audit_log.h"
#include "lims/db/database.h"
#include "paging.h"

namespace lims::services {

struct AuditQuery {
  std::string actor;           // "": anyone
  std::string entity_barcode;  // "": the whole trail (administrators only)
  std::string action;          // "": any
  std::optional<absl::Time> since, until;
};

// The trail has events of every site and no site column, so only administrators read it whole;
// anyone else names one tube, which must be of their sites.
absl::StatusOr<std::vector<db::AuditEvent>> ListAuditPage(db::Tx& tx, const CallContext& call,
                                                          const AuditQuery& query,
                                                          const Page& page);

// The hash chain from the start (or from `anchor`, a head written down earlier) to the head.
absl::StatusOr<db::ChainCheck> CheckAuditChain(db::Tx& tx,
                                               const std::optional<db::ChainAnchor>& anchor);

// The events ListAuditPage would list, as CSV, chunk by chunk while the rows are read.
absl::Status StreamAuditCsv(db::Tx& tx, const CallContext& call, const AuditQuery& query,
                            const std::function<absl::Status(absl::string_view)>& chunk);

}  // namespace lims::services

#endif  // LIMS_SERVICES_AUDIT_AUDIT_OPERATIONS_H_
