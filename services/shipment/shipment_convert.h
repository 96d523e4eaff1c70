// Shipments between the domain and the wire, for ShipmentService and for RequestService (which
// answers with the shipments a request leaves on).
#ifndef LIMS_SERVICES_SHIPMENT_SHIPMENT_CONVERT_H_
#define LIMS_SERVICES_SHIPMENT_SHIPMENT_CONVERT_H_

#include <optional>

#include "lims/core/shipment.h"
#include "lims/v1/shipment.pb.h"

namespace lims::services {

// nullopt for PACKAGING_UNSPECIFIED (the caller says packaging is required).
std::optional<Packaging> PackagingFromProto(v1::Packaging p);
v1::Packaging PackagingProto(Packaging p);
v1::ShipmentStatus StatusProto(ShipmentStatus s);
v1::Shipment ShipmentProto(const Shipment& s);

}  // namespace lims::services

#endif  // LIMS_SERVICES_SHIPMENT_SHIPMENT_CONVERT_H_
