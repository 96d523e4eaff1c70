// lims.v1.ShipmentService: protobuf in, shipment_operations, protobuf out.
#ifndef LIMS_SERVICES_SHIPMENT_SHIPMENT_SERVICE_H_
#define LIMS_SERVICES_SHIPMENT_SHIPMENT_SERVICE_H_

#include "call_gate.h"
#include "lims/v1/shipment.grpc.pb.h"
#include "signing.h"

namespace lims::services {

class ShipmentService final : public v1::ShipmentService::Service {
 public:
  // `key` signs the manifests this installation dispatches; it outlives the service.
  ShipmentService(CallGate& gate, const SigningKey& key) : gate_(gate), key_(key) {}

  grpc::Status CreateShipment(grpc::ServerContext* context, const v1::CreateShipmentRequest* request,
                              v1::CreateShipmentResponse* response) override;
  grpc::Status GetShipment(grpc::ServerContext* context, const v1::GetShipmentRequest* request,
                           v1::GetShipmentResponse* response) override;
  grpc::Status ListShipments(grpc::ServerContext* context, const v1::ListShipmentsRequest* request,
                             v1::ListShipmentsResponse* response) override;
  grpc::Status AddShipmentItems(grpc::ServerContext* context,
                                const v1::AddShipmentItemsRequest* request,
                                v1::AddShipmentItemsResponse* response) override;
  grpc::Status DispatchShipment(grpc::ServerContext* context,
                                const v1::DispatchShipmentRequest* request,
                                v1::DispatchShipmentResponse* response) override;
  grpc::Status ExportManifest(grpc::ServerContext* context, const v1::ExportManifestRequest* request,
                              v1::ExportManifestResponse* response) override;
  grpc::Status ImportManifest(grpc::ServerContext* context, const v1::ImportManifestRequest* request,
                              v1::ImportManifestResponse* response) override;
  grpc::Status ReceiveShipment(grpc::ServerContext* context,
                               const v1::ReceiveShipmentRequest* request,
                               v1::ReceiveShipmentResponse* response) override;
  grpc::Status ResolveDiscrepancy(grpc::ServerContext* context,
                                  const v1::ResolveDiscrepancyRequest* request,
                                  v1::ResolveDiscrepancyResponse* response) override;
  grpc::Status CloseShipment(grpc::ServerContext* context, const v1::CloseShipmentRequest* request,
                             v1::CloseShipmentResponse* response) override;
  grpc::Status GetSigningKey(grpc::ServerContext* context, const v1::GetSigningKeyRequest* request,
                             v1::GetSigningKeyResponse* response) override;
  grpc::Status AddTrustedKey(grpc::ServerContext* context, const v1::AddTrustedKeyRequest* request,
                             v1::AddTrustedKeyResponse* response) override;
  grpc::Status RevokeTrustedKey(grpc::ServerContext* context,
                                const v1::RevokeTrustedKeyRequest* request,
                                v1::RevokeTrustedKeyResponse* response) override;
  grpc::Status ListTrustedKeys(grpc::ServerContext* context,
                               const v1::ListTrustedKeysRequest* request,
                               v1::ListTrustedKeysResponse* response) override;

 private:
  CallGate& gate_;
  const SigningKey& key_;
};

}  // namespace lims::services

#endif  // LIMS_SERVICES_SHIPMENT_SHIPMENT_SERVICE_H_
