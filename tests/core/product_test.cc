#include "lims/core/product.h"

#include <gtest/gtest.h>

namespace lims {
namespace {

using S = ProductStatus;
using C = CustodyStep;

TEST(ProductTest, ACarTTherapy_FromApheresisToInfusion) {
  S s = InitialStatus(ProductKind::kApheresis);
  EXPECT_EQ(s, S::kCollected);
  s = *NextStatus(s, C::kShipped, "W");
  EXPECT_EQ(s, S::kShipped);
  S bag = InitialStatus(ProductKind::kCarT);
  EXPECT_EQ(bag, S::kExpected);
  for (C step :
       {C::kReceived, C::kStored, C::kThawed, C::kIssued, C::kIssueConfirmed, C::kInfused}) {
    auto next = NextStatus(bag, step, "G123498654321");
    ASSERT_TRUE(next.ok()) << CustodyStepCode(step) << ": " << next.status();
    bag = *next;
  }
  EXPECT_EQ(bag, S::kInfused);
}

TEST(ProductTest, StepsOutOfOrder_AreRefusedWithWhatToDo) {
  auto infused = NextStatus(S::kThawed, C::kInfused, "G123498654321");
  ASSERT_FALSE(infused.ok());
  EXPECT_EQ(infused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(infused.status().message().find("second person"), std::string::npos);
  EXPECT_FALSE(NextStatus(S::kThawed, C::kStored, "X").ok()) << "never refrozen";
  EXPECT_FALSE(NextStatus(S::kStored, C::kIssued, "X").ok()) << "thaw first";
  EXPECT_FALSE(NextStatus(S::kInfused, C::kDiscarded, "X").ok());
  EXPECT_FALSE(NextStatus(S::kDiscarded, C::kThawed, "X").ok());
  EXPECT_FALSE(NextStatus(S::kStored, C::kIssueConfirmed, "X").ok());
  // A refusal is recorded without moving the bag on.
  EXPECT_EQ(*NextStatus(S::kThawed, C::kIssueRefused, "X"), S::kThawed);
  EXPECT_EQ(*NextStatus(S::kShipped, C::kReceiptRefused, "X"), S::kShipped);
}

TEST(ProductTest, Codes_RoundTrip) {
  for (ProductKind k : {ProductKind::kApheresis, ProductKind::kHsc, ProductKind::kMsc,
                        ProductKind::kCarT, ProductKind::kOther}) {
    EXPECT_EQ(*ParseProductKindCode(ProductKindCode(k)), k);
  }
  EXPECT_EQ(*ParseCustodyStepCode("shipped_to_manufacturer"), C::kShipped);
  EXPECT_EQ(ProductStatusWords(S::kIssuePending), "issue pending");
  EXPECT_FALSE(ParseProductKindCode("CART").ok());
}

TEST(ProductTest, Coi_IsCheckedLikeEveryIdentifierPeopleType) {
  const std::string coi = FormatCoi("psl", 42);
  ASSERT_EQ(coi.rfind("COI-PSL-000042-", 0), 0u) << coi;
  EXPECT_EQ(*ParseCoi(" " + coi + "\n"), coi);
  std::string mistyped = coi;
  mistyped[9] = mistyped[9] == '4' ? '5' : '4';
  EXPECT_FALSE(ParseCoi(mistyped).ok()) << mistyped;
  for (const char* bad : {"", "COI", "COI-PSL-42-K", "COI--000042-K", "XYZ-PSL-000042-K",
                          "COI-PSL-000042-", "COI-P5L-000042-K"}) {
    EXPECT_FALSE(ParseCoi(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace lims
