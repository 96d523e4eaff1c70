// Quantities as a technician types them: "4mL", "4 mL", "0.5 mL", "0,5 mL", "500uL", "500µL",
// "2e6cells", "2e6 cells", "3 count".
#ifndef LIMS_CLI_QUANTITY_ARG_H_
#define LIMS_CLI_QUANTITY_ARG_H_

#include <string>
#include <string_view>

#include "lims/v1/common.pb.h"

namespace lims::cli {

// The unit list of the API (what the server accepts), for messages.
extern const char kQuantityUnits[];

// Parses a number followed by a unit (spaces allowed around and between; units are matched
// case-insensitively; µ may be the micro sign, the Greek mu or "u"; a decimal comma is accepted).
// Returns false and sets *error when the text is not a quantity.
bool ParseQuantity(std::string_view text, v1::Quantity* quantity, std::string* error);

}  // namespace lims::cli

#endif  // LIMS_CLI_QUANTITY_ARG_H_
