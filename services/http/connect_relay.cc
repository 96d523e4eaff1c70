#include "connect_relay.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/client_context.h>
#include <grpcpp/completion_queue.h>
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

// The Connect streaming envelope: one flags byte, the length (4 bytes, big-endian), the JSON.
std::string ConnectFrame(uint8_t flags, const std::string& json) {
  std::string frame(5, '\0');
  frame[0] = static_cast<char>(flags);
  const uint32_t size = static_cast<uint32_t>(json.size());
  for (int i = 0; i < 4; ++i) frame[1 + i] = static_cast<char>((size >> (8 * (3 - i))) & 0xff);
  return frame + json;
}

std::string MessageFrame(const std::string& json) { return ConnectFrame(0x00, json); }
std::string EndStreamFrame(const std::string& json) { return ConnectFrame(0x02, json); }

std::optional<std::string> UnwrapEnvelope(const std::string& body) {
  if (body.size() < 5 || (static_cast<uint8_t>(body[0]) & 0x01) != 0) return std::nullopt;
  uint32_t size = 0;
  for (int i = 1; i <= 4; ++i) size = (size << 8) | static_cast<uint8_t>(body[i]);
  if (size != body.size() - 5) return std::nullopt;
  return body.substr(5);
}

std::optional<ConnectReply> ConnectRelay::Prepare(const ConnectCall& call, bool streaming,
                                                  PreparedCall& out) const {
  const auto* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(call.service);
  out.method = service ? service->FindMethodByName(call.method) : nullptr;
  if (out.method == nullptr || !absl::StartsWith(call.service, "lims.v1.")) {
    return Error(grpc::StatusCode::UNIMPLEMENTED,
                 absl::StrCat("no RPC ", call.service, "/", call.method,
                              "; the API is described in proto/lims/v1"),
                 404);
  }
  if (out.method->client_streaming()) {
    return Error(grpc::StatusCode::UNIMPLEMENTED,
                 "client-streaming RPCs are served over gRPC only, not the JSON door");
  }
  if (out.method->server_streaming() != streaming) {
    return Error(grpc::StatusCode::INVALID_ARGUMENT,
                 streaming
                     ? absl::StrCat(call.method, " is unary: send Content-Type: application/json")
                     : absl::StrCat(call.method,
                                    " streams its answer: send Content-Type: "
                                    "application/connect+json with an enveloped request"),
                 415);
  }
  if (!SafeHeaderValue(call.authorization)) {
    return Error(grpc::StatusCode::UNAUTHENTICATED,
                 "the Authorization header is not a bearer token; send `Authorization: Bearer "
                 "TOKEN`");
  }
  std::unique_ptr<Message> request = NewMessage(out.method->input_type());
  google::protobuf::util::JsonParseOptions parse;
  parse.ignore_unknown_fields = false;  // a misspelt field is an error, not silently dropped
  const auto parsed = google::protobuf::util::JsonStringToMessage(
      call.json.empty() ? "{}" : call.json, request.get(), parse);
  if (!parsed.ok()) {
    return Error(grpc::StatusCode::INVALID_ARGUMENT,
                 absl::StrCat("the body is not a ", out.method->input_type()->name(),
                              " in protobuf's JSON mapping: ", std::string(parsed.message())));
  }
  std::string serialized;
  if (!request->SerializeToString(&serialized)) {
    return Error(grpc::StatusCode::INVALID_ARGUMENT, "the request cannot be encoded");
  }
  out.request = ToBuffer(serialized);
  out.path = absl::StrCat("/", call.service, "/", call.method);
  out.context.set_deadline(std::chrono::system_clock::now() + call.timeout);
  if (!call.authorization.empty()) out.context.AddMetadata("authorization", call.authorization);
  if (SafeHeaderValue(call.client_address)) {
    out.context.AddMetadata(kRelayedClientAddress, call.client_address);
  }
  return std::nullopt;
}

std::optional<ConnectReply> ConnectRelay::ToJson(const google::protobuf::Descriptor* type,
                                                 const grpc::ByteBuffer& bytes,
                                                 std::string& json) const {
  std::unique_ptr<Message> response = NewMessage(type);
  if (!response->ParseFromString(FromBuffer(bytes))) {
    return Error(grpc::StatusCode::INTERNAL, "the service's answer could not be read");
  }
  google::protobuf::util::JsonPrintOptions print;
  print.always_print_primitive_fields = true;  // a 0 or false is shown, not left out
  if (!google::protobuf::util::MessageToJsonString(*response, &json, print).ok()) {
    return Error(grpc::StatusCode::INTERNAL, "the service's answer could not be written as JSON");
  }
  return std::nullopt;
}

ConnectReply ConnectRelay::Call(const ConnectCall& call) const {
  PreparedCall prepared;
  if (auto refused = Prepare(call, false, prepared)) return *refused;
  grpc::GenericStub stub(channel_);
  grpc::ByteBuffer response_buffer;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&prepared.context, prepared.path, grpc::StubOptions(), &prepared.request,
                 &response_buffer,
                 [&done](grpc::Status status) { done.set_value(std::move(status)); });
  const grpc::Status status = done.get_future().get();
  if (!status.ok()) return Error(status.error_code(), status.error_message());
  ConnectReply reply;
  if (auto failed = ToJson(prepared.method->output_type(), response_buffer, reply.json)) {
    return *failed;
  }
  return reply;
}

void ConnectRelay::Stream(const ConnectCall& call, const FrameSink& send) const {
  PreparedCall prepared;
  if (auto refused = Prepare(call, true, prepared)) {
    send(EndStreamFrame(absl::StrCat("{\"error\":", refused->json, "}")));
    return;
  }
  grpc::GenericStub stub(channel_);
  grpc::CompletionQueue queue;
  // Each step waits for its own completion: one call, driven in order on this thread.
  auto step = [&queue](const std::function<void()>& start) {
    void* tag = nullptr;
    bool ok = false;
    start();
    return queue.Next(&tag, &ok) && ok;
  };
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> rpc =
      stub.PrepareCall(&prepared.context, prepared.path, &queue);
  bool open = step([&] { rpc->StartCall(rpc.get()); }) &&
              step([&] { rpc->Write(prepared.request, rpc.get()); }) &&
              step([&] { rpc->WritesDone(rpc.get()); });
  bool client_gone = false;
  while (open) {
    grpc::ByteBuffer piece;
    if (!step([&] { rpc->Read(&piece, rpc.get()); })) break;
    std::string json;
    if (auto failed = ToJson(prepared.method->output_type(), piece, json)) {
      prepared.context.TryCancel();
      continue;  // read on until the call ends; its status says cancelled
    }
    if (!send(MessageFrame(json))) {
      client_gone = true;
      prepared.context.TryCancel();
    }
  }
  grpc::Status status;
  step([&] { rpc->Finish(&status, rpc.get()); });
  queue.Shutdown();
  void* tag = nullptr;
  while (queue.Next(&tag, &open)) {
  }
  if (!client_gone) {
    send(EndStreamFrame(
        status.ok()
            ? "{}"
            : absl::StrCat("{\"error\":",
                           ConnectErrorJson(status.error_code(), status.error_message()), "}")));
  }
}

}  // namespace lims::services
