// The sample lifecycle as one state machine. Every status change in the system goes through
// ApplyEvent, so the rules live in one transition table (sample_lifecycle.cc).
#ifndef LIMS_CORE_SAMPLE_LIFECYCLE_H_
#define LIMS_CORE_SAMPLE_LIFECYCLE_H_

#include <string_view>

#include "absl/status/statusor.h"

namespace lims {

enum class SampleStatus {
  kCollected,
  kReceived,
  kInProcessing,
  kStored,
  kCheckedOut,
  kShipped,
  kConsumed,  // terminal
  kDisposed,  // terminal
  kMissing,
};

enum class SampleEvent {
  kReceive,
  kStartProcessing,
  kStore,
  kCheckOut,
  kReturn,
  kShip,
  kConsume,
  kDispose,
  kMarkMissing,
  kClearMissing,
};

// "COLLECTED", "RECEIVED", "IN_PROCESSING", "STORED", "CHECKED_OUT", "SHIPPED", "CONSUMED",
// "DISPOSED", "MISSING".
std::string_view StatusName(SampleStatus status);

// Inverse of StatusName, any case. InvalidArgument listing the valid names otherwise.
absl::StatusOr<SampleStatus> ParseStatusName(std::string_view name);

// "receive", "start_processing", "store", "check_out", "return", "ship", "consume", "dispose",
// "mark_missing", "clear_missing".
std::string_view EventName(SampleEvent event);

// The status after `event`, or FailedPrecondition saying why the event is not allowed now.
absl::StatusOr<SampleStatus> ApplyEvent(SampleStatus from, SampleEvent event);

// True while the tube is on the bench and can be aliquoted: COLLECTED, RECEIVED, IN_PROCESSING,
// CHECKED_OUT.
bool HoldsMaterial(SampleStatus status);

}  // namespace lims

#endif  // LIMS_CORE_SAMPLE_LIFECYCLE_H_
