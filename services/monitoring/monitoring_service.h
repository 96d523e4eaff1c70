// lims.v1.MonitoringService: freezer temperatures in (CSV exports, a bridge's batches), the
// excursions found in them with the tubes each reached, and the managers' investigations.
#ifndef LIMS_SERVICES_MONITORING_MONITORING_SERVICE_H_
#define LIMS_SERVICES_MONITORING_MONITORING_SERVICE_H_

#include "absl/time/time.h"
#include "call_gate.h"
#include "lims/v1/monitoring.grpc.pb.h"

namespace lims::services {

class MonitoringService final : public v1::MonitoringService::Service {
 public:
  // Raw readings older than `raw_retention` are dropped (their hourly figures stay).
  MonitoringService(CallGate& gate, absl::Duration raw_retention)
      : gate_(gate), raw_retention_(raw_retention) {}

  grpc::Status ImportReadingsCsv(grpc::ServerContext* context,
                                 const v1::ImportReadingsCsvRequest* request,
                                 v1::ImportReadingsCsvResponse* response) override;
  grpc::Status PushReadings(grpc::ServerContext* context, const v1::PushReadingsRequest* request,
                            v1::PushReadingsResponse* response) override;
  grpc::Status ListExcursions(grpc::ServerContext* context,
                              const v1::ListExcursionsRequest* request,
                              v1::ListExcursionsResponse* response) override;
  grpc::Status GetExcursion(grpc::ServerContext* context, const v1::GetExcursionRequest* request,
                            v1::GetExcursionResponse* response) override;
  grpc::Status AcknowledgeExcursion(grpc::ServerContext* context,
                                    const v1::AcknowledgeExcursionRequest* request,
                                    v1::AcknowledgeExcursionResponse* response) override;
  grpc::Status GetTemperatures(grpc::ServerContext* context,
                               const v1::GetTemperaturesRequest* request,
                               v1::GetTemperaturesResponse* response) override;
  grpc::Status PlanEvacuation(grpc::ServerContext* context,
                              const v1::PlanEvacuationRequest* request,
                              v1::PlanEvacuationResponse* response) override;
  grpc::Status GetEvacuationPlan(grpc::ServerContext* context,
                                 const v1::GetEvacuationPlanRequest* request,
                                 v1::GetEvacuationPlanResponse* response) override;
  grpc::Status RecordEvacuationMove(grpc::ServerContext* context,
                                    const v1::RecordEvacuationMoveRequest* request,
                                    v1::RecordEvacuationMoveResponse* response) override;

 private:
  CallGate& gate_;
  absl::Duration raw_retention_;
};

}  // namespace lims::services

#endif  // LIMS_SERVICES_MONITORING_MONITORING_SERVICE_H_
