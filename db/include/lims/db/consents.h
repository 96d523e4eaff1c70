// The append-only consent history of patients (table consent_events). There is no update and no
// delete: a withdrawal is a new row.
#ifndef LIMS_DB_CONSENTS_H_
#define LIMS_DB_CONSENTS_H_

#include <map>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "lims/core/consent.h"
#include "lims/db/database.h"

namespace lims::db {

class ConsentRepository {
 public:
  explicit ConsentRepository(Tx& tx) : tx_(tx) {}

  // Sets event.id. recorded_at_micros and recorded_by are stored as given.
  absl::Status Append(int64_t patient_id, ConsentEvent& event);
  // Every event of the patient in recording order (id).
  absl::StatusOr<std::vector<ConsentEvent>> ListForPatient(int64_t patient_id);
  // The events of the patient an enrollment belongs to (for a tube: its enrollment's patient).
  absl::StatusOr<std::vector<ConsentEvent>> ListForEnrollment(int64_t enrollment_id);
  // The events of many patients at once (criteria queries), by patient. `newest`: the latest
  // committed events, kept from changing until the transaction ends (an approval deciding on
  // them; with PatientRepository::Lock, a withdrawal waits or is seen).
  absl::StatusOr<std::map<int64_t, std::vector<ConsentEvent>>> ListForPatients(
      const std::vector<int64_t>& patient_ids, bool newest = false);

 private:
  absl::StatusOr<std::vector<ConsentEvent>> List(const char* where, long long key);
  Tx& tx_;
};

}  // namespace lims::db

#endif  // LIMS_DB_CONSENTS_H_
