// Completeness of one protocol timepoint for one enrollment: the expected kit against the primary
// samples actually collected, judged on a given day. Pure: no clock, no database.
#ifndef LIMS_CORE_COMPLETENESS_H_
#define LIMS_CORE_COMPLETENESS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/time/civil_time.h"
#include "lims/core/domain.h"
#include "lims/core/timepoint_window.h"

namespace lims {

enum class CompletenessStatus {
  kNotYetDue,  // nothing collected, the window opens after today
  kDue,        // nothing collected, today is inside the window
  kOverdue,    // nothing collected, the window closed before today
  kPartial,    // some but not all of the expected kit collected
  kComplete,   // the whole expected kit collected
};

// "complete", "partial", "due", "overdue", "not yet due".
std::string_view CompletenessStatusName(CompletenessStatus status);

// Primary (not derived) samples of one sample type collected for the timepoint.
struct CollectedSamples {
  std::string sample_type;
  int count = 0;
};

struct CompletenessCell {
  CompletenessStatus status = CompletenessStatus::kNotYetDue;
  // Sum of the kit's counts; 1 for a timepoint without expected_samples (one primary sample of
  // any type).
  int expected_count = 0;
  // Collected samples that fill the kit: per sample type at most the expected count, and types
  // outside the kit do not count. So 0 <= collected_count <= expected_count.
  int collected_count = 0;
  TimepointWindow window;  // window.due is the due date
};

// Complete and partial hold whatever the date (a kit collected early is still collected); with
// nothing of the kit collected, the status follows `today` against the window (both ends
// inclusive). `collected` holds primary samples only: derived aliquots must not be passed in.
// Entries of the same type are added up.
CompletenessCell ComputeCompleteness(const Timepoint& timepoint, absl::CivilDay anchor,
                                     const std::vector<CollectedSamples>& collected,
                                     absl::CivilDay today);

}  // namespace lims

#endif  // LIMS_CORE_COMPLETENESS_H_
