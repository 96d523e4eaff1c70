// lims.v1.RegistryService: protobuf in, registry_operations, protobuf out. No rules here.
#ifndef LIMS_SERVICES_REGISTRY_REGISTRY_SERVICE_H_
#define LIMS_SERVICES_REGISTRY_REGISTRY_SERVICE_H_

#include "call_gate.h"
#include "lims/v1/registry.grpc.pb.h"

namespace lims::services {

class RegistryService final : public v1::RegistryService::Service {
 public:
  explicit RegistryService(CallGate& gate) : gate_(gate) {}

  grpc::Status CreateSite(grpc::ServerContext* context, const v1::CreateSiteRequest* request,
                          v1::CreateSiteResponse* response) override;
  grpc::Status ListSites(grpc::ServerContext* context, const v1::ListSitesRequest* request,
                         v1::ListSitesResponse* response) override;
  grpc::Status CreatePatient(grpc::ServerContext* context, const v1::CreatePatientRequest* request,
                             v1::CreatePatientResponse* response) override;
  grpc::Status GetPatient(grpc::ServerContext* context, const v1::GetPatientRequest* request,
                          v1::GetPatientResponse* response) override;
  grpc::Status ListPatients(grpc::ServerContext* context, const v1::ListPatientsRequest* request,
                            v1::ListPatientsResponse* response) override;
  grpc::Status CreateProtocol(grpc::ServerContext* context,
                              const v1::CreateProtocolRequest* request,
                              v1::CreateProtocolResponse* response) override;
  grpc::Status GetProtocol(grpc::ServerContext* context, const v1::GetProtocolRequest* request,
                           v1::GetProtocolResponse* response) override;
  grpc::Status AddProtocolTimepoints(grpc::ServerContext* context,
                                     const v1::AddProtocolTimepointsRequest* request,
                                     v1::AddProtocolTimepointsResponse* response) override;
  grpc::Status ListProtocols(grpc::ServerContext* context, const v1::ListProtocolsRequest* request,
                             v1::ListProtocolsResponse* response) override;
  grpc::Status EnrollPatient(grpc::ServerContext* context, const v1::EnrollPatientRequest* request,
                             v1::EnrollPatientResponse* response) override;
  grpc::Status ListEnrollments(grpc::ServerContext* context,
                               const v1::ListEnrollmentsRequest* request,
                               v1::ListEnrollmentsResponse* response) override;
  // registry_io_handlers.cc
  grpc::Status ImportRegistryCsv(grpc::ServerContext* context,
                                 const v1::ImportRegistryCsvRequest* request,
                                 v1::ImportRegistryCsvResponse* response) override;
  grpc::Status ExportFhir(grpc::ServerContext* context, const v1::ExportFhirRequest* request,
                          v1::ExportFhirResponse* response) override;
  // completeness_handlers.cc
  grpc::Status GetCompleteness(grpc::ServerContext* context,
                               const v1::GetCompletenessRequest* request,
                               v1::GetCompletenessResponse* response) override;
  grpc::Status ListDueTimepoints(grpc::ServerContext* context,
                                 const v1::ListDueTimepointsRequest* request,
                                 v1::ListDueTimepointsResponse* response) override;
  // consent_handlers.cc
  grpc::Status RecordConsent(grpc::ServerContext* context, const v1::RecordConsentRequest* request,
                             v1::RecordConsentResponse* response) override;
  grpc::Status WithdrawConsent(grpc::ServerContext* context,
                               const v1::WithdrawConsentRequest* request,
                               v1::WithdrawConsentResponse* response) override;
  grpc::Status GetConsent(grpc::ServerContext* context, const v1::GetConsentRequest* request,
                          v1::GetConsentResponse* response) override;

 private:
  CallGate& gate_;
};

}  // namespace lims::services

#endif  // LIMS_SERVICES_REGISTRY_REGISTRY_SERVICE_H_
