// The tube a call names, refused unless the caller works at its site: the check every handler of
// a tube needs, written once.
#ifndef LIMS_SERVICES_COMMON_SAMPLE_ACCESS_H_
#define LIMS_SERVICES_COMMON_SAMPLE_ACCESS_H_

#include <string>

#include "absl/status/statusor.h"
#include "call_context.h"
#include "lims/core/domain.h"
#include "lims/db/database.h"

namespace lims::services {

// NOT_FOUND for an unknown barcode; PERMISSION_DENIED naming the tube when it is another site's.
absl::StatusOr<Sample> FindSampleForCaller(db::Tx& tx, const CallContext& call,
                                           const std::string& barcode);

}  // namespace lims::services

#endif  // LIMS_SERVICES_COMMON_SAMPLE_ACCESS_H_
