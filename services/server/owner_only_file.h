// Secrets on disk (the admin's first token, the signing key): files only their owner may read
// or write, synced before they are trusted.
#ifndef LIMS_SERVICES_SERVER_OWNER_ONLY_FILE_H_
#define LIMS_SERVICES_SERVER_OWNER_ONLY_FILE_H_

#include <string>

#include "absl/status/status.h"

namespace lims::services {

// Writes `content` to `path` with mode 0600. `replace`: an existing file is overwritten (its mode
// tightened first); otherwise ALREADY_EXISTS when the file exists (another process made it).
// FAILED_PRECONDITION naming `what` and the system's reason when it cannot be written.
absl::Status WriteOwnerOnlyFile(const std::string& path, const std::string& content, bool replace,
                                const std::string& what);

}  // namespace lims::services

#endif  // LIMS_SERVICES_SERVER_OWNER_ONLY_FILE_H_
