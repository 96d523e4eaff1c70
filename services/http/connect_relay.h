// One unary call of the Connect protocol's JSON form, relayed to the gRPC services in process:
// JSON → the method's request message (protobuf's JSON mapping, found by name in the
// descriptors: no code per RPC) → the same gRPC server, gate and all → JSON back.
#ifndef LIMS_SERVICES_HTTP_CONNECT_RELAY_H_
#define LIMS_SERVICES_HTTP_CONNECT_RELAY_H_

#include <google/protobuf/descriptor.h>
#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/support/byte_buffer.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
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

// Server-streaming frames (https://connectrpc.com/docs/protocol#streaming-response): each
// message, then an end-of-stream frame carrying `{}` or `{"error": {...}}`.
std::string MessageFrame(const std::string& json);
std::string EndStreamFrame(const std::string& json);
// A streaming request's body is one enveloped, uncompressed message: its JSON, or nullopt.
std::optional<std::string> UnwrapEnvelope(const std::string& body);

// Sends one frame to the client; false when the client has gone.
using FrameSink = std::function<bool(const std::string& frame)>;

class ConnectRelay {
 public:
  explicit ConnectRelay(std::shared_ptr<grpc::Channel> in_process) : channel_(std::move(in_process)) {}
  // A unary call: its JSON answer or a Connect error.
  ConnectReply Call(const ConnectCall& call) const;
  // A server-streaming call (call.json already unwrapped): frames go to `send` as they arrive;
  // a refusal or failure is the end-of-stream frame's error (the HTTP status stays 200).
  void Stream(const ConnectCall& call, const FrameSink& send) const;

 private:
  struct PreparedCall {
    const google::protobuf::MethodDescriptor* method = nullptr;
    grpc::ByteBuffer request;
    std::string path;  // "/lims.v1.Service/Method"
    grpc::ClientContext context;
  };
  // Finds the method and reads the request; a refusal is returned as the reply to send.
  std::optional<ConnectReply> Prepare(const ConnectCall& call, bool streaming,
                                      PreparedCall& out) const;
  std::optional<ConnectReply> ToJson(const google::protobuf::Descriptor* type,
                                     const grpc::ByteBuffer& bytes, std::string& json) const;

  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace lims::services

#endif  // LIMS_SERVICES_HTTP_CONNECT_RELAY_H_
