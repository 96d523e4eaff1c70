// ScanBox's apply option: the LIMS's placements in a box made to match a scan of it, in the
// caller's transaction, every change audited with the reason "box scan".
#ifndef LIMS_SERVICES_SCAN_BOX_APPLY_H_
#define LIMS_SERVICES_SCAN_BOX_APPLY_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "call_context.h"
#include "lims/core/box_layout.h"
#include "lims/core/domain.h"
#include "lims/core/rack_scan.h"
#include "lims/db/database.h"

namespace lims::services {

struct BoxChange {
  std::string barcode;
  std::string change;  // "moved", "placed", "found", "marked missing"
  std::string from;    // "" when it was not in a box
  std::string to;      // "" when it is no longer in one
};

// A tube read in a well it is not recorded in is moved there (stored elsewhere), put there (not
// yet stored) or found there (missing); a tube recorded here whose well was read empty or
// holding another tube, and that is not seen anywhere in the scan, is marked missing. Unknown
// codes, unreadable wells and other sites' tubes are left alone. FAILED_PRECONDITION, changing
// nothing, when a tube seen here may not be stored (checked out, shipped, used up, disposed of).
absl::StatusOr<std::vector<BoxChange>> ApplyBoxScan(db::Tx& tx, const CallContext& call,
                                                    const StorageUnit& box,
                                                    const BoxLayout& layout, const RackScan& scan);

}  // namespace lims::services

#endif  // LIMS_SERVICES_SCAN_BOX_APPLY_H_
