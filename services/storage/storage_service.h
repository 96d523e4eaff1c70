// lims.v1.StorageService: protobuf in, storage_operations / repositories, protobuf out.
#ifndef LIMS_SERVICES_STORAGE_STORAGE_SERVICE_H_
#define LIMS_SERVICES_STORAGE_STORAGE_SERVICE_H_

#include "call_gate.h"
#include "lims/v1/storage.grpc.pb.h"

namespace lims::services {

class StorageService final : public v1::StorageService::Service {
 public:
  explicit StorageService(CallGate& gate) : gate_(gate) {}

  grpc::Status CreateStorageUnit(grpc::ServerContext* context,
                                 const v1::CreateStorageUnitRequest* request,
                                 v1::CreateStorageUnitResponse* response) override;
  grpc::Status GetStorageUnit(grpc::ServerContext* context,
                              const v1::GetStorageUnitRequest* request,
                              v1::GetStorageUnitResponse* response) override;
  grpc::Status ListStorageUnits(grpc::ServerContext* context,
                                const v1::ListStorageUnitsRequest* request,
                                v1::ListStorageUnitsResponse* response) override;
  grpc::Status PlaceSample(grpc::ServerContext* context, const v1::PlaceSampleRequest* request,
                           v1::PlaceSampleResponse* response) override;
  grpc::Status MoveSample(grpc::ServerContext* context, const v1::MoveSampleRequest* request,
                          v1::MoveSampleResponse* response) override;
  grpc::Status RetrieveSample(grpc::ServerContext* context,
                              const v1::RetrieveSampleRequest* request,
                              v1::RetrieveSampleResponse* response) override;
  grpc::Status ReturnSample(grpc::ServerContext* context, const v1::ReturnSampleRequest* request,
                            v1::ReturnSampleResponse* response) override;
  grpc::Status GetBoxContents(grpc::ServerContext* context,
                              const v1::GetBoxContentsRequest* request,
                              v1::GetBoxContentsResponse* response) override;
  grpc::Status UpdateStorageUnit(grpc::ServerContext* context,
                                 const v1::UpdateStorageUnitRequest* request,
                                 v1::UpdateStorageUnitResponse* response) override;
  grpc::Status MoveStorageUnit(grpc::ServerContext* context,
                               const v1::MoveStorageUnitRequest* request,
                               v1::MoveStorageUnitResponse* response) override;
  grpc::Status GetLocationHistory(grpc::ServerContext* context,
                                  const v1::GetLocationHistoryRequest* request,
                                  v1::GetLocationHistoryResponse* response) override;
  grpc::Status GetCapacity(grpc::ServerContext* context, const v1::GetCapacityRequest* request,
                           v1::GetCapacityResponse* response) override;
  grpc::Status FindFreePositions(grpc::ServerContext* context,
                                 const v1::FindFreePositionsRequest* request,
                                 v1::FindFreePositionsResponse* response) override;

 private:
  CallGate& gate_;
};

}  // namespace lims::services

#endif  // LIMS_SERVICES_STORAGE_STORAGE_SERVICE_H_
