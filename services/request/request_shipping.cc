#include "request_shipping.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "audit.h"
#include "lims/core/sample_request_status.h"
#include "lims/db/shipments.h"
#include "status_macros.h"

namespace lims::services {
absl::StatusOr<ShippedRequest> PackRequestForShipping(db::Tx& tx, const CallContext& call,
                                                      int64_t id, NewShipment shipment) {
  db::RequestRepository requests(tx);
  LIMS_ASSIGN_OR_RETURN(db::SampleRequestRecord r, requests.FindById(id));
  if (r.status == kRequestPacked) {
    LIMS_RETURN_IF_ERROR(ReadShipments(tx, r));
    return absl::FailedPreconditionError(absl::StrCat(
        "request ", r.code, " is on shipment ", absl::StrJoin(r.shipment_ids, ", "), " already",
        r.status == kRequestShipped ? ", which has left" : "; dispatch it there (lims ship dispatch)"));
  }
  if (r.status != kRequestPicked) {
    return absl::FailedPreconditionError(absl::StrCat(
        "request ", r.code, " is ", r.status, " (", r.picked_count, " of ", r.reserved_count,
        " tubes picked): only a request whose every tube is picked is shipped"));
  }
  LIMS_ASSIGN_OR_RETURN(auto all, requests.Tubes(id));
  std::vector<db::RequestedTube> tubes;
  for (db::RequestedTube& t : all) {
    if (!t.withdrawn) tubes.push_back(std::move(t));
  }
  // A tube picked just before its patient withdrew consent is refused by AddShipmentItems.
  // By the site each tube was picked at: a shipment leaves from one site.
  std::map<std::string, std::vector<std::string>> by_site;
  for (const db::RequestedTube& t : tubes) by_site[t.site_code].push_back(t.barcode);
  ShippedRequest out;
  shipment.sample_request_id = r.id;
  for (const auto& [site, barcodes] : by_site) {
    shipment.from_site_code = site;
    LIMS_ASSIGN_OR_RETURN(Shipment created, OpenShipment(tx, call, shipment));
    // Nothing of this call stays: the draft is rolled back with the refusal.
    if (auto added = PackTubes(tx, call, {created.id, barcodes, {}}); !added.ok()) {
      return absl::Status(added.status().code(),
                          absl::StrCat("request ", r.code, " cannot be shipped: ",
                                       added.status().message()));
    }
    LIMS_ASSIGN_OR_RETURN(Shipment packed, LoadShipment(tx, call, created.id));
    r.shipment_ids.push_back(packed.id);
    out.shipments.push_back(std::move(packed));
  }
  r.status = kRequestPacked;
  LIMS_RETURN_IF_ERROR(requests.Update(r));
  LIMS_RETURN_IF_ERROR(Audit(tx, call,
                             AuditEntry("request.packed", "sample_request", r.code)
                                 .Details(absl::StrCat(tubes.size(), " tubes on shipment ",
                                                       absl::StrJoin(r.shipment_ids, ", "), " to ",
                                                       shipment.destination))));
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
