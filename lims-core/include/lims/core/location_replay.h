// A tube's stays in box positions, replayed from the places its records said it was in, in
// order: how the location history of tubes stored before it was kept is rebuilt from the audit
// trail.
#ifndef LIMS_CORE_LOCATION_REPLAY_H_
#define LIMS_CORE_LOCATION_REPLAY_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/time/time.h"

namespace lims {

struct WellPlace {
  int64_t box_id = 0;
  int position = 0;
  bool operator==(const WellPlace& o) const { return box_id == o.box_id && position == o.position; }
};

// What one record said: from `at`, the tube was in `place`, or in no box when unset.
struct RecordedPlace {
  absl::Time at;
  std::optional<WellPlace> place;
};

struct ReplayedStay {
  WellPlace place;
  absl::Time from;
  std::optional<absl::Time> to;  // unset: still there at the last record
};

// The stays the records describe, oldest first. A record repeating the place the tube is in
// (its box was moved, another field changed) continues the stay; records must be in order.
std::vector<ReplayedStay> ReplayStays(const std::vector<RecordedPlace>& records);

// The part of `stays` that lies before `known_from`, the start of the first stay already kept
// (`known` is where it was): later stays are dropped, one reaching past `known_from` ends there,
// and a stay in `known`'s place that runs into it is the known stay itself, recorded again.
std::vector<ReplayedStay> StaysBefore(const std::vector<ReplayedStay>& stays, absl::Time known_from,
                                      const WellPlace& known);

}  // namespace lims

#endif  // LIMS_CORE_LOCATION_REPLAY_H_
