#include "quantity_arg.h"

#include <string>

#include "lims/core/quantity_text.h"
#include "output.h"

namespace lims::cli {

v1::Quantity ParseQuantityArg(std::string_view text) {
  auto typed = ParseQuantityText(text);
  if (!typed.ok()) throw CliError(kExitUsage, std::string(typed.status().message()));
  v1::Quantity out;
  out.set_value(typed->value);
  out.set_unit(typed->unit);
  return out;
}

}  // namespace lims::cli
