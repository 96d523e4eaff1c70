#ifndef LIMS_DB_PATIENTS_H_
#define LIMS_DB_PATIENTS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "lims/core/domain.h"
#include "lims/db/database.h"

namespace lims::db {

class PatientRepository {
 public:
  explicit PatientRepository(Tx& tx) : tx_(tx) {}

  // Sets patient.id. ABORTED if the registry id is taken concurrently.
  absl::Status Insert(Patient& patient, absl::Time now);
  absl::StatusOr<Patient> FindById(int64_t id);
  absl::StatusOr<Patient> FindByRegistryId(const std::string& registry_id);
  // site_id 0: every site. Patients with id > after_id, in id order.
  absl::StatusOr<std::vector<Patient>> List(int64_t site_id, int64_t after_id, int limit);
  // Locks the patients' rows until the transaction ends: `exclusive` for a change of what they
  // consent to (waits for every reader), shared for a decision resting on it (waits for a
  // change). SQLite: nothing to do, its writers are serialised.
  absl::Status Lock(const std::vector<int64_t>& patient_ids, bool exclusive);

 private:
  template <typename Key>
  absl::StatusOr<Patient> FindOne(const std::string& where, Key key);
  Tx& tx_;
};

}  // namespace lims::db

#endif  // LIMS_DB_PATIENTS_H_
