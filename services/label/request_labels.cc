#include "request_labels.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "lims/core/access.h"
#include "lims/core/sample_lifecycle.h"
#include "lims/core/sample_request_status.h"
#include "lims/core/sample_types.h"
#include "lims/db/requests.h"
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
  for (const db::RequestedTube& t : tubes) {
    // A request picked at several sites is labelled at each; a dispatched tube has left.
    if (!CanAccessSite(call.principal, t.site_id) || t.status != SampleStatus::kCheckedOut) {
      continue;
    }
    out.push_back({t.sample_code, t.sample_id, 0,
                   {{"request_code", t.sample_code},
                    {"patient_code", t.patient_code},
                    {"request", r.code},
                    {"protocol_code", t.protocol_code},
                    {"timepoint_code", t.timepoint_code},
                    {"sample_type", t.sample_type},
                    {"sample_type_name", SampleTypeName(t.sample_type)},
                    {"quantity", t.quantity.ToShortString()}},
                   t.barcode});
  }
  if (out.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no tube of request ", r.code, " is in hand at your sites (picked and not dispatched)"));
  }
  return out;
}

absl::StatusOr<LabelSubject> LoadRequestLabelSubject(db::Tx& tx, const CallContext& call,
                                                     const std::string& request_code) {
  // "R" + the request's id + "-S" + the tube's number (RequestRepository::Insert, approval).
  const size_t dash = request_code.find("-S");
  int64_t request_id = 0;
  if (request_code.size() < 5 || request_code[0] != 'R' || dash == std::string::npos ||
      dash < 2 || dash > 19 || !absl::SimpleAtoi(request_code.substr(1, dash - 1), &request_id) ||
      request_id <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "request_code '", request_code, "' is not a request tube's code like R0007-S012"));
  }
  LIMS_ASSIGN_OR_RETURN(auto subjects, LoadRequestLabelSubjects(tx, call, request_id));
  for (LabelSubject& s : subjects) {
    if (s.subject == request_code) return std::move(s);
  }
  return absl::NotFoundError(absl::StrCat("request ", subjects.front().values["request"],
                                          " has no tube ", request_code,
                                          " in hand at your sites"));
}

}  // namespace lims::services
