// How many pictures are decoded at once: a picture takes up to its megapixels in memory and a
// core for a few hundred milliseconds, so a few large ones sent together must not exhaust the
// server. A call that finds every slot taken is told to come back (RESOURCE_EXHAUSTED).
#ifndef LIMS_SERVICES_SCAN_DECODE_SLOTS_H_
#define LIMS_SERVICES_SCAN_DECODE_SLOTS_H_

#include <atomic>

#include "absl/status/statusor.h"

namespace lims::services {

class DecodeSlots {
 public:
  // Held while one picture is decoded; released when it goes.
  class Slot {
   public:
    explicit Slot(std::atomic<int>* taken) : taken_(taken) {}
    Slot(Slot&& other) noexcept : taken_(other.taken_) { other.taken_ = nullptr; }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    Slot& operator=(Slot&&) = delete;
    ~Slot() {
      if (taken_ != nullptr) taken_->fetch_sub(1);
    }

   private:
    std::atomic<int>* taken_;
  };

  explicit DecodeSlots(int capacity) : capacity_(capacity < 1 ? 1 : capacity) {}

  // A free slot, or RESOURCE_EXHAUSTED saying how many pictures are being decoded.
  absl::StatusOr<Slot> Take();

 private:
  const int capacity_;
  std::atomic<int> taken_{0};
};

}  // namespace lims::services

#endif  // LIMS_SERVICES_SCAN_DECODE_SLOTS_H_
