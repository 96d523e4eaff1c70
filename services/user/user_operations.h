// User and token use cases inside the caller's transaction. Tokens are returned to the caller
// once and stored only as hashes; the audit trail never sees them.
#ifndef LIMS_SERVICES_USER_USER_OPERATIONS_H_
#define LIMS_SERVICES_USER_USER_OPERATIONS_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "call_context.h"
#include "lims/db/database.h"
#include "lims/db/users.h"
#include "paging.h"

namespace lims::services {

struct NewUser {
  db::UserRecord user;
  std::string token;
};

struct UserToAdd {
  std::string username;
  Role role;
  std::vector<std::string> site_codes;
  std::string password = "";
};
// ALREADY_EXISTS for a taken name; non-admins need at least one existing site. `password`
// (optional, "" for none) is the first password for the browser app.
absl::StatusOr<NewUser> AddUser(db::Tx& tx, const CallContext& call, const UserToAdd& request);
struct IssuedToken {
  std::string token;
  std::optional<absl::Time> expires_at;
};

struct TokenToIssue {
  std::string username;
  std::optional<absl::CivilDay> expires_on;
};
// A fresh token for an existing user (NOT_FOUND otherwise), working through `expires_on` (UTC)
// when given: INVALID_ARGUMENT for a day already past.
absl::StatusOr<IssuedToken> IssueApiToken(db::Tx& tx, const CallContext& call,
                                          const TokenToIssue& request);
// Revokes all of the user's tokens; returns how many.
absl::StatusOr<int> RevokeTokens(db::Tx& tx, const CallContext& call, const std::string& username);

// --- reads ---

absl::StatusOr<std::vector<db::UserRecord>> ListUserPage(db::Tx& tx, const Page& page);
// The caller's own record; UNAUTHENTICATED if the user was removed meanwhile.
absl::StatusOr<db::UserRecord> LookUpCaller(db::Tx& tx, const CallContext& call);

struct FirstAdmin {
  std::string token;     // for the CLI and scripts
  std::string password;  // for the browser app
};
// On a database without users: creates user "admin" with a token and a password, and hands
// them to `keep` inside the same transaction — if keeping them fails (e.g. the file cannot be
// written), nothing is created. Returns whether an admin was created.
absl::StatusOr<bool> EnsureAdminUser(db::Database& db,
                                     const std::function<absl::Status(const FirstAdmin&)>& keep);

}  // namespace lims::services

#endif  // LIMS_SERVICES_USER_USER_OPERATIONS_H_
