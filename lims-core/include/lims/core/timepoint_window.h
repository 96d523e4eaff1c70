// Protocol calendar: due dates and collection windows of timepoints, and ISO dates.
#ifndef LIMS_CORE_TIMEPOINT_WINDOW_H_
#define LIMS_CORE_TIMEPOINT_WINDOW_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"

namespace lims {

// Strict "YYYY-MM-DD", real calendar dates only (2026-02-30 is refused, not rolled over).
absl::StatusOr<absl::CivilDay> ParseIsoDate(std::string_view text);

// "YYYY-MM-DD".
std::string FormatIsoDate(absl::CivilDay day);

// When a timepoint is due and the days on which collecting counts as on time (inclusive).
struct TimepointWindow {
  absl::CivilDay due;
  absl::CivilDay earliest;
  absl::CivilDay latest;
};

// due = anchor + offset_days;
// earliest = due - window_before_days; latest = due + window_after_days.
TimepointWindow ComputeWindow(absl::CivilDay anchor, int offset_days, int window_before_days,
                              int window_after_days);

// 0 if collected within [earliest, latest]; otherwise the days before earliest (negative) or
// after latest (positive).
int WindowOffsetDays(const TimepointWindow& w, absl::CivilDay collected);

// Timepoint code: 1..32 characters A-Z 0-9 _ - ("BASELINE", "D0", "M3").
absl::Status ValidateTimepointCode(std::string_view code);

// Window widths: 0..3650 days each side.
absl::Status ValidateWindow(int before, int after);

}  // namespace lims

#endif  // LIMS_CORE_TIMEPOINT_WINDOW_H_
