// A picked request onto shipments: one draft outgoing shipment per site its tubes were picked
// at, tied to the request, so that dispatching it (ShipmentService) writes a researcher's
// manifest with request codes only (services/shipment/research_shipment.h).
#ifndef LIMS_SERVICES_REQUEST_REQUEST_SHIPPING_H_
#define LIMS_SERVICES_REQUEST_REQUEST_SHIPPING_H_

#include <vector>

#include "absl/status/statusor.h"
#include "call_context.h"
#include "lims/core/shipment.h"
#include "lims/db/database.h"
#include "lims/db/requests.h"
#include "shipment_operations.h"

namespace lims::services {

struct ShippedRequest {
  db::SampleRequestRecord request;
  std::vector<Shipment> shipments;
};

// `shipment` gives destination, packaging and tracking (its site and request are set here).
// FAILED_PRECONDITION unless every tube is picked, or when the request is on shipments
// already; PERMISSION_DENIED (nothing created) when the caller does not work at one of the
// sites; the shipment's own INVALID_ARGUMENT for a missing destination or packaging.
absl::StatusOr<ShippedRequest> PackRequestForShipping(db::Tx& tx, const CallContext& call,
                                                      int64_t id, NewShipment shipment);

// Sets the request's shipment ids, and SHIPPED for a PACKED request whose shipments all left.
absl::Status ReadShipments(db::Tx& tx, db::SampleRequestRecord& request);

}  // namespace lims::services

#endif  // LIMS_SERVICES_REQUEST_REQUEST_SHIPPING_H_
