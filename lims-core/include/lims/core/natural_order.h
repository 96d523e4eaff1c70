// Natural order for names people give to racks and boxes: "R2" before "R10", "B-9" before
// "B-10", "Freezer 3 / Rack 2" before "Freezer 3 / Rack 10" — runs of digits compare as numbers,
// the rest as text (case-insensitive first, then exactly, so that the order is total).
#ifndef LIMS_CORE_NATURAL_ORDER_H_
#define LIMS_CORE_NATURAL_ORDER_H_

#include <string_view>

namespace lims {

bool NaturalLess(std::string_view a, std::string_view b);

}  // namespace lims

#endif  // LIMS_CORE_NATURAL_ORDER_H_
