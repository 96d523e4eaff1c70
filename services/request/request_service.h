// lims.v1.RequestService: protobuf in, request_operations, protobuf out.
#ifndef LIMS_SERVICES_REQUEST_REQUEST_SERVICE_H_
#define LIMS_SERVICES_REQUEST_REQUEST_SERVICE_H_

#include "call_gate.h"
#include "lims/v1/request.grpc.pb.h"

namespace lims::services {

class RequestService final : public v1::RequestService::Service {
 public:
  explicit RequestService(CallGate& gate) : gate_(gate) {}

  grpc::Status PreviewRequest(grpc::ServerContext* context, const v1::PreviewRequestRequest* request,
                              v1::PreviewRequestResponse* response) override;
  grpc::Status SubmitRequest(grpc::ServerContext* context, const v1::SubmitRequestRequest* request,
                             v1::SubmitRequestResponse* response) override;
  grpc::Status ApproveRequest(grpc::ServerContext* context, const v1::ApproveRequestRequest* request,
                              v1::ApproveRequestResponse* response) override;
  grpc::Status RejectRequest(grpc::ServerContext* context, const v1::RejectRequestRequest* request,
                             v1::RejectRequestResponse* response) override;
  grpc::Status GetSampleRequest(grpc::ServerContext* context,
                                const v1::GetSampleRequestRequest* request,
                                v1::GetSampleRequestResponse* response) override;
  grpc::Status ListSampleRequests(grpc::ServerContext* context,
                                  const v1::ListSampleRequestsRequest* request,
                                  v1::ListSampleRequestsResponse* response) override;
  grpc::Status GetPickList(grpc::ServerContext* context, const v1::GetPickListRequest* request,
                           v1::GetPickListResponse* response) override;
  grpc::Status PickTube(grpc::ServerContext* context, const v1::PickTubeRequest* request,
                        v1::PickTubeResponse* response) override;
  grpc::Status ShipRequest(grpc::ServerContext* context, const v1::ShipRequestRequest* request,
                           v1::ShipRequestResponse* response) override;

 private:
  CallGate& gate_;
};

}  // namespace lims::services

#endif  // LIMS_SERVICES_REQUEST_REQUEST_SERVICE_H_
