// How big and how deep a JSON text is, told before it is parsed: a parser (and the code that
// walks its result) recurses once per nesting level, so a small file of a million '[' would
// overflow the stack. Pure: counts brackets outside strings, does not validate the rest.
#ifndef LIMS_CORE_JSON_SHAPE_H_
#define LIMS_CORE_JSON_SHAPE_H_

#include <cstddef>
#include <string_view>

#include "absl/status/status.h"

namespace lims {

struct JsonLimits {
  size_t max_bytes = 16u << 20;
  int max_depth = 32;
};

// INVALID_ARGUMENT naming `what` when `text` has more bytes or deeper nesting than `limits`.
absl::Status CheckJsonShape(std::string_view text, const JsonLimits& limits, std::string_view what);

}  // namespace lims

#endif  // LIMS_CORE_JSON_SHAPE_H_
