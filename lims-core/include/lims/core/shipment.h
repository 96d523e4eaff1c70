// Shipments of tubes between centres, as the domain sees them: what a shipment is, the states it
// goes through and the rules for each step (pure: the services load, apply, save).
//   outgoing: DRAFT --add items--> DRAFT --dispatch--> DISPATCHED --close--> CLOSED
//   incoming: (import) IN_TRANSIT --receive--> PARTLY_RECEIVED / RECEIVED --close--> CLOSED
#ifndef LIMS_CORE_SHIPMENT_H_
#define LIMS_CORE_SHIPMENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "lims/core/quantity.h"

namespace lims {

enum class Packaging { kDryIce, kLn2DryShipper, kColdPacks, kAmbient };
enum class ShipmentStatus { kDraft, kDispatched, kInTransit, kPartlyReceived, kReceived, kClosed };
enum class ShipmentDirection { kOutgoing, kIncoming };
enum class ItemCondition { kOk, kThawed, kDamaged };
enum class ItemState { kExpected, kReceived, kUnexpected };

// Stable spellings, stored in the database and written in manifests: "DRY_ICE",
// "LN2_DRY_SHIPPER", "COLD_PACKS", "AMBIENT"; "DRAFT", ...; "OK", "THAWED", "DAMAGED";
// "expected", "received", "unexpected".
std::string_view PackagingName(Packaging p);
std::optional<Packaging> ParsePackaging(std::string_view name);
std::string_view ShipmentStatusName(ShipmentStatus s);
std::optional<ShipmentStatus> ParseShipmentStatus(std::string_view name);
std::string_view ItemConditionName(ItemCondition c);
std::optional<ItemCondition> ParseItemCondition(std::string_view name);
std::string_view ItemStateName(ItemState s);
std::optional<ItemState> ParseItemState(std::string_view name);

struct Shipment {
  int64_t id = 0;
  ShipmentDirection direction = ShipmentDirection::kOutgoing;
  ShipmentStatus status = ShipmentStatus::kDraft;
  // Outgoing: the origin site; incoming: the receiving site (both of this installation).
  int64_t site_id = 0;
  std::string site_code;
  std::string from_site_code;  // the origin's code (for incoming: as the manifest says)
  std::string destination;
  Packaging packaging = Packaging::kDryIce;
  std::string courier, tracking_number, logger_id, notes;
  std::string manifest_digest;
  std::string created_by;
  absl::Time created_at;
  std::optional<absl::Time> dispatched_at;
  int item_count = 0;
  int64_t version = 0;
  // The researcher's request it carries (0: none): its manifest names tubes by request code.
  int64_t sample_request_id = 0;
};

struct ShipmentItem {
  int64_t id = 0;
  int64_t shipment_id = 0;
  int64_t sample_id = 0;  // 0 for an unexpected code
  std::string barcode;
  std::string sample_type;
  Quantity quantity;
  std::string packed_box, packed_position;
  ItemState state = ItemState::kExpected;
  std::optional<ItemCondition> condition;
  std::string resolution;
};

// FAILED_PRECONDITION, saying what to do, unless tubes may be added (a draft).
absl::Status CheckCanAddItems(const Shipment& shipment);
// A draft with at least one tube.
absl::Status CheckCanDispatch(const Shipment& shipment);
// An incoming shipment not closed yet.
absl::Status CheckCanReceive(const Shipment& shipment);

// After a receipt: RECEIVED once every expected tube is in, else PARTLY_RECEIVED.
ShipmentStatus StatusAfterReceipt(const std::vector<ShipmentItem>& items);

// Missing (expected, not received), unexpected, thawed or damaged.
bool IsDiscrepancy(const ShipmentItem& item);

// FAILED_PRECONDITION listing the tubes whose discrepancy has no resolution yet, or when the
// shipment is a draft or already closed.
absl::Status CheckCanClose(const Shipment& shipment, const std::vector<ShipmentItem>& items);

}  // namespace lims

#endif  // LIMS_CORE_SHIPMENT_H_
