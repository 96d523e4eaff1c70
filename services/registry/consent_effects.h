// What a consent withdrawal does at once beyond recording it: the patient's tubes held by
// approved requests that need a withdrawn scope are taken off them (reservation released, the
// code shown to the researcher as withdrawn), audited per request.
#ifndef LIMS_SERVICES_REGISTRY_CONSENT_EFFECTS_H_
#define LIMS_SERVICES_REGISTRY_CONSENT_EFFECTS_H_

#include <set>

#include "absl/status/statusor.h"
#include "call_context.h"
#include "lims/core/consent.h"
#include "lims/core/domain.h"
#include "lims/db/database.h"

namespace lims::services {

// How many tubes were taken off requests. Call inside the withdrawal's transaction, after the
// patient's row was locked (PatientRepository::Lock) and the withdrawal appended.
absl::StatusOr<int> ReleaseWithdrawnReservations(db::Tx& tx, const CallContext& call,
                                                 const Patient& patient,
                                                 const std::set<ConsentScope>& withdrawn);

}  // namespace lims::services

#endif  // LIMS_SERVICES_REGISTRY_CONSENT_EFFECTS_H_
