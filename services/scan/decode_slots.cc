#include "decode_slots.h"

#include "absl/strings/str_cat.h"

namespace lims::services {

absl::StatusOr<DecodeSlots::Slot> DecodeSlots::Take() {
  int taken = taken_.load();
  while (taken < capacity_) {
    if (taken_.compare_exchange_weak(taken, taken + 1)) return Slot(&taken_);
  }
  return absl::ResourceExhaustedError(absl::StrCat(
      capacity_, " pictures are being decoded already, the most this server takes at once; "
      "send this one again in a moment"));
}

}  // namespace lims::services
