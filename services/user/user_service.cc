#include "user_service.h"

#include "client_address.h"
#include "convert.h"
#include "lims/core/timepoint_window.h"
#include "lims/db/sites.h"
#include "lims/db/users.h"
#include "paging.h"
#include "status_macros.h"
#include "user_operations.h"

namespace lims::services {
namespace {

absl::StatusOr<Role> FromProto(v1::Role role) {
  switch (role) {
    case v1::ROLE_TECHNICIAN: return Role::kTechnician;
    case v1::ROLE_MANAGER: return Role::kManager;
    case v1::ROLE_RESEARCHER: return Role::kResearcher;
    case v1::ROLE_COORDINATOR: return Role::kCoordinator;
    case v1::ROLE_ADMIN: return Role::kAdmin;
    default:
      return absl::InvalidArgumentError(
          "role is required: TECHNICIAN, MANAGER, RESEARCHER, COORDINATOR or ADMIN");
  }
}

v1::Role ToProto(Role role) {
  switch (role) {
    case Role::kTechnician: return v1::ROLE_TECHNICIAN;
    case Role::kManager: return v1::ROLE_MANAGER;
    case Role::kResearcher: return v1::ROLE_RESEARCHER;
    case Role::kCoordinator: return v1::ROLE_COORDINATOR;
    case Role::kAdmin: return v1::ROLE_ADMIN;
  }
  return v1::ROLE_UNSPECIFIED;
}

v1::User ToProto(const db::UserRecord& user) {
  v1::User out;
  out.set_id(std::to_string(user.id));
  out.set_username(user.username);
  out.set_role(ToProto(user.role));
  for (const std::string& code : user.site_codes) out.add_site_codes(code);
  out.set_revoked(!user.has_valid_token);
  out.set_has_password(user.has_password);
  return out;
}

}  // namespace

grpc::Status UserService::CreateUser(grpc::ServerContext* context,
                                     const v1::CreateUserRequest* request,
                                     v1::CreateUserResponse* response) {
  return gate_.Mutate(
      *context, "lims.v1.UserService.CreateUser", *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::CreateUserResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(Role role, FromProto(request->role()));
        std::vector<std::string> sites(request->site_codes().begin(),
                                       request->site_codes().end());
        LIMS_ASSIGN_OR_RETURN(
            NewUser created,
            services::AddUser(tx, call, {request->username(), role, sites, request->password()}));
        *out->mutable_user() = ToProto(created.user);
        out->set_token(created.token);
        return absl::OkStatus();
      });
}

grpc::Status UserService::ListUsers(grpc::ServerContext* context,
                                    const v1::ListUsersRequest* request,
                                    v1::ListUsersResponse* response) {
  return gate_.Query(
      *context, "lims.v1.UserService.ListUsers", response,
      [&](db::Tx& tx, const CallContext&, v1::ListUsersResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(Page page, ParsePage(request->page_size(), request->page_token()));
        LIMS_ASSIGN_OR_RETURN(auto users, ListUserPage(tx, page));
        for (const db::UserRecord& user : users) *out->add_users() = ToProto(user);
        if (!users.empty()) {
          out->set_next_page_token(NextPageToken(page, users.size(), users.back().id));
        }
        return absl::OkStatus();
      });
}

grpc::Status UserService::IssueToken(grpc::ServerContext* context,
                                     const v1::IssueTokenRequest* request,
                                     v1::IssueTokenResponse* response) {
  return gate_.Mutate(
      *context, "lims.v1.UserService.IssueToken", *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::IssueTokenResponse* out) -> absl::Status {
        std::optional<absl::CivilDay> expires_on;
        if (!request->expires_on().empty()) {
          LIMS_ASSIGN_OR_RETURN(expires_on, ParseIsoDate(request->expires_on()));
        }
        LIMS_ASSIGN_OR_RETURN(IssuedToken issued,
                              services::IssueApiToken(tx, call, {request->username(), expires_on}));
        out->set_token(issued.token);
        if (issued.expires_at) *out->mutable_expires_at() = ToProto(*issued.expires_at);
        return absl::OkStatus();
      });
}

grpc::Status UserService::RevokeToken(grpc::ServerContext* context,
                                      const v1::RevokeTokenRequest* request,
                                      v1::RevokeTokenResponse* response) {
  grpc::Status status = gate_.Mutate(
      *context, "lims.v1.UserService.RevokeToken", *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::RevokeTokenResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(int revoked, RevokeTokens(tx, call, request->username()));
        out->set_tokens_revoked(revoked);
        return absl::OkStatus();
      });
  // Committed: stop honouring the remembered tokens in this process at once.
  if (status.ok()) gate_.authenticator().ForgetAll();
  return status;
}

grpc::Status UserService::WhoAmI(grpc::ServerContext* context, const v1::WhoAmIRequest*,
                                 v1::WhoAmIResponse* response) {
  return gate_.Query(
      *context, "lims.v1.UserService.WhoAmI", response,
      [&](db::Tx& tx, const CallContext& call, v1::WhoAmIResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(db::UserRecord user, LookUpCaller(tx, call));
        *out->mutable_user() = ToProto(user);
        return absl::OkStatus();
      });
}

grpc::Status UserService::SetPassword(grpc::ServerContext* context,
                                      const v1::SetPasswordRequest* request,
                                      v1::SetPasswordResponse* response) {
  // The replay log keeps a digest of the request: never of a password.
  v1::SetPasswordRequest without_secrets = *request;
  without_secrets.clear_password();
  without_secrets.clear_current_password();
  return gate_.Mutate(
      *context, "lims.v1.UserService.SetPassword", without_secrets, response,
      [&](db::Tx& tx, const CallContext& call, v1::SetPasswordResponse*) -> absl::Status {
        return ChangePassword(
            tx, call, {request->username(), request->password(), request->current_password()});
      });
}

grpc::Status UserService::Login(grpc::ServerContext* context, const v1::LoginRequest* request,
                                v1::LoginResponse* response) {
  const LoginAttempt attempt{request->username(), request->password(), ClientAddress(*context)};
  return gate_.Unauthenticated(
      "lims.v1.UserService.Login", response,
      [&](db::Tx& tx, v1::LoginResponse* out) -> absl::StatusOr<absl::Status> {
        LIMS_ASSIGN_OR_RETURN(LoginOutcome outcome, LogIn(tx, attempt, sessions_, absl::Now()));
        if (!outcome.refusal.ok()) return outcome.refusal;
        out->set_session_token(outcome.session.token);
        *out->mutable_expires_at() = ToProto(outcome.session.expires_at);
        out->set_idle_seconds(static_cast<int32_t>(absl::ToInt64Seconds(sessions_.idle)));
        *out->mutable_user() = ToProto(outcome.session.user);
        return absl::OkStatus();
      });
}

grpc::Status UserService::Logout(grpc::ServerContext* context, const v1::LogoutRequest* request,
                                 v1::LogoutResponse* response) {
  grpc::Status status = gate_.Mutate(
      *context, "lims.v1.UserService.Logout", *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::LogoutResponse*) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(std::string token_hash, BearerTokenHash(*context));
        return LogOut(tx, call, token_hash);
      });
  // Committed: the token stops working in this process at once.
  if (status.ok()) gate_.authenticator().ForgetAll();
  return status;
}

}  // namespace lims::services
