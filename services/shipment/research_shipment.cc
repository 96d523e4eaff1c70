#include "research_shipment.h"

#include <map>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "criteria_json.h"
#include "lims/core/consent.h"
#include "lims/core/request_selection.h"
#include "lims/db/consents.h"
#include "lims/db/enrollments.h"
#include "lims/db/patients.h"
#include "lims/db/requests.h"
#include "lims/db/samples.h"
#include "lims/db/sites.h"
#include "dispatch_json.h"
#include "manifest.h"
#include "status_macros.h"

namespace lims::services {
namespace {

using nlohmann::json;

// A request with its tubes by sample id, read once per call.
struct RequestTubes {
  db::SampleRequestRecord request;
  std::unordered_map<int64_t, db::RequestedTube> by_sample;
};

absl::StatusOr<RequestTubes> LoadRequestTubes(db::Tx& tx, int64_t request_id) {
  RequestTubes out;
  LIMS_ASSIGN_OR_RETURN(out.request, db::RequestRepository(tx).FindById(request_id));
  LIMS_ASSIGN_OR_RETURN(auto tubes, db::RequestRepository(tx).Tubes(request_id));
  for (db::RequestedTube& t : tubes) out.by_sample.emplace(t.sample_id, std::move(t));
  return out;
}

// FAILED_PRECONDITION naming each of `samples` that is not a picked tube of the request.
absl::Status RefuseStrangers(const Shipment& shipment, const RequestTubes& tubes,
                             const std::vector<Sample>& samples) {
  std::vector<std::string> strangers;
  for (const Sample& s : samples) {
    auto tube = tubes.by_sample.find(s.id);
    if (tube == tubes.by_sample.end() || !tube->second.picked) strangers.push_back(s.barcode);
  }
  if (strangers.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "shipment ", shipment.id, " carries request ", tubes.request.code, " only, and ",
      absl::StrJoin(strangers, ", "),
      " is not a picked tube of it; put it on a shipment of its own (lims ship create)"));
}

// FAILED_PRECONDITION naming each of `samples` whose patient does not consent to the journey:
// `needed` not all granted (a request's scopes), or else storage or research withdrawn.
absl::Status RefuseWithoutConsent(db::Tx& tx, const CallContext& call, const Shipment& shipment,
                                  const std::vector<Sample>& samples,
                                  const std::vector<ConsentScope>& needed) {
  std::map<int64_t, int64_t> patient_of_enrollment;
  std::vector<int64_t> patients;
  for (const Sample& s : samples) {
    if (patient_of_enrollment.count(s.enrollment_id)) continue;
    LIMS_ASSIGN_OR_RETURN(Enrollment e, db::EnrollmentRepository(tx).FindById(s.enrollment_id));
    patient_of_enrollment[s.enrollment_id] = e.patient_id;
    patients.push_back(e.patient_id);
  }
  LIMS_RETURN_IF_ERROR(db::PatientRepository(tx).Lock(patients, /*exclusive=*/false));
  LIMS_ASSIGN_OR_RETURN(auto events,
                        db::ConsentRepository(tx).ListForPatients(patients, /*newest=*/true));
  const absl::CivilDay today = absl::ToCivilDay(call.now, absl::UTCTimeZone());
  std::vector<std::string> refused;
  for (const Sample& s : samples) {
    const ConsentState state = CurrentConsent(events[patient_of_enrollment[s.enrollment_id]], today);
    const bool allowed = needed.empty() ? state.MayCirculate() : state.CoversAll(needed);
    if (!allowed) refused.push_back(s.barcode);
  }
  if (refused.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "shipment ", shipment.id, " cannot carry ", absl::StrJoin(refused, ", "),
      ": the patient withdrew consent ",
      needed.empty() ? "to storage or research" : "the request needs",
      "; those tubes stay here (return them to storage)"));
}

}  // namespace

absl::Status CheckShipmentTubes(db::Tx& tx, const CallContext& call, const Shipment& shipment,
                                const std::vector<Sample>& samples) {
  if (shipment.sample_request_id != 0) {
    LIMS_ASSIGN_OR_RETURN(RequestTubes tubes, LoadRequestTubes(tx, shipment.sample_request_id));
    LIMS_RETURN_IF_ERROR(RefuseStrangers(shipment, tubes, samples));
    LIMS_ASSIGN_OR_RETURN(RequestCriteria criteria, CriteriaFromJson(tubes.request.criteria_json));
    return RefuseWithoutConsent(tx, call, shipment, samples, RequiredScopes(criteria));
  }
  std::vector<int64_t> ids;
  for (const Sample& s : samples) ids.push_back(s.id);
  // The tubes locked first, then their holds read newest: an approval reserving one of them a
  // moment ago is seen, one under way waits for this call (it then finds the tube shipped).
  LIMS_RETURN_IF_ERROR(db::SampleRepository(tx).Lock(ids));
  LIMS_ASSIGN_OR_RETURN(auto held, db::RequestRepository(tx).OpenRequestsHolding(ids, true));
  std::vector<std::string> refused;
  for (const Sample& s : samples) {
    if (auto it = held.find(s.id); it != held.end()) {
      refused.push_back(absl::StrCat(s.barcode, " is held by request ", it->second));
    }
  }
  if (!refused.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "shipment ", shipment.id, " cannot carry ", absl::StrJoin(refused, ", "),
        ": a request's tubes leave under its request codes (lims request ship)"));
  }
  return RefuseWithoutConsent(tx, call, shipment, samples, {});
}

absl::StatusOr<json> BuildResearchManifest(db::Tx& tx, const CallContext& call,
                                           const Shipment& shipment,
                                           const std::vector<ShipmentItem>& items,
                                           const std::vector<Sample>& samples) {
  LIMS_RETURN_IF_ERROR(CheckShipmentTubes(tx, call, shipment, samples));
  LIMS_ASSIGN_OR_RETURN(RequestTubes tubes, LoadRequestTubes(tx, shipment.sample_request_id));
  const db::SampleRequestRecord& request = tubes.request;
  LIMS_ASSIGN_OR_RETURN(Site origin, db::SiteRepository(tx).FindById(shipment.site_id));
  // In request-code order: the order the tubes were packed in says nothing then.
  std::map<std::string, json> by_code;
  for (size_t i = 0; i < items.size(); ++i) {
    const Sample& s = samples[i];
    const db::RequestedTube& t = tubes.by_sample.at(s.id);
    by_code[t.sample_code] = {
        {"request_code", t.sample_code},
        {"patient_code", t.patient_code},
        {"protocol_code", t.protocol_code},
        {"timepoint_code", t.timepoint_code},
        {"sample_type", s.sample_type},
        {"quantity", {{"amount", s.quantity.canonical_amount()}, {"unit", s.quantity.canonical_unit()}}},
        {"quantity_text", s.quantity.ToShortString()},
        {"sprec", s.sprec},
        {"freeze_thaw_count", s.freeze_thaw_count}};
  }
  json list = json::array();
  for (auto& [code, tube] : by_code) list.push_back(std::move(tube));
  return json{
      {"format", kResearchManifestFormat},
      {"request", {{"code", request.code},
                   {"title", request.title},
                   {"ethics_reference", request.ethics_reference}}},
      {"origin", {{"site_code", origin.code}, {"site_name", origin.name}, {"shipment_id", shipment.id}}},
      {"shipment", DispatchJson(shipment, call)},
      {"tubes", list}};
}

std::string ResearchManifestCsv(const json& manifest) {
  return ManifestCsv(manifest, {{"request_code", "request_code"},
                                {"patient_code", "patient_code"},
                                {"protocol_code", "protocol_code"},
                                {"timepoint_code", "timepoint_code"},
                                {"sample_type", "sample_type"},
                                {"quantity", "quantity_text"},
                                {"sprec", "sprec"},
                                {"freeze_thaw_count", "freeze_thaw_count"}});
}

}  // namespace lims::services
