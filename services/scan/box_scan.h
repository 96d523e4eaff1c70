// ScanBox on domain types: a rack scanner's file read against the box's layout and, with a box,
// reconciled with the placements the LIMS records (reading only).
#ifndef LIMS_SERVICES_SCAN_BOX_SCAN_H_
#define LIMS_SERVICES_SCAN_BOX_SCAN_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "call_context.h"
#include "lims/core/box_layout.h"
#include "lims/core/rack_scan.h"
#include "lims/db/database.h"

namespace lims::services {

struct BoxScanResult {
  BoxLayout layout;
  RackScan scan;
  std::optional<BoxReconciliation> reconciliation;
};

// `box_id` 0: no box (rows and columns give the layout). With a box: its layout (rows/columns,
// when given, must agree: INVALID_ARGUMENT), the site rule, and each scanned code looked up —
// a tube of a site the caller does not work at is reported as recorded at "another site".
absl::StatusOr<BoxScanResult> ScanRackFile(db::Tx& tx, const CallContext& call,
                                           const std::string& rack_csv, int rows, int columns,
                                           int64_t box_id);

}  // namespace lims::services

#endif  // LIMS_SERVICES_SCAN_BOX_SCAN_H_
