// Which tubes an excursion reached and for how long: from the location history (each tube's
// stays in boxes) and each unit's stays under its parents, so a tube moved out since is
// counted and one checked out at the time is not.
#ifndef LIMS_SERVICES_MONITORING_EXPOSURE_H_
#define LIMS_SERVICES_MONITORING_EXPOSURE_H_

#include <vector>

#include "absl/status/statusor.h"
#include "lims/core/domain.h"
#include "lims/db/database.h"
#include "lims/db/temperatures.h"

namespace lims::services {

// Every tube inside `unit` during the excursion, with its own minutes and extreme; written to
// the excursion's exposures (what a tube's record shows).
absl::StatusOr<std::vector<db::Exposure>> RecomputeExposure(db::Tx& tx, const StorageUnit& unit,
                                                            const db::ExcursionRecord& excursion);

}  // namespace lims::services

#endif  // LIMS_SERVICES_MONITORING_EXPOSURE_H_
