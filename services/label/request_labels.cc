#include "request_labels.h"

#include "absl/strings/str_cat.h"
#include "lims/core/sample_request_status.h"
#include "lims/core/sample_types.h"
#include "lims/db/requests.h"
#include "lims/db/samples.h"
#include "status_macros.h"

namespace lims::services {

absl::StatusOr<std::vector<LabelSubject>> LoadRequestLabelSubjects(db::Tx& tx,
                                                                   const CallContext& call,
                                                                   int64_t sample_request_id) {
  db::RequestRepository requests(tx);
  LIMS_ASSIGN_OR_RETURN(db::SampleRequestRecord r, requests.FindById(sample_request_id));
  if (r.status != kRequestPicked && r.status != kRequestPacked) {
    return absl::FailedPreconditionError(absl::StrCat(
        "request ", r.code, " is ", r.status,
        ": its labels go on the tubes once every one is picked and before they leave"));
  }
  LIMS_ASSIGN_OR_RETURN(auto tubes, requests.Tubes(sample_request_id));
  std::vector<LabelSubject> out;
  db::SampleRepository samples(tx);
  for (const db::RequestedTube& t : tubes) {
    LIMS_ASSIGN_OR_RETURN(Sample sample, samples.FindByBarcode(t.barcode));
    LIMS_RETURN_IF_ERROR(RequireSite(call.principal, sample.site_id, "request " + r.code + "'s tubes"));
    out.push_back({t.sample_code, sample.id, 0,
                   {{"request_code", t.sample_code},
                    {"patient_code", t.patient_code},
                    {"request", r.code},
                    {"protocol_code", t.protocol_code},
                    {"timepoint_code", t.timepoint_code},
                    {"sample_type", t.sample_type},
                    {"sample_type_name", SampleTypeName(t.sample_type)},
                    {"quantity", t.quantity.ToShortString()}},
                   sample.barcode});
  }
  return out;
}

}  // namespace lims::services
