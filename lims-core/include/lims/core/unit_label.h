// The code on a storage unit's label (a box or rack): "BOX-<id>", printed by the label service
// and scanned back when the unit is moved. Tube codes can never take this shape (sample_id.h).
#ifndef LIMS_CORE_UNIT_LABEL_H_
#define LIMS_CORE_UNIT_LABEL_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace lims {

std::string UnitLabelCode(int64_t unit_id);

// The unit id in a scanned label ("BOX-12", any case, surrounding whitespace ignored);
// InvalidArgument saying what a label looks like otherwise.
absl::StatusOr<int64_t> ParseUnitLabelCode(std::string_view scanned);

}  // namespace lims

#endif  // LIMS_CORE_UNIT_LABEL_H_
