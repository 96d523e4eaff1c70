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

namespace {

using Prepare = std::function<void(grpc::ClientContext&)>;

// A unary call of `method` on a stub of `Service`, its request filled from the key by `fill`.
template <typename Service, typename Request, typename Response, typename Fill>
ReadCall Unary(const std::shared_ptr<grpc::Channel>& channel, Prepare prepare,
               grpc::Status (Service::Stub::*method)(grpc::ClientContext*, const Request&,
                                                     Response*),
               Fill fill) {
  std::shared_ptr<typename Service::Stub> stub = Service::NewStub(channel);
  return [stub, prepare, method, fill](const std::string& key) {
    grpc::ClientContext context;
    prepare(context);
    Request request;
    Response response;
    fill(key, request);
    return ((*stub).*method)(&context, request, &response);
  };
}

}  // namespace

ReadCall MakeReadCall(const std::string& rpc, const std::shared_ptr<grpc::Channel>& channel,
                      Prepare prepare) {
  namespace v1 = lims::v1;
  if (rpc == "history") {
    return Unary<v1::SampleService>(
        channel, prepare, &v1::SampleService::Stub::GetSampleHistory,
        [](const std::string& key, v1::GetSampleHistoryRequest& r) { r.set_barcode(key); });
  }
  if (rpc == "box") {
    return Unary<v1::StorageService>(
        channel, prepare, &v1::StorageService::Stub::GetBoxContents,
        [](const std::string& key, v1::GetBoxContentsRequest& r) { r.set_box_id(key); });
  }
  if (rpc == "completeness") {
    return Unary<v1::RegistryService>(channel, prepare, &v1::RegistryService::Stub::GetCompleteness,
                                      [](const std::string& key, v1::GetCompletenessRequest& r) {
                                        r.set_protocol_code(key);
                                        r.set_page_size(50);
                                      });
  }
  return Unary<v1::RequestService>(channel, prepare, &v1::RequestService::Stub::PreviewRequest,
                                   [](const std::string& key, v1::PreviewRequestRequest& r) {
                                     std::istringstream fields(key);
                                     std::string protocol, timepoint, type, site;
                                     fields >> protocol >> timepoint >> type >> site;
                                     v1::Criteria& criteria = *r.mutable_criteria();
                                     criteria.add_protocol_codes(protocol);
                                     criteria.add_timepoint_codes(timepoint);
                                     criteria.add_sample_types(type);
                                     criteria.add_site_codes(site);
                                     criteria.set_max_per_patient_timepoint(1);
                                   });
}

}  // namespace lims_bench
