#include "lims/core/quantity.h"

#include <cstdint>
#include <limits>

#include "gtest/gtest.h"
#include "status_matchers.h"

namespace lims {
namespace {

constexpr absl::StatusCode kInvalid = absl::StatusCode::kInvalidArgument;

Quantity Q(double value, const char* unit) {
  absl::StatusOr<Quantity> q = Quantity::FromValue(value, unit);
  EXPECT_TRUE(q.ok()) << q.status();
  return q.ok() ? *q : Quantity();
}

TEST(QuantityDefault, Constructed_ZeroCount) {
  const Quantity q;
  EXPECT_EQ(q.dimension(), Dimension::kCount);
  EXPECT_TRUE(q.is_zero());
  EXPECT_EQ(q.ToString(), "0 count");
}

TEST(QuantityFromValue, Microlitres_StoredAsNanolitres) {
  const Quantity q = Q(500, "uL");
  EXPECT_EQ(q.dimension(), Dimension::kVolume);
  EXPECT_EQ(q.canonical_amount(), 500000);
  EXPECT_EQ(q.canonical_unit(), "nL");
  EXPECT_EQ(q.display_unit(), "uL");
  EXPECT_DOUBLE_EQ(q.display_value(), 500.0);
  EXPECT_EQ(q.ToString(), "500 uL");
}

TEST(QuantityFromValue, TenthOfMillilitre_Exactly100000Nanolitres) {
  EXPECT_EQ(Q(0.1, "mL").canonical_amount(), 100000);
  EXPECT_EQ(Q(0.3, "mL").canonical_amount(), 300000);
}

TEST(QuantityFromValue, OneAndAHalfLitres_Exact) {
  const Quantity q = Q(1.5, "L");
  EXPECT_EQ(q.canonical_amount(), 1500000000);
  EXPECT_EQ(q.ToString(), "1500000 uL");
}

TEST(QuantityFromValue, MicroSignAndGreekMu_SameAsUL) {
  EXPECT_EQ(Q(200, "\xC2\xB5L"), Q(200, "uL"));  // U+00B5 MICRO SIGN
  EXPECT_EQ(Q(200, "\xCE\xBCL"), Q(200, "uL"));  // U+03BC GREEK SMALL LETTER MU
  EXPECT_EQ(Q(5, "\xC2\xB5g"), Q(5, "ug"));
  EXPECT_EQ(Q(5, "\xCE\xBCg"), Q(5, "ug"));
}

TEST(QuantityFromValue, Masses_StoredAsNanograms) {
  EXPECT_EQ(Q(1, "ug").canonical_amount(), 1000);
  EXPECT_EQ(Q(2.5, "mg").canonical_amount(), 2500000);
  EXPECT_EQ(Q(0.001, "g").canonical_amount(), 1000000);
  const Quantity q = Q(1.25, "ug");
  EXPECT_EQ(q.dimension(), Dimension::kMass);
  EXPECT_EQ(q.canonical_unit(), "ng");
  EXPECT_EQ(q.ToString(), "1.25 ug");
}

TEST(QuantityFromValue, TwoMillionCells_Exact) {
  const Quantity q = Q(2e6, "cells");
  EXPECT_EQ(q.dimension(), Dimension::kCells);
  EXPECT_EQ(q.canonical_amount(), 2000000);
  EXPECT_EQ(q.ToString(), "2000000 cells");
}

TEST(QuantityFromValue, Count_Whole) {
  const Quantity q = Q(3, "count");
  EXPECT_EQ(q.dimension(), Dimension::kCount);
  EXPECT_EQ(q.ToString(), "3 count");
}

TEST(QuantityFromValue, OneNanolitre_Accepted) {
  const Quantity q = Q(0.001, "uL");
  EXPECT_EQ(q.canonical_amount(), 1);
  EXPECT_EQ(q.ToString(), "0.001 uL");
}

TEST(QuantityFromValue, Float32Noise_Absorbed) {
  // A client sending 0.1 as a float32 sends 0.100000001490116...
  EXPECT_EQ(Q(static_cast<double>(0.1f), "mL").canonical_amount(), 100000);
}

TEST(QuantityFromValue, FinerThanNanolitre_InvalidArgument) {
  EXPECT_STATUS(Quantity::FromValue(0.0001, "uL"), kInvalid,
                "0.0001 uL is finer than the 1 nL resolution");
  EXPECT_STATUS_CODE(Quantity::FromValue(1.0005, "uL"), kInvalid);
  EXPECT_STATUS_CODE(Quantity::FromValue(1e-300, "L"), kInvalid);
}

TEST(QuantityFromValue, FinerThanNanogram_InvalidArgument) {
  EXPECT_STATUS(Quantity::FromValue(0.0005, "ug"), kInvalid, "1 ng resolution");
}

TEST(QuantityFromValue, FractionalCells_InvalidArgument) {
  EXPECT_STATUS(Quantity::FromValue(1.5, "cells"), kInvalid, "whole number");
  EXPECT_STATUS_CODE(Quantity::FromValue(0.5, "count"), kInvalid);
}

TEST(QuantityFromValue, ZeroOrNegative_InvalidArgument) {
  EXPECT_STATUS(Quantity::FromValue(0, "uL"), kInvalid, "quantity must be greater than zero");
  EXPECT_STATUS(Quantity::FromValue(-5, "mL"), kInvalid, "greater than zero");
  EXPECT_STATUS_CODE(Quantity::FromValue(-0.0, "cells"), kInvalid);
}

TEST(QuantityFromValue, NanOrInfinity_InvalidArgument) {
  EXPECT_STATUS(Quantity::FromValue(std::numeric_limits<double>::quiet_NaN(), "uL"), kInvalid,
                "not a number");
  EXPECT_STATUS_CODE(Quantity::FromValue(std::numeric_limits<double>::infinity(), "uL"),
                     kInvalid);
  EXPECT_STATUS_CODE(Quantity::FromValue(-std::numeric_limits<double>::infinity(), "uL"),
                     kInvalid);
}

TEST(QuantityFromValue, TooLarge_InvalidArgument) {
  EXPECT_STATUS(Quantity::FromValue(1e10, "L"), kInvalid, "too large");
  EXPECT_STATUS_CODE(Quantity::FromValue(1e19, "cells"), kInvalid);
  EXPECT_STATUS_CODE(Quantity::FromValue(9223372036854775808.0, "count"), kInvalid);
}

TEST(QuantityFromValue, UnknownUnit_InvalidArgumentListingUnits) {
  EXPECT_STATUS(Quantity::FromValue(1, "ul"), kInvalid, "uL, ");
  EXPECT_STATUS_CODE(Quantity::FromValue(1, "ML"), kInvalid);
  EXPECT_STATUS_CODE(Quantity::FromValue(1, "nL"), kInvalid);
  EXPECT_STATUS_CODE(Quantity::FromValue(1, ""), kInvalid);
  EXPECT_STATUS_CODE(Quantity::FromValue(1, "uL "), kInvalid);
}

TEST(QuantityFromCanonical, StoredUnits_RoundTrip) {
  for (const char* unit : {"nL", "ng", "cells", "count"}) {
    absl::StatusOr<Quantity> q = Quantity::FromCanonical(1234, unit);
    ASSERT_OK(q);
    EXPECT_EQ(q->canonical_amount(), 1234);
    EXPECT_EQ(q->canonical_unit(), unit);
  }
  EXPECT_EQ(*Quantity::FromCanonical(500000, "nL"), Q(500, "uL"));
}

TEST(QuantityFromCanonical, Zero_AllowedForUsedUpTubes) {
  absl::StatusOr<Quantity> q = Quantity::FromCanonical(0, "nL");
  ASSERT_OK(q);
  EXPECT_TRUE(q->is_zero());
  EXPECT_EQ(q->ToString(), "0 uL");
}

TEST(QuantityFromCanonical, NegativeOrDisplayUnit_InvalidArgument) {
  EXPECT_STATUS_CODE(Quantity::FromCanonical(-1, "nL"), kInvalid);
  EXPECT_STATUS_CODE(Quantity::FromCanonical(1, "uL"), kInvalid);
  EXPECT_STATUS_CODE(Quantity::FromCanonical(1, ""), kInvalid);
}

TEST(QuantityToString, Fractions_ExactDecimalWithoutTrailingZeros) {
  EXPECT_EQ(Q(0.5, "uL").ToString(), "0.5 uL");
  EXPECT_EQ(Q(0.05, "uL").ToString(), "0.05 uL");
  EXPECT_EQ(Q(12.345, "uL").ToString(), "12.345 uL");
  EXPECT_EQ(Q(1.2, "mL").ToString(), "1200 uL");
}

TEST(QuantityEquality, SameAmountDifferentDimension_NotEqual) {
  EXPECT_EQ(Q(1, "mL"), Q(1000, "uL"));
  EXPECT_NE(*Quantity::FromCanonical(5, "cells"), *Quantity::FromCanonical(5, "count"));
  EXPECT_NE(Q(1, "uL"), Q(1, "ug"));
}

TEST(QuantitySubtract, SameDimension_ExactRemainder) {
  absl::StatusOr<Quantity> left = Subtract(Q(0.3, "mL"), Q(0.1, "mL"));
  ASSERT_OK(left);
  EXPECT_EQ(*left, Q(200, "uL"));
  absl::StatusOr<Quantity> none = Subtract(*left, Q(0.2, "mL"));
  ASSERT_OK(none);
  EXPECT_TRUE(none->is_zero());
}

TEST(QuantitySubtract, DimensionMismatch_InvalidArgument) {
  EXPECT_STATUS(Subtract(Q(500, "uL"), Q(2e6, "cells")), kInvalid, "cannot be combined");
}

TEST(QuantitySubtract, MoreThanLeft_FailedPrecondition) {
  EXPECT_STATUS(Subtract(Q(500, "uL"), Q(600, "uL")), absl::StatusCode::kFailedPrecondition,
                "cannot take 600 uL when only 500 uL is left");
}

TEST(QuantityMultiply, Factor_ExactProduct) {
  absl::StatusOr<Quantity> total = Multiply(Q(0.5, "mL"), 4);
  ASSERT_OK(total);
  EXPECT_EQ(*total, Q(2, "mL"));
  absl::StatusOr<Quantity> zero = Multiply(Q(0.5, "mL"), 0);
  ASSERT_OK(zero);
  EXPECT_TRUE(zero->is_zero());
  EXPECT_EQ(zero->dimension(), Dimension::kVolume);
}

TEST(QuantityMultiply, NegativeFactor_InvalidArgument) {
  EXPECT_STATUS_CODE(Multiply(Q(1, "uL"), -1), kInvalid);
}

TEST(QuantityMultiply, Overflow_InvalidArgument) {
  EXPECT_STATUS(Multiply(Q(1, "L"), std::numeric_limits<int64_t>::max() / 100), kInvalid,
                "too large");
}

}  // namespace
}  // namespace lims

namespace lims {
namespace {

TEST(QuantityShortString, MillilitresAndMilligramsFromOneUp) {
  EXPECT_EQ(Quantity::FromValue(4, "mL")->ToShortString(), "4 mL");
  EXPECT_EQ(Quantity::FromValue(1.25, "mL")->ToShortString(), "1.25 mL");
  EXPECT_EQ(Quantity::FromValue(0.001234, "mL")->ToShortString(), "1.234 uL");
  EXPECT_EQ(Quantity::FromValue(500, "uL")->ToShortString(), "500 uL");
  EXPECT_EQ(Quantity::FromValue(2, "g")->ToShortString(), "2000 mg");
  EXPECT_EQ(Quantity::FromValue(2000000, "cells")->ToShortString(), "2000000 cells");
}

}  // namespace
}  // namespace lims
