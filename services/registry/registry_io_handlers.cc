// RegistryService: the registry CSV import and the FHIR export (protobuf in and out only).
#include "absl/strings/str_cat.h"
#include "call_gate.h"
#include "fhir_export.h"
#include "registry_import.h"
#include "registry_service.h"
#include "status_macros.h"

namespace lims::services {

grpc::Status RegistryService::ImportRegistryCsv(grpc::ServerContext* context,
                                                const v1::ImportRegistryCsvRequest* request,
                                                v1::ImportRegistryCsvResponse* response) {
  return gate_.Mutate(
      *context, "lims.v1.RegistryService.ImportRegistryCsv", *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::ImportRegistryCsvResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(
            ImportReport report,
            services::ImportRegistryRows(tx, call, {request->csv(), request->dry_run()}));
        out->set_rows_read(report.rows_read);
        out->set_rows_accepted(report.rows_accepted);
        out->set_patients_created(report.patients_created);
        out->set_enrollments_created(report.enrollments_created);
        out->set_enrollments_updated(report.enrollments_updated);
        out->set_error_count(report.errors.count());
        out->set_dry_run(request->dry_run());
        for (ImportError& error : report.errors.listed()) {
          v1::CsvError* e = out->add_errors();
          e->set_line(error.line);
          e->set_message(std::move(error.message));
        }
        return absl::OkStatus();
      });
}

grpc::Status RegistryService::ExportFhir(grpc::ServerContext* context,
                                         const v1::ExportFhirRequest* request,
                                         v1::ExportFhirResponse* response) {
  return gate_.Query(
      *context, "lims.v1.RegistryService.ExportFhir", response,
      [&](db::Tx& tx, const CallContext& call, v1::ExportFhirResponse* out) -> absl::Status {
        FhirFilter filter;
        filter.protocol_code = request->protocol_code();
        filter.site_code = request->site_code();
        LIMS_ASSIGN_OR_RETURN(FhirExport result, services::BuildFhirBundle(tx, call, filter));
        out->set_bundle_json(std::move(result.bundle_json));
        out->set_specimen_count(result.specimen_count);
        out->set_withheld_count(result.withheld_count);
        return absl::OkStatus();
      });
}

}  // namespace lims::services
