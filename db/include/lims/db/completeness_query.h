// The reads behind the completeness matrix and the due list: a page of enrollments (with their
// patients) and, for exactly that page, the primary samples counted per (enrollment, timepoint,
// sample type) in one grouped query — two queries per page whatever its size, never one per row.
#ifndef LIMS_DB_COMPLETENESS_QUERY_H_
#define LIMS_DB_COMPLETENESS_QUERY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "lims/db/database.h"

namespace lims::db {

struct CompletenessEnrollment {
  int64_t enrollment_id = 0;
  int64_t patient_id = 0;
  std::string patient_registry_id;
  int64_t site_id = 0;
  std::string site_code;
  int64_t protocol_id = 0;
  std::string protocol_code;
  absl::CivilDay anchor_date;
};

// Primary samples (parent_id IS NULL: derived aliquots are left out) of one type collected for
// one timepoint of one enrollment, whatever their status since.
struct PrimarySampleCount {
  int64_t enrollment_id = 0;
  int64_t timepoint_id = 0;
  std::string sample_type;
  int count = 0;
};

struct CompletenessPage {
  std::vector<CompletenessEnrollment> enrollments;  // in enrollment id order
  std::vector<PrimarySampleCount> counts;           // for those enrollments only
};

class CompletenessQuery {
 public:
  explicit CompletenessQuery(Tx& tx) : tx_(tx) {}

  // Enrollments with id > after_id (at most `limit`), filtered by protocol and by the patient's
  // site when those are not 0, and their primary sample counts.
  absl::StatusOr<CompletenessPage> Load(int64_t protocol_id, int64_t site_id, int64_t after_id,
                                        int limit);

 private:
  Tx& tx_;
};

}  // namespace lims::db

#endif  // LIMS_DB_COMPLETENESS_QUERY_H_
