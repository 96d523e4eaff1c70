#include "read_calls.h"

#include <sstream>

#include "lims/v1/registry.grpc.pb.h"
#include "lims/v1/request.grpc.pb.h"
#include "lims/v1/sample.grpc.pb.h"
#include "lims/v1/storage.grpc.pb.h"

namespace lims_bench {

bool IsReadCall(const std::string& rpc) {
  return rpc == "history" || rpc == "box" || rpc == "completeness" || rpc == "criteria";
}

ReadCall MakeReadCall(const std::string& rpc, const std::shared_ptr<grpc::Channel>& channel,
                      std::function<void(grpc::ClientContext&)> prepare) {
  namespace v1 = lims::v1;
  if (rpc == "history") {
    std::shared_ptr<v1::SampleService::Stub> stub = v1::SampleService::NewStub(channel);
    return [stub, prepare](const std::string& key) {
      grpc::ClientContext context;
      prepare(context);
      v1::GetSampleHistoryRequest request;
      v1::GetSampleHistoryResponse response;
      request.set_barcode(key);
      return stub->GetSampleHistory(&context, request, &response);
    };
  }
  if (rpc == "box") {
    std::shared_ptr<v1::StorageService::Stub> stub = v1::StorageService::NewStub(channel);
    return [stub, prepare](const std::string& key) {
      grpc::ClientContext context;
      prepare(context);
      v1::GetBoxContentsRequest request;
      v1::GetBoxContentsResponse response;
      request.set_box_id(key);
      return stub->GetBoxContents(&context, request, &response);
    };
  }
  if (rpc == "completeness") {
    std::shared_ptr<v1::RegistryService::Stub> stub = v1::RegistryService::NewStub(channel);
    return [stub, prepare](const std::string& key) {
      grpc::ClientContext context;
      prepare(context);
      v1::GetCompletenessRequest request;
      v1::GetCompletenessResponse response;
      request.set_protocol_code(key);
      request.set_page_size(50);
      return stub->GetCompleteness(&context, request, &response);
    };
  }
  std::shared_ptr<v1::RequestService::Stub> stub = v1::RequestService::NewStub(channel);
  return [stub, prepare](const std::string& key) {
    grpc::ClientContext context;
    prepare(context);
    std::istringstream fields(key);
    std::string protocol, timepoint, type, site;
    fields >> protocol >> timepoint >> type >> site;
    v1::PreviewRequestRequest request;
    v1::PreviewRequestResponse response;
    v1::Criteria& criteria = *request.mutable_criteria();
    criteria.add_protocol_codes(protocol);
    criteria.add_timepoint_codes(timepoint);
    criteria.add_sample_types(type);
    criteria.add_site_codes(site);
    criteria.set_max_per_patient_timepoint(1);
    return stub->PreviewRequest(&context, request, &response);
  };
}

}  // namespace lims_bench
