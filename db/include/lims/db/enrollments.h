#ifndef LIMS_DB_ENROLLMENTS_H_
#define LIMS_DB_ENROLLMENTS_H_

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "lims/core/domain.h"
#include "lims/db/database.h"

namespace lims::db {

class EnrollmentRepository {
 public:
  explicit EnrollmentRepository(Tx& tx) : tx_(tx) {}

  // Sets enrollment.id. ABORTED if the patient is enrolled in the protocol concurrently.
  absl::Status Insert(Enrollment& enrollment, absl::Time now);
  // Moves the anchor date of a stored enrollment.
  absl::Status UpdateAnchorDate(int64_t id, absl::CivilDay anchor_date);
  // With protocol code, patient registry id and site filled in.
  absl::StatusOr<Enrollment> FindById(int64_t id);
  absl::StatusOr<std::optional<Enrollment>> FindByPatientAndProtocol(int64_t patient_id,
                                                                     int64_t protocol_id);
  // Filters are ignored when 0. Enrollments with id > after_id, in id order.
  absl::StatusOr<std::vector<Enrollment>> List(int64_t patient_id, int64_t protocol_id,
                                               int64_t after_id, int limit);

 private:
  Tx& tx_;
};

}  // namespace lims::db

#endif  // LIMS_DB_ENROLLMENTS_H_
