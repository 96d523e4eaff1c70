#include "rpc_walk.h"

#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

namespace lims::testing {

namespace fs = std::filesystem;

std::vector<const google::protobuf::MethodDescriptor*> AllLimsMethods() {
  std::vector<const google::protobuf::MethodDescriptor*> methods;
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const auto& entry : fs::directory_iterator(fs::path(LIMS_PROTO_DIR) / "lims" / "v1")) {
    const auto* file = pool->FindFileByName("lims/v1/" + entry.path().filename().string());
    EXPECT_NE(file, nullptr) << entry.path() << " is not compiled into lims_proto";
    if (file == nullptr) continue;
    for (int s = 0; s < file->service_count(); ++s) {
      for (int m = 0; m < file->service(s)->method_count(); ++m) {
        methods.push_back(file->service(s)->method(m));
      }
    }
  }
  return methods;
}

std::string MethodPath(const google::protobuf::MethodDescriptor& method) {
  return "/" + method.service()->full_name() + "/" + method.name();
}

grpc::Status CallRaw(grpc::Channel& channel, const std::string& path,
                     const std::string& authorization, const std::string& request,
                     std::string* response) {
  grpc::GenericStub stub(channel.shared_from_this());
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  if (!authorization.empty()) ctx.AddMetadata("authorization", authorization);
  grpc::CompletionQueue cq;
  auto call = stub.PrepareCall(&ctx, path, &cq);
  void* tag;
  bool ok;
  auto step = [&](int n) {
    cq.Next(&tag, &ok);
    EXPECT_EQ(tag, reinterpret_cast<void*>(n));
  };
  call->StartCall(reinterpret_cast<void*>(1));
  step(1);
  grpc::Slice bytes(request);
  grpc::ByteBuffer sent(&bytes, 1);
  call->Write(sent, reinterpret_cast<void*>(2));
  step(2);
  call->WritesDone(reinterpret_cast<void*>(3));
  step(3);
  grpc::ByteBuffer received;
  call->Read(&received, reinterpret_cast<void*>(4));
  step(4);
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(5));
  step(5);
  if (response != nullptr && status.ok()) {
    std::vector<grpc::Slice> slices;
    (void)received.Dump(&slices);
    response->clear();
    for (const grpc::Slice& s : slices) {
      response->append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
  }
  return status;
}

}  // namespace lims::testing
