// Completeness use cases: the patient × timepoint matrix of a protocol and the timepoints due in
// a date range at a site. Reads only; the rule itself is lims/core/completeness.h.
#ifndef LIMS_SERVICES_REGISTRY_COMPLETENESS_OPERATIONS_H_
#define LIMS_SERVICES_REGISTRY_COMPLETENESS_OPERATIONS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "call_context.h"
#include "lims/core/completeness.h"
#include "lims/core/domain.h"
#include "lims/db/completeness_query.h"
#include "lims/db/database.h"

namespace lims::services {

struct CompletenessMatrixRow {
  db::CompletenessEnrollment enrollment;
  std::vector<CompletenessCell> cells;  // one per protocol timepoint, in schedule order
};

struct CompletenessMatrix {
  Protocol protocol;
  std::vector<CompletenessMatrixRow> rows;
  // Paging over enrollments read (rows of other sites are read, then left out).
  int enrollments_read = 0;
  int64_t last_enrollment_id = 0;
};

struct CompletenessQuery {
  std::string protocol_code;
  std::string site_code;
  absl::CivilDay as_of;
  int64_t after_id = 0;
  int limit = 0;
};
// NOT_FOUND for an unknown protocol or site; PERMISSION_DENIED for a site the caller does not
// work at. Without a site, rows of other sites are left out.
absl::StatusOr<CompletenessMatrix> TallyCompleteness(db::Tx& tx, const CallContext& call,
                                                     const CompletenessQuery& request);

struct DueTimepointItem {
  std::string patient_registry_id;
  std::string protocol_code;
  std::string timepoint_code;
  CompletenessCell cell;
};

inline constexpr int kMaxDueRangeDays = 366;

struct DueQuery {
  std::string site_code;
  absl::CivilDay from;
  absl::CivilDay to;
  absl::CivilDay as_of;
};
// Timepoints of every enrollment at the site, not yet complete, whose window meets [from, to]
// (inclusive), by due date. INVALID_ARGUMENT when to < from or the range exceeds a year.
absl::StatusOr<std::vector<DueTimepointItem>> FindDueTimepoints(db::Tx& tx, const CallContext& call,
                                                                const DueQuery& request);

}  // namespace lims::services

#endif  // LIMS_SERVICES_REGISTRY_COMPLETENESS_OPERATIONS_H_
