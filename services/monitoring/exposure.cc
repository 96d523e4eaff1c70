#include "exposure.h"

#include <algorithm>
#include <map>

#include "lims/db/location_history.h"
#include "lims/db/storage_units.h"
#include "status_macros.h"

namespace lims::services {
namespace {

struct Presence {
  std::string barcode;
  double minutes = 0;
  absl::Time first = absl::InfiniteFuture(), last = absl::InfinitePast();
  bool saw_peak = false;
};

}  // namespace

absl::StatusOr<std::vector<db::Exposure>> RecomputeExposure(db::Tx& tx, const StorageUnit& unit,
                                                            const db::ExcursionRecord& excursion) {
  const ExcursionSpan& span = excursion.span;
  // An excursion seen by one reading so far still reaches the tubes inside at that instant.
  const absl::Time from = span.start;
  const absl::Time to =
      std::max(span.end.value_or(span.last_reading), span.start + absl::Microseconds(1));
  LIMS_ASSIGN_OR_RETURN(auto boxes,
                        db::StorageUnitRepository(tx).BoxesUnderBetween(unit, from, to));
  db::LocationHistory history(tx);
  std::map<int64_t, Presence> present;
  for (const db::BoxInterval& box : boxes) {
    LIMS_ASSIGN_OR_RETURN(auto stays, history.InBoxBetween(box.box_id, box.from, box.to));
    for (const db::TubeStay& stay : stays) {
      const absl::Time f = std::max(stay.from, box.from);
      const absl::Time t = std::min(stay.to.value_or(box.to), box.to);
      if (t <= f) continue;
      Presence& p = present[stay.sample_id];
      p.barcode = stay.barcode;
      p.minutes += absl::ToDoubleMinutes(t - f);
      p.first = std::min(p.first, f);
      p.last = std::max(p.last, t);
      p.saw_peak = p.saw_peak || (span.peak_at >= f && span.peak_at <= t);
    }
  }
  db::TemperatureLog log(tx);
  std::vector<db::Exposure> out;
  for (const auto& [sample_id, p] : present) {
    double peak = span.peak;
    if (!p.saw_peak) {
      // Here only for part of it: the extreme of the readings while it was.
      LIMS_ASSIGN_OR_RETURN(auto extreme, log.Extreme(unit.climate.probe_id, p.first, p.last,
                                                      span.side == ExcursionSide::kHigh));
      if (extreme) peak = *extreme;
    }
    out.push_back({excursion.id, sample_id, p.barcode, p.minutes, peak});
  }
  LIMS_RETURN_IF_ERROR(db::ExcursionRepository(tx).ReplaceExposures(excursion.id, out));
  return out;
}

}  // namespace lims::services
