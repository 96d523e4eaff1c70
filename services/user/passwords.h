// Passwords for the browser app: stored only as libsodium's Argon2id strings (salt and cost
// inside), checked in constant time, never logged or audited.
#ifndef LIMS_SERVICES_USER_PASSWORDS_H_
#define LIMS_SERVICES_USER_PASSWORDS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace lims::services {

// INVALID_ARGUMENT saying what a password needs: 10 to 128 bytes, not only spaces.
absl::Status CheckNewPassword(const std::string& password);

// Argon2id with libsodium's interactive cost. UNAVAILABLE when memory for it is lacking.
absl::StatusOr<std::string> HashPassword(const std::string& password);

// Whether `password` matches `stored` (an empty `stored` matches nothing). Costs the same time
// for an unknown user (VerifyNothing) so that timing does not tell which names exist.
bool VerifyPassword(const std::string& password, const std::string& stored);
void VerifyNothing(const std::string& password);

// 20 characters from an alphabet without look-alikes (no 0/O, 1/l/I), about 100 bits: the
// first admin's password.
std::string NewPassword();

}  // namespace lims::services

#endif  // LIMS_SERVICES_USER_PASSWORDS_H_
