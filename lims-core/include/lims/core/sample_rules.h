// Rules about samples that are not status transitions: freeze–thaw counting, deriving aliquots
// from a parent, and sample type codes.
#ifndef LIMS_CORE_SAMPLE_RULES_H_
#define LIMS_CORE_SAMPLE_RULES_H_

#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "lims/core/quantity.h"
#include "lims/core/sample_lifecycle.h"

namespace lims {

// Freeze–thaw count after a tube goes back into storage: a return after a thaw is one cycle.
int FreezeThawAfterReturn(int count, bool thawed);

// Derived samples inherit the parent's freeze–thaw history (the material went through it).
int InheritedFreezeThaw(int parent_count);

// What happens to the parent when aliquots are derived from it.
struct DerivationPlan {
  Quantity parent_remaining;
  SampleStatus parent_status = SampleStatus::kInProcessing;
};

// Plans deriving `count` samples of `each` from a parent.
// - count must be 1..96 and each > 0 (InvalidArgument).
// - The parent must hold material (HoldsMaterial), else FailedPrecondition.
// - If `each` has the parent's dimension (serum aliquots from serum), the total is drawn from
//   the parent and must not exceed what it holds (FailedPrecondition). A different dimension
//   (PBMC counted in cells from EDTA blood in uL) leaves the parent's quantity unchanged.
// - The parent becomes CONSUMED when nothing is left; otherwise IN_PROCESSING, except that a
//   CHECKED_OUT parent stays CHECKED_OUT so it can be returned to its box.
absl::StatusOr<DerivationPlan> PlanDerivation(SampleStatus parent_status,
                                              const Quantity& parent_quantity, int count,
                                              const Quantity& each);

// SPREC sample type code: exactly 3 characters A-Z or 0-9 (BLD, SER, PL1, CEL, DNA, ...).
absl::Status ValidateSampleType(std::string_view code);

}  // namespace lims

#endif  // LIMS_CORE_SAMPLE_RULES_H_
