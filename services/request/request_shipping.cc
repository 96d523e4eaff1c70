#include "request_shipping.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "audit.h"
#include "lims/db/samples.h"
#include "lims/db/shipments.h"
#include "lims/core/sample_request_status.h"
#include "status_macros.h"

namespace lims::services {
namespace {

std::string ShipmentIds(const std::vector<Shipment>& shipments) {
  std::vector<int64_t> ids;
  for (const Shipment& s : shipments) ids.push_back(s.id);
  return absl::StrJoin(ids, ", ");
}

}  // namespace

absl::StatusOr<ShippedRequest> ShipRequest(db::Tx& tx, const CallContext& call, int64_t id,
                                           NewShipment shipment) {
  db::RequestRepository requests(tx);
  LIMS_ASSIGN_OR_RETURN(db::SampleRequestRecord r, requests.FindById(id));
  if (r.status == kRequestPacked) {
    LIMS_ASSIGN_OR_RETURN(auto already, db::ShipmentRepository(tx).ListForRequest(id));
    LIMS_RETURN_IF_ERROR(ReadShipments(tx, r));
    return absl::FailedPreconditionError(absl::StrCat(
        "request ", r.code, " is on shipment ", ShipmentIds(already), " already",
        r.status == kRequestShipped ? ", which has left" : "; dispatch it there (lims ship dispatch)"));
  }
  if (r.status != kRequestPicked) {
    return absl::FailedPreconditionError(absl::StrCat(
        "request ", r.code, " is ", r.status, " (", r.picked_count, " of ", r.reserved_count,
        " tubes picked): only a request whose every tube is picked is shipped"));
  }
  LIMS_ASSIGN_OR_RETURN(auto tubes, requests.Tubes(id));
  // By the site each tube was picked at: a shipment leaves from one site.
  std::map<std::string, std::vector<std::string>> by_site;
  db::SampleRepository samples(tx);
  for (const db::RequestedTube& t : tubes) {
    LIMS_ASSIGN_OR_RETURN(Sample s, samples.FindByBarcode(t.barcode));
    by_site[s.site_code].push_back(s.barcode);
  }
  ShippedRequest out;
  shipment.sample_request_id = r.id;
  for (const auto& [site, barcodes] : by_site) {
    shipment.from_site_code = site;
    LIMS_ASSIGN_OR_RETURN(Shipment created, CreateShipment(tx, call, shipment));
    // Nothing of this call stays: the draft is rolled back with the refusal.
    if (auto added = AddShipmentItems(tx, call, created.id, barcodes, {}); !added.ok()) {
      return absl::Status(added.status().code(),
                          absl::StrCat("request ", r.code, " cannot be shipped: ",
                                       added.status().message()));
    }
    LIMS_ASSIGN_OR_RETURN(Shipment packed, LoadShipment(tx, call, created.id));
    out.shipments.push_back(std::move(packed));
  }
  r.status = kRequestPacked;
  LIMS_RETURN_IF_ERROR(requests.Update(r));
  LIMS_RETURN_IF_ERROR(Audit(tx, call, {"request.packed", "sample_request", r.code,
                                        absl::StrCat(tubes.size(), " tubes on shipment ",
                                                     ShipmentIds(out.shipments), " to ",
                                                     shipment.destination),
                                        "", "", ""}));
  LIMS_RETURN_IF_ERROR(ReadShipments(tx, r));
  out.request = std::move(r);
  return out;
}

absl::Status ReadShipments(db::Tx& tx, db::SampleRequestRecord& request) {
  if (request.status != kRequestPacked) return absl::OkStatus();
  LIMS_ASSIGN_OR_RETURN(auto shipments, db::ShipmentRepository(tx).ListForRequest(request.id));
  bool all_left = !shipments.empty();
  request.shipment_ids.clear();
  for (const Shipment& s : shipments) {
    request.shipment_ids.push_back(s.id);
    if (s.status == ShipmentStatus::kDraft) all_left = false;
  }
  if (all_left) request.status = kRequestShipped;
  return absl::OkStatus();
}

}  // namespace lims::services
