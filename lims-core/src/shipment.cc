#include "lims/core/shipment.h"

#include <array>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace lims {
namespace {

template <typename E, size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& names, E value) {
  for (const auto& [v, name] : names) {
    if (v == value) return name;
  }
  return "?";
}

template <typename E, size_t N>
std::optional<E> Parse(const std::array<std::pair<E, std::string_view>, N>& names,
                       std::string_view text) {
  for (const auto& [v, name] : names) {
    if (name == text) return v;
  }
  return std::nullopt;
}

constexpr std::array<std::pair<Packaging, std::string_view>, 4> kPackaging = {{
    {Packaging::kDryIce, "DRY_ICE"},
    {Packaging::kLn2DryShipper, "LN2_DRY_SHIPPER"},
    {Packaging::kColdPacks, "COLD_PACKS"},
    {Packaging::kAmbient, "AMBIENT"},
}};
constexpr std::array<std::pair<ShipmentStatus, std::string_view>, 6> kStatuses = {{
    {ShipmentStatus::kDraft, "DRAFT"},
    {ShipmentStatus::kDispatched, "DISPATCHED"},
    {ShipmentStatus::kInTransit, "IN_TRANSIT"},
    {ShipmentStatus::kPartlyReceived, "PARTLY_RECEIVED"},
    {ShipmentStatus::kReceived, "RECEIVED"},
    {ShipmentStatus::kClosed, "CLOSED"},
}};
constexpr std::array<std::pair<ItemCondition, std::string_view>, 3> kConditions = {{
    {ItemCondition::kOk, "OK"},
    {ItemCondition::kThawed, "THAWED"},
    {ItemCondition::kDamaged, "DAMAGED"},
}};
constexpr std::array<std::pair<ItemState, std::string_view>, 3> kStates = {{
    {ItemState::kExpected, "expected"},
    {ItemState::kReceived, "received"},
    {ItemState::kUnexpected, "unexpected"},
}};

std::string Describe(const Shipment& s) {
  return absl::StrCat("shipment ", s.id, " is ", std::string(ShipmentStatusName(s.status)));
}

}  // namespace

std::string_view PackagingName(Packaging p) { return NameOf(kPackaging, p); }
std::optional<Packaging> ParsePackaging(std::string_view n) { return Parse(kPackaging, n); }
std::string_view ShipmentStatusName(ShipmentStatus s) { return NameOf(kStatuses, s); }
std::optional<ShipmentStatus> ParseShipmentStatus(std::string_view n) { return Parse(kStatuses, n); }
std::string_view ItemConditionName(ItemCondition c) { return NameOf(kConditions, c); }
std::optional<ItemCondition> ParseItemCondition(std::string_view n) { return Parse(kConditions, n); }
std::string_view ItemStateName(ItemState s) { return NameOf(kStates, s); }
std::optional<ItemState> ParseItemState(std::string_view n) { return Parse(kStates, n); }

absl::Status CheckCanAddItems(const Shipment& shipment) {
  if (shipment.direction == ShipmentDirection::kOutgoing &&
      shipment.status == ShipmentStatus::kDraft) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(absl::StrCat(
      Describe(shipment), ": its manifest is frozen; tubes go onto a new draft shipment"));
}

absl::Status CheckCanDispatch(const Shipment& shipment) {
  if (shipment.direction != ShipmentDirection::kOutgoing ||
      shipment.status != ShipmentStatus::kDraft) {
    return absl::FailedPreconditionError(
        absl::StrCat(Describe(shipment), ": only a draft outgoing shipment can be dispatched"));
  }
  if (shipment.item_count == 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "shipment ", shipment.id, " has no tubes; add them before dispatching"));
  }
  return absl::OkStatus();
}

absl::Status CheckCanReceive(const Shipment& shipment) {
  if (shipment.direction == ShipmentDirection::kIncoming &&
      shipment.status != ShipmentStatus::kClosed) {
    return absl::OkStatus();
  }
  if (shipment.direction == ShipmentDirection::kOutgoing) {
    return absl::FailedPreconditionError(absl::StrCat(
        "shipment ", shipment.id, " is outgoing: tubes are received on the installation that "
        "imported its manifest"));
  }
  return absl::FailedPreconditionError(absl::StrCat(Describe(shipment), ": nothing more can be received"));
}

ShipmentStatus StatusAfterReceipt(const std::vector<ShipmentItem>& items) {
  for (const ShipmentItem& item : items) {
    if (item.state == ItemState::kExpected) return ShipmentStatus::kPartlyReceived;
  }
  return ShipmentStatus::kReceived;
}

bool IsDiscrepancy(const ShipmentItem& item) {
  return item.state != ItemState::kReceived || item.condition == ItemCondition::kThawed ||
         item.condition == ItemCondition::kDamaged;
}

absl::Status CheckCanClose(const Shipment& shipment, const std::vector<ShipmentItem>& items) {
  if (shipment.status == ShipmentStatus::kDraft || shipment.status == ShipmentStatus::kClosed) {
    return absl::FailedPreconditionError(
        absl::StrCat(Describe(shipment), ": only a dispatched or received shipment is closed"));
  }
  if (shipment.direction == ShipmentDirection::kOutgoing) return absl::OkStatus();
  std::vector<std::string> open;
  for (const ShipmentItem& item : items) {
    if (!IsDiscrepancy(item) || !item.resolution.empty()) continue;
    const char* what = item.state == ItemState::kExpected     ? "missing"
                       : item.state == ItemState::kUnexpected ? "unexpected"
                       : item.condition == ItemCondition::kThawed ? "thawed"
                                                                  : "damaged";
    open.push_back(absl::StrCat(item.barcode, " (", what, ")"));
  }
  if (open.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "shipment ", shipment.id, " has ", open.size(), " unresolved discrepanc",
      open.size() == 1 ? "y" : "ies", ": ", absl::StrJoin(open, ", "),
      "; resolve each with a reason (lims ship resolve) before closing"));
}

}  // namespace lims
