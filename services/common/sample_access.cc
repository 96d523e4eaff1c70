#include "sample_access.h"

#include "lims/core/access.h"
#include "lims/db/samples.h"
#include "status_macros.h"

namespace lims::services {

absl::StatusOr<Sample> FindSampleForCaller(db::Tx& tx, const CallContext& call,
                                           const std::string& barcode) {
  LIMS_ASSIGN_OR_RETURN(Sample sample, db::SampleRepository(tx).FindByBarcode(barcode));
  LIMS_RETURN_IF_ERROR(RequireSite(call.principal, sample.site_id, "sample " + sample.barcode));
  return sample;
}

}  // namespace lims::services
