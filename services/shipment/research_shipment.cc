#include "research_shipment.h"

#include <map>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lims/db/requests.h"
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

}  // namespace

absl::Status CheckShipmentTubes(db::Tx& tx, const Shipment& shipment,
                                const std::vector<Sample>& samples) {
  if (shipment.sample_request_id != 0) {
    LIMS_ASSIGN_OR_RETURN(RequestTubes tubes, LoadRequestTubes(tx, shipment.sample_request_id));
    return RefuseStrangers(shipment, tubes, samples);
  }
  std::vector<int64_t> ids;
  for (const Sample& s : samples) ids.push_back(s.id);
  LIMS_ASSIGN_OR_RETURN(auto held, db::RequestRepository(tx).OpenRequestsHolding(ids));
  std::vector<std::string> refused;
  for (const Sample& s : samples) {
    if (auto it = held.find(s.id); it != held.end()) {
      refused.push_back(absl::StrCat(s.barcode, " is held by request ", it->second));
    }
  }
  if (refused.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "shipment ", shipment.id, " cannot carry ", absl::StrJoin(refused, ", "),
      ": a request's tubes leave under its request codes (lims request ship)"));
}

absl::StatusOr<json> BuildResearchManifest(db::Tx& tx, const CallContext& call,
                                           const Shipment& shipment,
                                           const std::vector<ShipmentItem>& items,
                                           const std::vector<Sample>& samples) {
  LIMS_ASSIGN_OR_RETURN(RequestTubes tubes, LoadRequestTubes(tx, shipment.sample_request_id));
  LIMS_RETURN_IF_ERROR(RefuseStrangers(shipment, tubes, samples));
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
