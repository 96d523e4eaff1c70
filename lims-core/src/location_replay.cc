#include "lims/core/location_replay.h"

namespace lims {

std::vector<ReplayedStay> ReplayStays(const std::vector<RecordedPlace>& records) {
  std::vector<ReplayedStay> stays;
  for (const RecordedPlace& r : records) {
    const bool open = !stays.empty() && !stays.back().to.has_value();
    if (open && r.place && *r.place == stays.back().place) continue;
    if (open) stays.back().to = r.at;
    if (r.place) stays.push_back({*r.place, r.at, std::nullopt});
  }
  return stays;
}

std::vector<ReplayedStay> StaysBefore(const std::vector<ReplayedStay>& stays, absl::Time known_from,
                                      const WellPlace& known) {
  std::vector<ReplayedStay> out;
  for (ReplayedStay stay : stays) {
    if (stay.from >= known_from) break;
    const bool reaches_known = !stay.to || *stay.to >= known_from;
    if (reaches_known && stay.place == known) break;  // the known stay, begun a moment earlier
    if (reaches_known) stay.to = known_from;
    out.push_back(stay);
  }
  return out;
}

}  // namespace lims
