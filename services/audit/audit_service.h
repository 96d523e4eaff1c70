// lims.v1.AuditService: the audit trail for managers and inspectors — listing, verifying the
// hash chain, and a streamed CSV export. Read-only: nothing here writes.
#ifndef LIMS_SERVICES_AUDIT_AUDIT_SERVICE_H_
#define LIMS_SERVICES_AUDIT_AUDIT_SERVICE_H_

#include "call_gate.h"
#include "lims/v1/audit.grpc.pb.h"

namespace lims::services {

class AuditService final : public v1::AuditService::Service {
 public:
  explicit AuditService(CallGate& gate) : gate_(gate) {}

  grpc::Status ListAuditEvents(grpc::ServerContext* context,
                               const v1::ListAuditEventsRequest* request,
                               v1::ListAuditEventsResponse* response) override;
  grpc::Status VerifyAuditChain(grpc::ServerContext* context,
                                const v1::VerifyAuditChainRequest* request,
                                v1::VerifyAuditChainResponse* response) override;
  grpc::Status ExportAuditCsv(grpc::ServerContext* context,
                              const v1::ExportAuditCsvRequest* request,
                              grpc::ServerWriter<v1::ExportAuditCsvResponse>* writer) override;

 private:
  CallGate& gate_;
};

}  // namespace lims::services

#endif  // LIMS_SERVICES_AUDIT_AUDIT_SERVICE_H_
