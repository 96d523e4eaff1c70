// API tokens: opaque random strings given to a user once; the server keeps only their SHA-256.
#ifndef LIMS_SERVICES_COMMON_TOKENS_H_
#define LIMS_SERVICES_COMMON_TOKENS_H_

#include <string>

#include "absl/status/statusor.h"

namespace lims::services {

// "lims_" + 256 random bits (OpenSSL's CSPRNG), base64url. UNAVAILABLE if the CSPRNG fails.
absl::StatusOr<std::string> NewToken();

// Lower-case hex SHA-256 of any bytes.
std::string Sha256Hex(const std::string& data);

// The SHA-256 of the token: what the database stores and looks up.
inline std::string TokenHash(const std::string& token) { return Sha256Hex(token); }

}  // namespace lims::services

#endif  // LIMS_SERVICES_COMMON_TOKENS_H_
