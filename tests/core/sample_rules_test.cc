#include "lims/core/sample_rules.h"

#include <string>

#include "gtest/gtest.h"
#include "status_matchers.h"

namespace lims {
namespace {

using S = SampleStatus;
constexpr absl::StatusCode kInvalid = absl::StatusCode::kInvalidArgument;
constexpr absl::StatusCode kRefused = absl::StatusCode::kFailedPrecondition;

Quantity Q(double value, const char* unit) {
  absl::StatusOr<Quantity> q = Quantity::FromValue(value, unit);
  EXPECT_TRUE(q.ok()) << q.status();
  return q.ok() ? *q : Quantity();
}

TEST(FreezeThawAfterReturn, Thawed_CountsOneCycle) {
  EXPECT_EQ(FreezeThawAfterReturn(0, true), 1);
  EXPECT_EQ(FreezeThawAfterReturn(3, true), 4);
}

TEST(FreezeThawAfterReturn, KeptFrozen_Unchanged) {
  EXPECT_EQ(FreezeThawAfterReturn(0, false), 0);
  EXPECT_EQ(FreezeThawAfterReturn(3, false), 3);
}

TEST(InheritedFreezeThaw, Parent_SameHistory) {
  EXPECT_EQ(InheritedFreezeThaw(0), 0);
  EXPECT_EQ(InheritedFreezeThaw(2), 2);
}

TEST(PlanDerivation, AliquotsFromSerum_ParentKeepsRemainderInProcessing) {
  absl::StatusOr<DerivationPlan> plan = PlanDerivation(S::kReceived, Q(2.5, "mL"), 4, Q(500, "uL"));
  ASSERT_OK(plan);
  EXPECT_EQ(plan->parent_remaining, Q(500, "uL"));
  EXPECT_EQ(plan->parent_status, S::kInProcessing);
}

TEST(PlanDerivation, AllMaterialUsed_ParentConsumed) {
  absl::StatusOr<DerivationPlan> plan =
      PlanDerivation(S::kInProcessing, Q(0.3, "mL"), 3, Q(0.1, "mL"));
  ASSERT_OK(plan);
  EXPECT_TRUE(plan->parent_remaining.is_zero());
  EXPECT_EQ(plan->parent_status, S::kConsumed);
}

TEST(PlanDerivation, FromCollectedTube_Allowed) {
  absl::StatusOr<DerivationPlan> plan = PlanDerivation(S::kCollected, Q(4, "mL"), 1, Q(1, "mL"));
  ASSERT_OK(plan);
  EXPECT_EQ(plan->parent_remaining, Q(3, "mL"));
  EXPECT_EQ(plan->parent_status, S::kInProcessing);
}

TEST(PlanDerivation, CheckedOutParentWithRemainder_StaysCheckedOut) {
  absl::StatusOr<DerivationPlan> plan = PlanDerivation(S::kCheckedOut, Q(1, "mL"), 2, Q(250, "uL"));
  ASSERT_OK(plan);
  EXPECT_EQ(plan->parent_remaining, Q(500, "uL"));
  EXPECT_EQ(plan->parent_status, S::kCheckedOut);
}

TEST(PlanDerivation, CheckedOutParentEmptied_Consumed) {
  absl::StatusOr<DerivationPlan> plan = PlanDerivation(S::kCheckedOut, Q(1, "mL"), 2, Q(500, "uL"));
  ASSERT_OK(plan);
  EXPECT_EQ(plan->parent_status, S::kConsumed);
}

TEST(PlanDerivation, CellsFromBloodVolume_ParentQuantityUnchanged) {
  absl::StatusOr<DerivationPlan> plan =
      PlanDerivation(S::kReceived, Q(9, "mL"), 4, Q(2e6, "cells"));
  ASSERT_OK(plan);
  EXPECT_EQ(plan->parent_remaining, Q(9, "mL"));
  EXPECT_EQ(plan->parent_status, S::kInProcessing);
}

TEST(PlanDerivation, ParentWithoutRecordedQuantity_Unchanged) {
  absl::StatusOr<DerivationPlan> plan = PlanDerivation(S::kReceived, Quantity(), 2, Q(1, "ug"));
  ASSERT_OK(plan);
  EXPECT_TRUE(plan->parent_remaining.is_zero());
  EXPECT_EQ(plan->parent_status, S::kInProcessing);
}

TEST(PlanDerivation, MoreThanParentHolds_FailedPreconditionWithArithmetic) {
  EXPECT_STATUS(PlanDerivation(S::kReceived, Q(1500, "uL"), 4, Q(500, "uL")), kRefused,
                "cannot derive 4 × 500 uL = 2000 uL from a parent that holds 1500 uL");
}

TEST(PlanDerivation, StoredParent_FailedPreconditionSayingRetrieve) {
  EXPECT_STATUS(PlanDerivation(S::kStored, Q(1, "mL"), 1, Q(100, "uL")), kRefused,
                "parent is STORED: retrieve it from its box");
}

TEST(PlanDerivation, ParentNotOnBench_FailedPrecondition) {
  for (S status : {S::kShipped, S::kConsumed, S::kDisposed, S::kMissing}) {
    EXPECT_STATUS(PlanDerivation(status, Q(1, "mL"), 1, Q(100, "uL")), kRefused,
                  std::string("parent is ") + std::string(StatusName(status)));
  }
}

TEST(PlanDerivation, CountOutOfRange_InvalidArgument) {
  EXPECT_STATUS(PlanDerivation(S::kReceived, Q(1, "mL"), 0, Q(1, "uL")), kInvalid,
                "between 1 and 96");
  EXPECT_STATUS_CODE(PlanDerivation(S::kReceived, Q(1, "mL"), 97, Q(1, "uL")), kInvalid);
  EXPECT_STATUS_CODE(PlanDerivation(S::kReceived, Q(1, "mL"), -1, Q(1, "uL")), kInvalid);
}

TEST(PlanDerivation, NinetySixAliquots_Allowed) {
  absl::StatusOr<DerivationPlan> plan = PlanDerivation(S::kReceived, Q(10, "mL"), 96, Q(100, "uL"));
  ASSERT_OK(plan);
  EXPECT_EQ(plan->parent_remaining, Q(400, "uL"));
}

TEST(PlanDerivation, ZeroEach_InvalidArgument) {
  EXPECT_STATUS(PlanDerivation(S::kReceived, Q(1, "mL"), 2, *Quantity::FromCanonical(0, "nL")),
                kInvalid, "greater than zero");
}

TEST(ValidateSampleType, SprecCodes_Ok) {
  for (const char* code : {"BLD", "SER", "PL1", "CEL", "BMA", "DNA", "RNA", "URN", "CSF", "TIS"}) {
    EXPECT_OK(ValidateSampleType(code)) << code;
  }
}

TEST(ValidateSampleType, WrongLengthOrCharacters_InvalidArgumentWithExamples) {
  EXPECT_STATUS(ValidateSampleType("SERUM"), kInvalid, "e.g. BLD, SER");
  EXPECT_STATUS_CODE(ValidateSampleType(""), kInvalid);
  EXPECT_STATUS_CODE(ValidateSampleType("SE"), kInvalid);
  EXPECT_STATUS_CODE(ValidateSampleType("ser"), kInvalid);
  EXPECT_STATUS_CODE(ValidateSampleType("S-R"), kInvalid);
}

}  // namespace
}  // namespace lims
