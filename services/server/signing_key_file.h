// The installation's manifest signing key on disk: 64 hexadecimal digits (the Ed25519 seed) in
// a file only the server's user may read, made on first start.
#ifndef LIMS_SERVICES_SERVER_SIGNING_KEY_FILE_H_
#define LIMS_SERVICES_SERVER_SIGNING_KEY_FILE_H_

#include <string>

#include "absl/status/statusor.h"
#include "signing.h"

namespace lims::services {

struct LoadedSigningKey {
  SigningKey key;
  bool created = false;  // the file did not exist: a new key was made and written
};

// The key in `path`, or a new one written there (mode 0600, never replacing a file that appears
// meanwhile). FAILED_PRECONDITION when the file is readable or writable by others than its
// owner, or cannot be read or written; INVALID_ARGUMENT when it does not hold a key.
absl::StatusOr<LoadedSigningKey> LoadOrCreateSigningKey(const std::string& path);

}  // namespace lims::services

#endif  // LIMS_SERVICES_SERVER_SIGNING_KEY_FILE_H_
