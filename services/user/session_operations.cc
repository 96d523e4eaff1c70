#include "session_operations.h"

#include "absl/strings/str_cat.h"
#include "audit.h"
#include "lims/core/login_throttle.h"
#include "passwords.h"
#include "status_macros.h"
#include "tokens.h"

namespace lims::services {
namespace {

constexpr char kWrongCredentials[] =
    "wrong user name or password (a user without a password gets one from an administrator: "
    "lims user password NAME)";

std::string UserSubject(const std::string& username) { return "user:" + username.substr(0, 64); }
std::string AddressSubject(const std::string& address) { return "addr:" + address.substr(0, 64); }

// The longer of the two waits (per user, per address); zero when a try is allowed now.
absl::StatusOr<absl::Duration> WaitBeforeTrying(db::UserRepository& users,
                                                const LoginAttempt& attempt, absl::Time now) {
  absl::Duration wait;
  for (const std::string& subject :
       {UserSubject(attempt.username), AddressSubject(attempt.address)}) {
    LIMS_ASSIGN_OR_RETURN(db::LoginFailures failures, users.FailuresOf(subject));
    wait = std::max(wait, LoginWait(failures.failures, failures.last_failed_at, now));
  }
  return wait;
}

CallContext Anonymous(const std::string& actor, absl::Time now) {
  CallContext call;
  call.actor = actor;
  call.now = now;
  return call;
}

}  // namespace

absl::StatusOr<LoginOutcome> LogIn(db::Tx& tx, const LoginAttempt& attempt,
                                   const SessionTerms& terms, absl::Time now) {
  db::UserRepository users(tx);
  LoginOutcome outcome;
  if (attempt.username.empty() || attempt.password.empty()) {
    outcome.refusal = absl::InvalidArgumentError("give a user name and a password");
    return outcome;
  }
  LIMS_ASSIGN_OR_RETURN(absl::Duration wait, WaitBeforeTrying(users, attempt, now));
  if (wait > absl::ZeroDuration()) {
    outcome.refusal = absl::ResourceExhaustedError(absl::StrCat(
        "too many wrong passwords for this user or from this computer; try again in ",
        absl::ToInt64Seconds(absl::Ceil(wait, absl::Seconds(1))), " s"));
    return outcome;
  }
  LIMS_ASSIGN_OR_RETURN(auto user, users.FindByUsername(attempt.username));
  bool right = false;
  if (user.has_value()) {
    LIMS_ASSIGN_OR_RETURN(std::string stored, users.PasswordHash(user->id));
    right = VerifyPassword(attempt.password, stored);
  } else {
    VerifyNothing(attempt.password);  // the same time as for a real user
  }
  if (!right) {
    LIMS_RETURN_IF_ERROR(users.RecordFailure(UserSubject(attempt.username), now));
    LIMS_RETURN_IF_ERROR(users.RecordFailure(AddressSubject(attempt.address), now));
    const std::string actor = user.has_value() ? user->username : "(unknown user)";
    LIMS_RETURN_IF_ERROR(
        Audit(tx, Anonymous(actor, now),
              AuditEntry("user.login_failed", "user", attempt.username.substr(0, 64))
                  .Details(absl::StrCat("wrong password from ", attempt.address))));
    outcome.refusal = absl::UnauthenticatedError(kWrongCredentials);
    return outcome;
  }
  LIMS_RETURN_IF_ERROR(users.ClearFailures(UserSubject(attempt.username)));
  LIMS_RETURN_IF_ERROR(users.ClearFailures(AddressSubject(attempt.address)));
  LIMS_ASSIGN_OR_RETURN(outcome.session.token, NewToken());
  outcome.session.expires_at = now + terms.lifetime;
  LIMS_RETURN_IF_ERROR(users.InsertSession(user->id, TokenHash(outcome.session.token), now,
                                           outcome.session.expires_at, terms.idle));
  LIMS_RETURN_IF_ERROR(Audit(tx, Anonymous(user->username, now),
                             AuditEntry("user.login", "user", user->username)
                                 .Details(absl::StrCat("session from ", attempt.address))));
  outcome.session.user = *user;
  return outcome;
}

absl::Status ChangePassword(db::Tx& tx, const CallContext& call, const PasswordChange& change) {
  db::UserRepository users(tx);
  const bool own = change.username == call.principal.username;
  if (!own && call.principal.role != Role::kAdmin) {
    return absl::PermissionDeniedError(
        "only an administrator sets another user's password; change your own with "
        "current_password");
  }
  LIMS_ASSIGN_OR_RETURN(auto user, users.FindByUsername(change.username));
  if (!user.has_value()) {
    return absl::NotFoundError(absl::StrCat("no user named '", change.username, "'"));
  }
  LIMS_RETURN_IF_ERROR(CheckNewPassword(change.password));
  LIMS_ASSIGN_OR_RETURN(std::string stored, users.PasswordHash(user->id));
  // Admins reset a forgotten password; everyone else proves they know the current one.
  if (call.principal.role != Role::kAdmin && !stored.empty() &&
      !VerifyPassword(change.current_password, stored)) {
    return absl::PermissionDeniedError(
        "current_password is not your current password; an administrator can reset it");
  }
  LIMS_ASSIGN_OR_RETURN(std::string hashed, HashPassword(change.password));
  LIMS_RETURN_IF_ERROR(users.SetPasswordHash(user->id, hashed));
  return Audit(
      tx, call,
      AuditEntry("user.password_set", "user", user->username)
          .Details(own ? "changed their own password" : "password set by an administrator"));
}

absl::Status LogOut(db::Tx& tx, const CallContext& call, const std::string& token_hash) {
  LIMS_ASSIGN_OR_RETURN(bool revoked, db::UserRepository(tx).RevokeToken(token_hash, call.now));
  if (!revoked) return absl::NotFoundError("this session has already ended");
  return Audit(tx, call, AuditEntry("user.logout", "user", call.actor).Details("session ended"));
}

}  // namespace lims::services
