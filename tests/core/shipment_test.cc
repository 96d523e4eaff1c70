// The shipment rules: which step each state allows, when a receipt is complete, what counts as a
// discrepancy and that closing waits for every one to be resolved.
#include "lims/core/shipment.h"

#include "gtest/gtest.h"
#include "status_matchers.h"

namespace lims {
namespace {

constexpr absl::StatusCode kPrecondition = absl::StatusCode::kFailedPrecondition;

Shipment Outgoing(ShipmentStatus status, int items) {
  Shipment s;
  s.id = 7;
  s.direction = ShipmentDirection::kOutgoing;
  s.status = status;
  s.item_count = items;
  return s;
}

ShipmentItem Item(const std::string& barcode, ItemState state,
                  std::optional<ItemCondition> condition = std::nullopt) {
  ShipmentItem item;
  item.barcode = barcode;
  item.state = state;
  item.condition = condition;
  return item;
}

TEST(Shipment, NamesRoundTrip) {
  for (Packaging p : {Packaging::kDryIce, Packaging::kLn2DryShipper, Packaging::kColdPacks,
                      Packaging::kAmbient}) {
    EXPECT_EQ(ParsePackaging(PackagingName(p)), p);
  }
  for (ShipmentStatus s : {ShipmentStatus::kDraft, ShipmentStatus::kDispatched,
                           ShipmentStatus::kInTransit, ShipmentStatus::kPartlyReceived,
                           ShipmentStatus::kReceived, ShipmentStatus::kClosed}) {
    EXPECT_EQ(ParseShipmentStatus(ShipmentStatusName(s)), s);
  }
  EXPECT_EQ(ParseItemCondition("THAWED"), ItemCondition::kThawed);
  EXPECT_EQ(ParseItemCondition("thawed"), std::nullopt);
  EXPECT_EQ(ParsePackaging(""), std::nullopt);
}

TEST(Shipment, OnlyADraftTakesTubesAndOnlyANonEmptyDraftIsDispatched) {
  EXPECT_OK(CheckCanAddItems(Outgoing(ShipmentStatus::kDraft, 0)));
  EXPECT_STATUS(CheckCanAddItems(Outgoing(ShipmentStatus::kDispatched, 3)), kPrecondition, "frozen");
  EXPECT_STATUS(CheckCanDispatch(Outgoing(ShipmentStatus::kDraft, 0)), kPrecondition, "no tubes");
  EXPECT_OK(CheckCanDispatch(Outgoing(ShipmentStatus::kDraft, 1)));
  EXPECT_STATUS_CODE(CheckCanDispatch(Outgoing(ShipmentStatus::kDispatched, 1)), kPrecondition);
  Shipment incoming = Outgoing(ShipmentStatus::kInTransit, 2);
  incoming.direction = ShipmentDirection::kIncoming;
  EXPECT_STATUS_CODE(CheckCanAddItems(incoming), kPrecondition);
  EXPECT_OK(CheckCanReceive(incoming));
  EXPECT_STATUS(CheckCanReceive(Outgoing(ShipmentStatus::kDispatched, 2)), kPrecondition,
                "outgoing");
  incoming.status = ShipmentStatus::kClosed;
  EXPECT_STATUS(CheckCanReceive(incoming), kPrecondition, "CLOSED");
}

TEST(Shipment, ReceiptIsCompleteWhenNoTubeIsStillExpected) {
  EXPECT_EQ(StatusAfterReceipt({Item("A", ItemState::kReceived), Item("B", ItemState::kExpected)}),
            ShipmentStatus::kPartlyReceived);
  EXPECT_EQ(StatusAfterReceipt({Item("A", ItemState::kReceived), Item("X", ItemState::kUnexpected)}),
            ShipmentStatus::kReceived);
}

TEST(Shipment, ClosingWaitsForEveryDiscrepancyToBeResolved) {
  Shipment incoming = Outgoing(ShipmentStatus::kPartlyReceived, 4);
  incoming.direction = ShipmentDirection::kIncoming;
  std::vector<ShipmentItem> items = {
      Item("OK1", ItemState::kReceived, ItemCondition::kOk),
      Item("GONE", ItemState::kExpected),
      Item("WARM", ItemState::kReceived, ItemCondition::kThawed),
      Item("BROKEN", ItemState::kReceived, ItemCondition::kDamaged),
      Item("STRAY", ItemState::kUnexpected, ItemCondition::kOk),
  };
  EXPECT_FALSE(IsDiscrepancy(items[0]));
  for (size_t i = 1; i < items.size(); ++i) EXPECT_TRUE(IsDiscrepancy(items[i])) << items[i].barcode;
  const absl::Status refused = CheckCanClose(incoming, items);
  EXPECT_STATUS(refused, kPrecondition, "4 unresolved discrepancies");
  for (const char* what : {"GONE (missing)", "WARM (thawed)", "BROKEN (damaged)", "STRAY (unexpected)"}) {
    EXPECT_NE(refused.message().find(what), std::string::npos) << refused.message();
  }
  for (ShipmentItem& item : items) item.resolution = "checked with the sender";
  EXPECT_OK(CheckCanClose(incoming, items));
  incoming.status = ShipmentStatus::kClosed;
  EXPECT_STATUS_CODE(CheckCanClose(incoming, items), kPrecondition);
  EXPECT_STATUS_CODE(CheckCanClose(Outgoing(ShipmentStatus::kDraft, 1), {}), kPrecondition);
  EXPECT_OK(CheckCanClose(Outgoing(ShipmentStatus::kDispatched, 1), {}));
}

}  // namespace
}  // namespace lims
