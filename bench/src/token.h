// The API token lims-bench sends as `authorization: Bearer TOKEN` (DESIGN §9): every LIMS call
// needs one, and the echo load sends the same metadata so that both sides carry the same bytes.
#pragma once

#include <optional>
#include <string>

namespace lims_bench {

// The token from `token_file` when given (surrounding white space such as the trailing newline
// ignored), else from the environment variable LIMS_TOKEN, else "". Prints why and returns
// nullopt when the file cannot be read or holds no token.
std::optional<std::string> FindToken(const std::string& token_file);

// The value of the `authorization` metadata for `token` ("" for no token: send none).
inline std::string BearerHeader(const std::string& token) {
  return token.empty() ? std::string() : "Bearer " + token;
}

}  // namespace lims_bench
