// Passwords and browser sessions inside the caller's transaction: logging in (with the
// slow-down after wrong passwords), setting a password, logging out.
#ifndef LIMS_SERVICES_USER_SESSION_OPERATIONS_H_
#define LIMS_SERVICES_USER_SESSION_OPERATIONS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "call_context.h"
#include "lims/db/database.h"
#include "lims/db/users.h"

namespace lims::services {

// How long a browser session lasts: it ends after `idle` without a call, and at the latest
// `lifetime` after the login.
struct SessionTerms {
  absl::Duration idle = absl::Minutes(30);
  absl::Duration lifetime = absl::Hours(12);
};

struct LoginAttempt {
  std::string username;
  std::string password;
  std::string address;  // the client's, for the slow-down per address and the audit trail
};

struct OpenedSession {
  std::string token;
  absl::Time expires_at;
  db::UserRecord user;
};

struct LoginOutcome {
  // Not OK: the login is refused with this (UNAUTHENTICATED, or RESOURCE_EXHAUSTED while
  // slowed down), after the failure was counted and audited in the transaction, which the
  // caller commits all the same.
  absl::Status refusal;
  OpenedSession session;
};

// Errors are the database's only (roll back).
absl::StatusOr<LoginOutcome> LogIn(db::Tx& tx, const LoginAttempt& attempt,
                                   const SessionTerms& terms, absl::Time now);

struct PasswordChange {
  std::string username;
  std::string password;
  std::string current_password;  // required when users change their own
};

// Admins set anyone's password; others only their own, with the current one.
absl::Status ChangePassword(db::Tx& tx, const CallContext& call, const PasswordChange& change);

// Revokes the caller's token (by hash); NOT_FOUND if it was already revoked.
absl::Status LogOut(db::Tx& tx, const CallContext& call, const std::string& token_hash);

}  // namespace lims::services

#endif  // LIMS_SERVICES_USER_SESSION_OPERATIONS_H_
