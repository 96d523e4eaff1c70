#include "connect_relay.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/client_context.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/support/byte_buffer.h>

#include <future>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client_address.h"
#include "connect_codes.h"

namespace lims::services {
namespace {

using google::protobuf::Message;

ConnectReply Error(grpc::StatusCode code, const std::string& message, int http_status = 0) {
  return {http_status ? http_status : ToConnectCode(code).http_status,
          ConnectErrorJson(code, message)};
}

// Only what HTTP/2 metadata may carry, and not absurdly long.
bool SafeHeaderValue(const std::string& value) {
  if (value.size() > 1024) return false;
  for (char c : value) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

std::unique_ptr<Message> NewMessage(const google::protobuf::Descriptor* type) {
  return std::unique_ptr<Message>(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type)->New());
}

grpc::ByteBuffer ToBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string FromBuffer(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  for (const grpc::Slice& slice : slices) {
    out.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return out;
}

}  // namespace

ConnectReply ConnectRelay::Call(const ConnectCall& call) const {
  const auto* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(call.service);
  const auto* method = service ? service->FindMethodByName(call.method) : nullptr;
  if (method == nullptr || !absl::StartsWith(call.service, "lims.v1.")) {
    return Error(grpc::StatusCode::UNIMPLEMENTED,
                 absl::StrCat("no RPC ", call.service, "/", call.method,
                              "; the API is described in proto/lims/v1"),
                 404);
  }
  if (method->client_streaming() || method->server_streaming()) {
    return Error(grpc::StatusCode::UNIMPLEMENTED,
                 "streaming RPCs are served over gRPC only, not the JSON door");
  }
  if (!SafeHeaderValue(call.authorization)) {
    return Error(grpc::StatusCode::UNAUTHENTICATED,
                 "the Authorization header is not a bearer token; send `Authorization: Bearer "
                 "TOKEN`");
  }
  std::unique_ptr<Message> request = NewMessage(method->input_type());
  google::protobuf::util::JsonParseOptions parse;
  parse.ignore_unknown_fields = false;  // a misspelt field is an error, not silently dropped
  const auto parsed = google::protobuf::util::JsonStringToMessage(
      call.json.empty() ? "{}" : call.json, request.get(), parse);
  if (!parsed.ok()) {
    return Error(grpc::StatusCode::INVALID_ARGUMENT,
                 absl::StrCat("the body is not a ", method->input_type()->name(),
                              " in protobuf's JSON mapping: ", std::string(parsed.message())));
  }
  std::string serialized;
  if (!request->SerializeToString(&serialized)) {
    return Error(grpc::StatusCode::INVALID_ARGUMENT, "the request cannot be encoded");
  }

  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + call.timeout);
  if (!call.authorization.empty()) context.AddMetadata("authorization", call.authorization);
  if (SafeHeaderValue(call.client_address)) {
    context.AddMetadata(kRelayedClientAddress, call.client_address);
  }
  grpc::GenericStub stub(channel_);
  const grpc::ByteBuffer request_buffer = ToBuffer(serialized);
  grpc::ByteBuffer response_buffer;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, absl::StrCat("/", call.service, "/", call.method), grpc::StubOptions(),
                 &request_buffer, &response_buffer,
                 [&done](grpc::Status status) { done.set_value(std::move(status)); });
  const grpc::Status status = done.get_future().get();
  if (!status.ok()) return Error(status.error_code(), status.error_message());

  std::unique_ptr<Message> response = NewMessage(method->output_type());
  if (!response->ParseFromString(FromBuffer(response_buffer))) {
    return Error(grpc::StatusCode::INTERNAL, "the service's answer could not be read");
  }
  google::protobuf::util::JsonPrintOptions print;
  print.always_print_primitive_fields = true;  // a 0 or false is shown, not left out
  ConnectReply reply;
  if (!google::protobuf::util::MessageToJsonString(*response, &reply.json, print).ok()) {
    return Error(grpc::StatusCode::INTERNAL, "the service's answer could not be written as JSON");
  }
  return reply;
}

}  // namespace lims::services
