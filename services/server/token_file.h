#ifndef LIMS_SERVICES_SERVER_TOKEN_FILE_H_
#define LIMS_SERVICES_SERVER_TOKEN_FILE_H_

#include <string>

#include "absl/status/status.h"

namespace lims::services {

// Writes `token` and a newline to `path`, readable by its owner only (0600), replacing any file
// already there.
absl::Status WriteTokenFile(const std::string& path, const std::string& token);

}  // namespace lims::services

#endif  // LIMS_SERVICES_SERVER_TOKEN_FILE_H_
