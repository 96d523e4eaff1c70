#include "audit_operations.h"

#include "lims/core/sample_id.h"
#include "sample_access.h"
#include "status_macros.h"
#include "text_fields.h"

namespace lims::services {
namespace {

absl::StatusOr<db::AuditFilter> Filter(const AuditQuery& query) {
  if (query.since && query.until && *query.since >= *query.until) {
    return absl::InvalidArgumentError("since must be before until");
  }
  db::AuditFilter filter;
  filter.actor = query.actor;
  filter.action = query.action;
  filter.since = query.since;
  filter.until = query.until;
  return filter;
}

// What the caller may read of the trail, as a filter.
absl::StatusOr<db::AuditFilter> CallerFilter(db::Tx& tx, const CallContext& call,
                                             const AuditQuery& query) {
  LIMS_RETURN_IF_ERROR(CheckText(query.actor, "actor", 100, false));
  LIMS_RETURN_IF_ERROR(CheckText(query.action, "action", 100, false));
  LIMS_ASSIGN_OR_RETURN(db::AuditFilter filter, Filter(query));
  if (query.entity_barcode.empty()) {
    if (call.principal.role != Role::kAdmin) {
      return absl::PermissionDeniedError(
          "give entity_barcode: the whole audit trail spans every site and is for administrators");
    }
  } else {
    LIMS_ASSIGN_OR_RETURN(std::string barcode, CanonicalBarcode(query.entity_barcode));
    LIMS_ASSIGN_OR_RETURN(Sample sample, FindSampleForCaller(tx, call, barcode));
    filter.entity_type = "sample";
    filter.entity_key = sample.barcode;
  }
  return filter;
}

}  // namespace

absl::StatusOr<std::vector<db::AuditEvent>> ListAuditPage(db::Tx& tx, const CallContext& call,
                                                          const AuditQuery& query,
                                                          const Page& page) {
  LIMS_ASSIGN_OR_RETURN(db::AuditFilter filter, CallerFilter(tx, call, query));
  return db::AuditLog(tx).List(filter, page.after_id, page.size);
}

absl::StatusOr<db::ChainCheck> CheckAuditChain(db::Tx& tx,
                                               const std::optional<db::ChainAnchor>& anchor) {
  return db::AuditLog(tx).Verify(anchor);
}

absl::Status StreamAuditCsv(db::Tx& tx, const CallContext& call, const AuditQuery& query,
                            const std::function<absl::Status(absl::string_view)>& chunk) {
  LIMS_ASSIGN_OR_RETURN(db::AuditFilter filter, CallerFilter(tx, call, query));
  return db::AuditLog(tx).ExportCsv(filter, chunk);
}

}  // namespace lims::services
