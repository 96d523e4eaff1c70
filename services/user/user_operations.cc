#include "user_operations.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "audit.h"
#include "lims/core/timepoint_window.h"
#include "lims/db/sites.h"
#include "passwords.h"
#include "status_macros.h"
#include "text_fields.h"
#include "tokens.h"

namespace lims::services {
namespace {

std::string UserJson(const db::UserRecord& user) {
  return nlohmann::json({{"username", user.username},
                         {"role", std::string(RoleName(user.role))},
                         {"sites", user.site_codes}})
      .dump();
}

absl::StatusOr<db::UserRecord> FindUser(db::Tx& tx, const std::string& username) {
  LIMS_ASSIGN_OR_RETURN(auto user, db::UserRepository(tx).FindByUsername(username));
  if (!user.has_value()) {
    return absl::NotFoundError(absl::StrCat("no user named '", username, "'"));
  }
  return *user;
}

absl::StatusOr<std::string> NewStoredToken(db::Tx& tx, int64_t user_id, absl::Time now) {
  LIMS_ASSIGN_OR_RETURN(std::string token, NewToken());
  LIMS_RETURN_IF_ERROR(db::UserRepository(tx).InsertToken(user_id, TokenHash(token), now));
  return token;
}

}  // namespace

absl::StatusOr<NewUser> AddUser(db::Tx& tx, const CallContext& call, const UserToAdd& request) {
  const std::string& username = request.username;
  Role role = request.role;
  const std::vector<std::string>& site_codes = request.site_codes;
  const std::string& password = request.password;
  LIMS_RETURN_IF_ERROR(CheckCode(username, "username", 64));
  if (!password.empty()) LIMS_RETURN_IF_ERROR(CheckNewPassword(password));
  db::UserRepository users(tx);
  LIMS_ASSIGN_OR_RETURN(auto existing, users.FindByUsername(username));
  if (existing.has_value()) {
    return absl::AlreadyExistsError(absl::StrCat(
        "user ", username, " already exists; issue a new token instead (lims user token)"));
  }
  if (role != Role::kAdmin && site_codes.empty()) {
    return absl::InvalidArgumentError(
        "site_codes: a non-admin user must work for at least one site");
  }
  NewUser created;
  created.user.username = username;
  created.user.role = role;
  for (const std::string& code : site_codes) {
    LIMS_ASSIGN_OR_RETURN(Site site, db::SiteRepository(tx).FindByCode(code));
    created.user.site_ids.push_back(site.id);
    created.user.site_codes.push_back(site.code);
  }
  LIMS_RETURN_IF_ERROR(users.Insert(created.user, call.now));
  LIMS_ASSIGN_OR_RETURN(created.token, NewStoredToken(tx, created.user.id, call.now));
  created.user.has_valid_token = true;
  if (!password.empty()) {
    LIMS_ASSIGN_OR_RETURN(std::string hashed, HashPassword(password));
    LIMS_RETURN_IF_ERROR(users.SetPasswordHash(created.user.id, hashed));
    created.user.has_password = true;
  }
  LIMS_RETURN_IF_ERROR(
      Audit(tx, call,
            AuditEntry("user.created", "user", username)
                .Details(absl::StrCat(std::string(RoleName(role)), " at ",
                                      site_codes.empty() ? std::string("every site")
                                                         : absl::StrJoin(site_codes, ", ")))
                .After(UserJson(created.user))));
  return created;
}

absl::StatusOr<IssuedToken> IssueApiToken(db::Tx& tx, const CallContext& call,
                                          const TokenToIssue& request) {
  const std::string& username = request.username;
  std::optional<absl::CivilDay> expires_on = request.expires_on;
  LIMS_ASSIGN_OR_RETURN(db::UserRecord user, FindUser(tx, username));
  IssuedToken issued;
  if (expires_on) {
    issued.expires_at = absl::FromCivil(*expires_on + 1, absl::UTCTimeZone());
    if (*issued.expires_at <= call.now) {
      return absl::InvalidArgumentError(absl::StrCat(
          "expires_on ", FormatIsoDate(*expires_on),
          " is past: give the last day the token should work, today or later"));
    }
  }
  LIMS_ASSIGN_OR_RETURN(issued.token, NewToken());
  LIMS_RETURN_IF_ERROR(db::UserRepository(tx).InsertToken(user.id, TokenHash(issued.token),
                                                         call.now, issued.expires_at));
  LIMS_RETURN_IF_ERROR(Audit(
      tx, call,
      AuditEntry("user.token_issued", "user", username)
          .Details(expires_on
                       ? absl::StrCat("new API token, working through ", FormatIsoDate(*expires_on))
                       : "new API token")));
  return issued;
}

absl::StatusOr<int> RevokeTokens(db::Tx& tx, const CallContext& call,
                                 const std::string& username) {
  LIMS_ASSIGN_OR_RETURN(db::UserRecord user, FindUser(tx, username));
  LIMS_ASSIGN_OR_RETURN(int revoked, db::UserRepository(tx).RevokeTokens(user.id, call.now));
  LIMS_RETURN_IF_ERROR(Audit(tx, call,
                             AuditEntry("user.tokens_revoked", "user", username)
                                 .Details(absl::StrCat(revoked, " token(s) revoked"))));
  return revoked;
}

absl::StatusOr<bool> EnsureAdminUser(db::Database& db,
                                     const std::function<absl::Status(const FirstAdmin&)>& keep) {
  bool created = false;
  absl::Status status = db.Write([&](db::Tx& tx) -> absl::Status {
    created = false;
    LIMS_ASSIGN_OR_RETURN(int64_t users, db::UserRepository(tx).Count());
    if (users > 0) return absl::OkStatus();
    CallContext system;
    system.actor = "lims-server";
    system.principal.role = Role::kAdmin;
    system.now = absl::Now();
    const std::string password = NewPassword();
    LIMS_ASSIGN_OR_RETURN(NewUser admin,
                          AddUser(tx, system, {"admin", Role::kAdmin, {}, password}));
    LIMS_RETURN_IF_ERROR(keep({admin.token, password}));
    created = true;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return created;
}

absl::StatusOr<std::vector<db::UserRecord>> ListUserPage(db::Tx& tx, const Page& page) {
  return db::UserRepository(tx).List(page.after_id, page.size);
}

absl::StatusOr<db::UserRecord> LookUpCaller(db::Tx& tx, const CallContext& call) {
  LIMS_ASSIGN_OR_RETURN(auto user, db::UserRepository(tx).FindByUsername(call.principal.username));
  if (!user.has_value()) return absl::UnauthenticatedError("the user no longer exists");
  return *std::move(user);
}

}  // namespace lims::services
