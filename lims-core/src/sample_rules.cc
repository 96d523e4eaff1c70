#include "lims/core/sample_rules.h"

#include <string>

#include "absl/strings/str_format.h"
#include "text.h"

namespace lims {
namespace {

constexpr int kMaxDerivedPerOperation = 96;  // one SBS rack

// What the technician must do before a parent in this status can be aliquoted.
std::string_view HowToGetMaterial(SampleStatus status) {
  switch (status) {
    case SampleStatus::kStored:
      return "retrieve it from its box (check it out) before aliquoting";
    case SampleStatus::kShipped:
      return "it is in transit; receive it at its destination before aliquoting";
    case SampleStatus::kMissing:
      return "find the tube and clear its missing flag before aliquoting";
    case SampleStatus::kConsumed:
      return "it is used up; nothing is left to aliquot";
    case SampleStatus::kDisposed:
      return "it was disposed of; nothing is left to aliquot";
    default:
      return "it cannot be aliquoted now";
  }
}

}  // namespace

int FreezeThawAfterReturn(int count, bool thawed) { return thawed ? count + 1 : count; }

int InheritedFreezeThaw(int parent_count) { return parent_count; }

absl::StatusOr<DerivationPlan> PlanDerivation(SampleStatus parent_status,
                                              const Quantity& parent_quantity, int count,
                                              const Quantity& each) {
  if (count < 1 || count > kMaxDerivedPerOperation) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "number of derived samples must be between 1 and %d, got %d", kMaxDerivedPerOperation,
        count));
  }
  if (each.is_zero()) {
    return absl::InvalidArgumentError(
        "quantity of each derived sample must be greater than zero");
  }
  if (!HoldsMaterial(parent_status)) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "parent is %s: %s", StatusName(parent_status), HowToGetMaterial(parent_status)));
  }
  // Cells counted out of a blood volume are not drawn from the parent's quantity.
  const bool drawn_from_parent = each.dimension() == parent_quantity.dimension();
  DerivationPlan plan;
  plan.parent_remaining = parent_quantity;
  if (drawn_from_parent) {
    absl::StatusOr<Quantity> total = Multiply(each, count);
    if (!total.ok()) return total.status();
    absl::StatusOr<Quantity> remaining = Subtract(parent_quantity, *total);
    if (!remaining.ok()) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "cannot derive %d × %s = %s from a parent that holds %s; make fewer or smaller "
          "aliquots",
          count, each.ToString(), total->ToString(), parent_quantity.ToString()));
    }
    plan.parent_remaining = *remaining;
  }
  if (drawn_from_parent && plan.parent_remaining.is_zero()) {
    plan.parent_status = SampleStatus::kConsumed;
  } else if (parent_status == SampleStatus::kCheckedOut) {
    // The lifecycle has no CHECKED_OUT -> IN_PROCESSING step: the tube stays out until returned.
    plan.parent_status = SampleStatus::kCheckedOut;
  } else {
    plan.parent_status = SampleStatus::kInProcessing;
  }
  return plan;
}

absl::Status ValidateSampleType(std::string_view code) {
  bool ok = code.size() == 3;
  for (char c : code) ok = ok && (text::IsUpper(c) || text::IsDigit(c));
  if (!ok) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "sample type %s is not a SPREC type code; use exactly 3 upper-case letters or digits, "
        "e.g. BLD, SER, PL1, CEL, BMA, DNA, RNA, URN, CSF, TIS",
        text::Quoted(code)));
  }
  return absl::OkStatus();
}

}  // namespace lims
