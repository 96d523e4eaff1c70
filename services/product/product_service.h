// lims.v1.ProductService: protobuf in, product_operations, protobuf out.
#ifndef LIMS_SERVICES_PRODUCT_PRODUCT_SERVICE_H_
#define LIMS_SERVICES_PRODUCT_PRODUCT_SERVICE_H_

#include "call_gate.h"
#include "lims/v1/product.grpc.pb.h"

namespace lims::services {

class ProductService final : public v1::ProductService::Service {
 public:
  explicit ProductService(CallGate& gate) : gate_(gate) {}

  grpc::Status RegisterProduct(grpc::ServerContext* context,
                               const v1::RegisterProductRequest* request,
                               v1::RegisterProductResponse* response) override;
  grpc::Status RecordCustodyEvent(grpc::ServerContext* context,
                                  const v1::RecordCustodyEventRequest* request,
                                  v1::RecordCustodyEventResponse* response) override;
  grpc::Status IssueProduct(grpc::ServerContext* context, const v1::IssueProductRequest* request,
                            v1::IssueProductResponse* response) override;
  grpc::Status ConfirmIssue(grpc::ServerContext* context, const v1::ConfirmIssueRequest* request,
                            v1::ConfirmIssueResponse* response) override;
  grpc::Status RecordInfusion(grpc::ServerContext* context,
                              const v1::RecordInfusionRequest* request,
                              v1::RecordInfusionResponse* response) override;
  grpc::Status GetChainOfIdentity(grpc::ServerContext* context,
                                  const v1::GetChainOfIdentityRequest* request,
                                  v1::GetChainOfIdentityResponse* response) override;
  grpc::Status DeriveProductSamples(grpc::ServerContext* context,
                                    const v1::DeriveProductSamplesRequest* request,
                                    v1::DeriveProductSamplesResponse* response) override;
  grpc::Status ListProducts(grpc::ServerContext* context, const v1::ListProductsRequest* request,
                            v1::ListProductsResponse* response) override;

 private:
  CallGate& gate_;
};

}  // namespace lims::services

#endif  // LIMS_SERVICES_PRODUCT_PRODUCT_SERVICE_H_
