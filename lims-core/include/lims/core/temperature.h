// Temperatures of storage units: their alarm settings and state, the readings a monitoring
// system records for a probe, and the excursions found in them (start, end, peak, minutes and
// degree-minutes beyond the threshold). Pure: the readings come in, the spans go out.
#ifndef LIMS_CORE_TEMPERATURE_H_
#define LIMS_CORE_TEMPERATURE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace lims {

enum class UnitState { kInService, kDefrosting, kOutOfService, kBackup };

// "in_service", "defrosting", "out_of_service", "backup" (as stored).
std::string_view UnitStateCode(UnitState state);
absl::StatusOr<UnitState> ParseUnitState(std::string_view code);

// What a temperature-holding unit (freezer, LN2 tank, fridge, room) is set to.
struct Climate {
  std::optional<double> set_point;
  std::optional<double> alarm_low;   // unset: no alarm below
  std::optional<double> alarm_high;  // unset: no alarm above
  std::string probe_id;              // the monitoring system's name for the sensor; "" = none
  UnitState state = UnitState::kInService;
};

// INVALID_ARGUMENT when the thresholds are not plausible (low ≥ high, outside −273.15..+100 °C,
// a set point outside its own alarm band) or the probe id is not printable text.
absl::Status CheckClimate(const Climate& climate);

struct Reading {
  absl::Time at;
  double celsius = 0;
};

enum class ExcursionSide { kHigh, kLow };

// A period beyond a threshold: from the first reading beyond it to the first reading back
// (open while the last reading is still beyond).
struct ExcursionSpan {
  ExcursionSide side = ExcursionSide::kHigh;
  double threshold = 0;
  absl::Time start;
  std::optional<absl::Time> end;
  absl::Time last_reading;  // the newest reading the span saw
  double peak = 0;          // the warmest (high) or coldest (low) reading
  absl::Time peak_at;
  double minutes_beyond = 0;  // until `end`, or until the last reading while open
  double degree_minutes = 0;  // ∫ |reading − threshold| dt, each reading held until the next
};

// The excursions in `readings` (sorted by time, one per instant) against the thresholds.
std::vector<ExcursionSpan> FindExcursions(const std::vector<Reading>& readings,
                                          const Climate& climate);

// The part of [a_from, a_to) that lies within [b_from, b_to) (an unset end = still going, taken
// as `now`), in minutes; 0 when they do not meet.
double OverlapMinutes(absl::Time a_from, std::optional<absl::Time> a_to, absl::Time b_from,
                      std::optional<absl::Time> b_to, absl::Time now);

}  // namespace lims

#endif  // LIMS_CORE_TEMPERATURE_H_
