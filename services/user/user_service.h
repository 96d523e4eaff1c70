// lims.v1.UserService: protobuf in, user_operations, protobuf out.
#ifndef LIMS_SERVICES_USER_USER_SERVICE_H_
#define LIMS_SERVICES_USER_USER_SERVICE_H_

#include "call_gate.h"
#include "lims/v1/user.grpc.pb.h"
#include "session_operations.h"

namespace lims::services {

class UserService final : public v1::UserService::Service {
 public:
  UserService(CallGate& gate, const SessionTerms& sessions) : gate_(gate), sessions_(sessions) {}

  grpc::Status CreateUser(grpc::ServerContext* context, const v1::CreateUserRequest* request,
                          v1::CreateUserResponse* response) override;
  grpc::Status ListUsers(grpc::ServerContext* context, const v1::ListUsersRequest* request,
                         v1::ListUsersResponse* response) override;
  grpc::Status IssueToken(grpc::ServerContext* context, const v1::IssueTokenRequest* request,
                          v1::IssueTokenResponse* response) override;
  grpc::Status RevokeToken(grpc::ServerContext* context, const v1::RevokeTokenRequest* request,
                           v1::RevokeTokenResponse* response) override;
  grpc::Status WhoAmI(grpc::ServerContext* context, const v1::WhoAmIRequest* request,
                      v1::WhoAmIResponse* response) override;
  grpc::Status SetPassword(grpc::ServerContext* context, const v1::SetPasswordRequest* request,
                           v1::SetPasswordResponse* response) override;
  grpc::Status Login(grpc::ServerContext* context, const v1::LoginRequest* request,
                     v1::LoginResponse* response) override;
  grpc::Status Logout(grpc::ServerContext* context, const v1::LogoutRequest* request,
                      v1::LogoutResponse* response) override;

 private:
  CallGate& gate_;
  const SessionTerms sessions_;
};

}  // namespace lims::services

#endif  // LIMS_SERVICES_USER_USER_SERVICE_H_
