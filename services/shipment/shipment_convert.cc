#include "shipment_convert.h"

#include "convert.h"

namespace lims::services {

std::optional<Packaging> PackagingFromProto(v1::Packaging p) {
  switch (p) {
    case v1::PACKAGING_DRY_ICE: return Packaging::kDryIce;
    case v1::PACKAGING_LN2_DRY_SHIPPER: return Packaging::kLn2DryShipper;
    case v1::PACKAGING_COLD_PACKS: return Packaging::kColdPacks;
    case v1::PACKAGING_AMBIENT: return Packaging::kAmbient;
    default: return std::nullopt;
  }
}

v1::Packaging PackagingProto(Packaging p) {
  switch (p) {
    case Packaging::kDryIce: return v1::PACKAGING_DRY_ICE;
    case Packaging::kLn2DryShipper: return v1::PACKAGING_LN2_DRY_SHIPPER;
    case Packaging::kColdPacks: return v1::PACKAGING_COLD_PACKS;
    case Packaging::kAmbient: return v1::PACKAGING_AMBIENT;
  }
  return v1::PACKAGING_UNSPECIFIED;
}

v1::ShipmentStatus StatusProto(ShipmentStatus s) {
  switch (s) {
    case ShipmentStatus::kDraft: return v1::SHIPMENT_STATUS_DRAFT;
    case ShipmentStatus::kDispatched: return v1::SHIPMENT_STATUS_DISPATCHED;
    case ShipmentStatus::kInTransit: return v1::SHIPMENT_STATUS_IN_TRANSIT;
    case ShipmentStatus::kPartlyReceived: return v1::SHIPMENT_STATUS_PARTLY_RECEIVED;
    case ShipmentStatus::kReceived: return v1::SHIPMENT_STATUS_RECEIVED;
    case ShipmentStatus::kClosed: return v1::SHIPMENT_STATUS_CLOSED;
  }
  return v1::SHIPMENT_STATUS_UNSPECIFIED;
}

v1::Shipment ShipmentProto(const Shipment& s) {
  v1::Shipment out;
  out.set_id(std::to_string(s.id));
  out.set_status(StatusProto(s.status));
  out.set_direction(s.direction == ShipmentDirection::kIncoming ? v1::SHIPMENT_DIRECTION_INCOMING
                                                                : v1::SHIPMENT_DIRECTION_OUTGOING);
  out.set_from_site_code(s.from_site_code);
  out.set_destination(s.destination);
  out.set_packaging(PackagingProto(s.packaging));
  out.set_courier(s.courier);
  out.set_tracking_number(s.tracking_number);
  out.set_logger_id(s.logger_id);
  out.set_notes(s.notes);
  out.set_item_count(s.item_count);
  *out.mutable_created_at() = ToProto(s.created_at);
  if (s.dispatched_at) *out.mutable_dispatched_at() = ToProto(*s.dispatched_at);
  if (s.direction == ShipmentDirection::kIncoming) out.set_receiving_site_code(s.site_code);
  out.set_manifest_digest(s.manifest_digest);
  if (s.sample_request_id != 0) out.set_sample_request_id(std::to_string(s.sample_request_id));
  return out;
}

}  // namespace lims::services
