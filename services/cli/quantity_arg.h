// Quantities on the command line, parsed by lims-core (ParseQuantityText): "4mL", "0,5 mL",
// "500uL", "2e6cells".
#ifndef LIMS_CLI_QUANTITY_ARG_H_
#define LIMS_CLI_QUANTITY_ARG_H_

#include <string_view>

#include "lims/v1/common.pb.h"

namespace lims::cli {

// The quantity as the API takes it; CliError (usage) saying what is wrong otherwise.
v1::Quantity ParseQuantityArg(std::string_view text);

}  // namespace lims::cli

#endif  // LIMS_CLI_QUANTITY_ARG_H_
