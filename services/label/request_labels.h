// Labels for a researcher's tubes: each picked tube of a request, filled with the codes minted
// for the request (lims/db/requests.h) and nothing that links it back to a barcode, a patient's
// registry id or a date, so the label stuck over the tube's own travels with the pseudonyms
// only.
#ifndef LIMS_SERVICES_LABEL_REQUEST_LABELS_H_
#define LIMS_SERVICES_LABEL_REQUEST_LABELS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "call_context.h"
#include "label_operations.h"
#include "lims/db/database.h"

namespace lims::services {

inline constexpr char kResearchTubeTemplate[] = "research-tube";

// One subject per tube of the request in hand at the caller's sites (picked, checked out, not
// dispatched), in request-code order: subject = the request code, sample_id = the tube (the
// ledger counts it as one more label of that tube). FAILED_PRECONDITION unless the request is
// picked, or when none of its tubes is in hand at the caller's sites.
absl::StatusOr<std::vector<LabelSubject>> LoadRequestLabelSubjects(db::Tx& tx,
                                                                   const CallContext& call,
                                                                   int64_t sample_request_id);

// The one tube of `request_code` ("R0007-S012"): INVALID_ARGUMENT for a text that is not such a
// code, NOT_FOUND for a code the request does not have, and LoadRequestLabelSubjects' rules.
absl::StatusOr<LabelSubject> LoadRequestLabelSubject(db::Tx& tx, const CallContext& call,
                                                     const std::string& request_code);

}  // namespace lims::services

#endif  // LIMS_SERVICES_LABEL_REQUEST_LABELS_H_
