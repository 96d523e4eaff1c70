// Quantities as people type them: "4mL", "4 mL", "0.5 mL", "0,5 mL", "500uL", "500µL",
// "2e6cells", "3 count". One parser for every client (the CLI, imports); the result is checked by
// Quantity::FromValue, so what it accepts the server accepts.
#ifndef LIMS_CORE_QUANTITY_TEXT_H_
#define LIMS_CORE_QUANTITY_TEXT_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "lims/core/quantity.h"

namespace lims {

struct TypedQuantity {
  double value = 0;
  std::string unit;  // one of Quantity's units, spelled as the API spells it ("mL", "uL")
  Quantity quantity;
};

// A number (decimal point or comma, exponent) and a unit, spaces allowed. Units are
// case-sensitive ("ML" would be megalitres), but their all-lower-case spelling is accepted
// ("ml", "ul", "ug"), as is "cell". INVALID_ARGUMENT saying what is wrong and how to write it.
absl::StatusOr<TypedQuantity> ParseQuantityText(std::string_view text);

}  // namespace lims

#endif  // LIMS_CORE_QUANTITY_TEXT_H_
