// ScanBox on domain types: the box (or bare layout) a scan is read against, and the scan's
// reconciliation with the placements the LIMS records there (reading only).
#ifndef LIMS_SERVICES_SCAN_BOX_SCAN_H_
#define LIMS_SERVICES_SCAN_BOX_SCAN_H_

#include <optional>

#include "absl/status/statusor.h"
#include "call_context.h"
#include "lims/core/box_layout.h"
#include "lims/core/domain.h"
#include "lims/core/rack_scan.h"
#include "lims/db/database.h"

namespace lims::services {

struct ScanTarget {
  BoxLayout layout;
  std::optional<StorageUnit> box;
};

struct ScanTargetQuery {
  int rows = 0;
  int columns = 0;
  int64_t box_id = 0;
};
// `box_id` 0: no box (rows and columns give the layout). With a box: its layout (rows/columns,
// when given, must agree: INVALID_ARGUMENT) and the site rule.
absl::StatusOr<ScanTarget> FindScanTarget(db::Tx& tx, const CallContext& call,
                                          const ScanTargetQuery& request);

// Each scanned code looked up: a tube of a site the caller does not work at is reported as
// recorded at "another site".
absl::StatusOr<BoxReconciliation> ReconcileWithBox(db::Tx& tx, const CallContext& call,
                                                   const StorageUnit& box, const RackScan& scan);

}  // namespace lims::services

#endif  // LIMS_SERVICES_SCAN_BOX_SCAN_H_
