// Every RPC of the protos, called generically: the methods of every service declared in
// proto/lims/v1 (the directory is read, so a new .proto file is covered without touching the
// tests), and a unary call with any request bytes through gRPC's generic API.
#ifndef LIMS_TESTS_SERVICE_RPC_WALK_H_
#define LIMS_TESTS_SERVICE_RPC_WALK_H_

#include <google/protobuf/descriptor.h>
#include <grpcpp/grpcpp.h>

#include <string>
#include <vector>

namespace lims::testing {

std::vector<const google::protobuf::MethodDescriptor*> AllLimsMethods();

// "/lims.v1.SampleService/ResolveBarcode".
std::string MethodPath(const google::protobuf::MethodDescriptor& method);

// One request, the first response (into *response when given), the final status.
grpc::Status CallRaw(grpc::Channel& channel, const std::string& path,
                     const std::string& authorization, const std::string& request = "",
                     std::string* response = nullptr);

}  // namespace lims::testing

#endif  // LIMS_TESTS_SERVICE_RPC_WALK_H_
