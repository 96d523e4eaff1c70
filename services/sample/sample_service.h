// lims.v1.SampleService: protobuf in, sample_operations / repositories, protobuf out.
#ifndef LIMS_SERVICES_SAMPLE_SAMPLE_SERVICE_H_
#define LIMS_SERVICES_SAMPLE_SAMPLE_SERVICE_H_

#include "call_gate.h"
#include "lims/v1/sample.grpc.pb.h"

namespace lims::services {

class SampleService final : public v1::SampleService::Service {
 public:
  explicit SampleService(CallGate& gate) : gate_(gate) {}

  grpc::Status CollectSample(grpc::ServerContext* context, const v1::CollectSampleRequest* request,
                             v1::CollectSampleResponse* response) override;
  grpc::Status DeriveSamples(grpc::ServerContext* context, const v1::DeriveSamplesRequest* request,
                             v1::DeriveSamplesResponse* response) override;
  grpc::Status GetSample(grpc::ServerContext* context, const v1::GetSampleRequest* request,
                         v1::GetSampleResponse* response) override;
  grpc::Status ResolveBarcode(grpc::ServerContext* context,
                              const v1::ResolveBarcodeRequest* request,
                              v1::ResolveBarcodeResponse* response) override;
  grpc::Status GetSampleHistory(grpc::ServerContext* context,
                                const v1::GetSampleHistoryRequest* request,
                                v1::GetSampleHistoryResponse* response) override;
  grpc::Status RecordLifecycleEvent(grpc::ServerContext* context,
                                    const v1::RecordLifecycleEventRequest* request,
                                    v1::RecordLifecycleEventResponse* response) override;
  grpc::Status SetSampleSprec(grpc::ServerContext* context,
                              const v1::SetSampleSprecRequest* request,
                              v1::SetSampleSprecResponse* response) override;
  grpc::Status ListSamples(grpc::ServerContext* context, const v1::ListSamplesRequest* request,
                           v1::ListSamplesResponse* response) override;
  grpc::Status ImportSamplesCsv(grpc::ServerContext* context,
                                grpc::ServerReader<v1::ImportSamplesCsvRequest>* reader,
                                v1::ImportSamplesCsvResponse* response) override;

 private:
  CallGate& gate_;
};

}  // namespace lims::services

#endif  // LIMS_SERVICES_SAMPLE_SAMPLE_SERVICE_H_
