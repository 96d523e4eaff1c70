// Consent use cases on domain types, inside the caller's transaction: the patient's site is
// checked, the rules of lims/core/consent.h applied, the events appended and the change audited
// (entity patient, before/after JSON of the state). Nothing is ever updated or deleted.
#ifndef LIMS_SERVICES_REGISTRY_CONSENT_OPERATIONS_H_
#define LIMS_SERVICES_REGISTRY_CONSENT_OPERATIONS_H_

#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "call_context.h"
#include "lims/core/consent.h"
#include "lims/core/domain.h"
#include "lims/db/database.h"

namespace lims::services {

// A patient's consent: every event and the state they add up to on `as_of`.

struct PatientConsentView {
  Patient patient;
  absl::CivilDay as_of;
  std::vector<ConsentEvent> history;
  ConsentState state;
  int tubes_taken_off_requests = 0;  // by a withdrawal (consent_effects.h)
};

// The call's day (UTC).
absl::CivilDay Today(const CallContext& call);

struct ConsentForm {
  int64_t patient_id = 0;
  std::set<ConsentScope> scopes;
  absl::CivilDay signed_on;
  std::string version;
};
// INVALID_ARGUMENT for no scopes, a missing version or a date in the future.
absl::StatusOr<PatientConsentView> AddConsentRecord(db::Tx& tx, const CallContext& call,
                                                    const ConsentForm& request);

struct ConsentWithdrawal {
  int64_t patient_id = 0;
  std::set<ConsentScope> scopes;
  absl::CivilDay withdrawn_on;
  std::string reason;
};
// `scopes` empty: every scope granted on withdrawn_on. INVALID_ARGUMENT without a reason or for
// a date in the future; FAILED_PRECONDITION for a scope not granted on that day. Takes effect at
// once: the patient's tubes held by requests needing a withdrawn scope are taken off them.
absl::StatusOr<PatientConsentView> WithdrawConsentScopes(db::Tx& tx, const CallContext& call,
                                                         const ConsentWithdrawal& request);

struct ConsentQuery {
  int64_t patient_id = 0;
  absl::CivilDay as_of;
};
// The state on `as_of` (any day, past or future) with the whole history.
absl::StatusOr<PatientConsentView> LookUpConsent(db::Tx& tx, const CallContext& call,
                                                 const ConsentQuery& request);

}  // namespace lims::services

#endif  // LIMS_SERVICES_REGISTRY_CONSENT_OPERATIONS_H_
