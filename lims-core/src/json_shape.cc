#include "lims/core/json_shape.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace lims {

absl::Status CheckJsonShape(std::string_view text, const JsonLimits& limits,
                            std::string_view what) {
  if (text.size() > limits.max_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(std::string(what), " has ", text.size(),
                                                   " bytes; at most ", limits.max_bytes,
                                                   " are accepted"));
  }
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limits.max_depth) {
        return absl::InvalidArgumentError(absl::StrCat(
            std::string(what), " nests arrays or objects more than ", limits.max_depth,
            " deep; send the file as it was written"));
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return absl::OkStatus();
}

}  // namespace lims
