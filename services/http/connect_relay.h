// One unary call of the Connect protocol's JSON form, relayed to the gRPC services in process:
// JSON → the method's request message (protobuf's JSON mapping, found by name in the
// descriptors: no code per RPC) → the same gRPC server, gate and all → JSON back.
#ifndef LIMS_SERVICES_HTTP_CONNECT_RELAY_H_
#define LIMS_SERVICES_HTTP_CONNECT_RELAY_H_

#include <grpcpp/channel.h>

#include <chrono>
#include <memory>
#include <string>

namespace lims::services {

struct ConnectCall {
  std::string service;        // "lims.v1.SampleService"
  std::string method;         // "ResolveBarcode"
  std::string json;           // the request body ("" = {})
  std::string authorization;  // the Authorization header as sent ("" = none)
  std::string client_address;
  std::chrono::milliseconds timeout{60'000};
};

struct ConnectReply {
  int http_status = 200;
  std::string json;  // the response message, or a Connect error
};

class ConnectRelay {
 public:
  explicit ConnectRelay(std::shared_ptr<grpc::Channel> in_process) : channel_(std::move(in_process)) {}
  ConnectReply Call(const ConnectCall& call) const;

 private:
  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace lims::services

#endif  // LIMS_SERVICES_HTTP_CONNECT_RELAY_H_
