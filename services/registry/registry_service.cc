#include "registry_service.h"

#include "absl/strings/str_cat.h"
#include "call_gate.h"
#include "convert.h"
#include "lims/core/timepoint_window.h"
#include "paging.h"
#include "registry_operations.h"
#include "status_macros.h"

namespace lims::services {
namespace {

Timepoint FromProto(const v1::Timepoint& t) {
  Timepoint tp;
  tp.code = t.code();
  tp.name = t.name();
  tp.offset_days = t.offset_days();
  tp.window_before_days = t.window_before_days();
  tp.window_after_days = t.window_after_days();
  for (const v1::ExpectedSample& e : t.expected_samples()) {
    tp.expected_samples.push_back({e.sample_type(), e.count()});
  }
  return tp;
}

Protocol FromProto(const v1::CreateProtocolRequest& request) {
  Protocol protocol;
  protocol.code = request.code();
  protocol.name = request.name();
  for (const v1::Timepoint& t : request.timepoints()) protocol.timepoints.push_back(FromProto(t));
  return protocol;
}

}  // namespace

grpc::Status RegistryService::CreateSite(grpc::ServerContext* context,
                                         const v1::CreateSiteRequest* request,
                                         v1::CreateSiteResponse* response) {
  return gate_.Mutate(
      *context, "lims.v1.RegistryService.CreateSite", *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::CreateSiteResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(Site site,
                              services::AddSite(tx, call, {0, request->code(), request->name()}));
        *out->mutable_site() = ToProto(site);
        return absl::OkStatus();
      });
}

grpc::Status RegistryService::ListSites(grpc::ServerContext* context, const v1::ListSitesRequest* request,
                                        v1::ListSitesResponse* response) {
  return gate_.Query(
      *context, "lims.v1.RegistryService.ListSites", response,
      [&](db::Tx& tx, const CallContext&, v1::ListSitesResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(Page page, ParsePage(request->page_size(), request->page_token()));
        LIMS_ASSIGN_OR_RETURN(auto sites, ListSitePage(tx, page));
        for (const Site& site : sites) *out->add_sites() = ToProto(site);
        if (!sites.empty()) {
          out->set_next_page_token(NextPageToken(page, sites.size(), sites.back().id));
        }
        return absl::OkStatus();
      });
}

grpc::Status RegistryService::CreatePatient(grpc::ServerContext* context,
                                            const v1::CreatePatientRequest* request,
                                            v1::CreatePatientResponse* response) {
  return gate_.Mutate(
      *context, "lims.v1.RegistryService.CreatePatient", *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::CreatePatientResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(
            Patient patient,
            services::RegisterPatient(tx, call, {request->registry_id(), request->site_code()}));
        *out->mutable_patient() = ToProto(patient);
        return absl::OkStatus();
      });
}

grpc::Status RegistryService::GetPatient(grpc::ServerContext* context, const v1::GetPatientRequest* request,
                                         v1::GetPatientResponse* response) {
  return gate_.Query(
      *context, "lims.v1.RegistryService.GetPatient", response,
      [&](db::Tx& tx, const CallContext& call, v1::GetPatientResponse* out) -> absl::Status {
        PatientQuery query{0, request->registry_id()};
        if (!request->id().empty()) {
          LIMS_ASSIGN_OR_RETURN(query.id, ParseId(request->id(), "id"));
        }
        LIMS_ASSIGN_OR_RETURN(PatientRecord record, LookUpPatient(tx, call, query));
        *out->mutable_patient() = ToProto(record.patient);
        for (const Enrollment& e : record.enrollments) *out->add_enrollments() = ToProto(e);
        return absl::OkStatus();
      });
}

grpc::Status RegistryService::ListPatients(grpc::ServerContext* context,
                                           const v1::ListPatientsRequest* request,
                                           v1::ListPatientsResponse* response) {
  return gate_.Query(
      *context, "lims.v1.RegistryService.ListPatients", response,
      [&](db::Tx& tx, const CallContext& call, v1::ListPatientsResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(Page page, ParsePage(request->page_size(), request->page_token()));
        LIMS_ASSIGN_OR_RETURN(auto patients, ListPatientPage(tx, call, request->site_code(), page));
        for (const Patient& p : patients.visible) *out->add_patients() = ToProto(p);
        out->set_next_page_token(patients.NextToken(page));
        return absl::OkStatus();
      });
}

grpc::Status RegistryService::CreateProtocol(grpc::ServerContext* context,
                                             const v1::CreateProtocolRequest* request,
                                             v1::CreateProtocolResponse* response) {
  return gate_.Mutate(
      *context, "lims.v1.RegistryService.CreateProtocol", *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::CreateProtocolResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(Protocol protocol,
                              services::DefineProtocol(tx, call, FromProto(*request)));
        *out->mutable_protocol() = ToProto(protocol);
        return absl::OkStatus();
      });
}

grpc::Status RegistryService::GetProtocol(grpc::ServerContext* context,
                                          const v1::GetProtocolRequest* request,
                                          v1::GetProtocolResponse* response) {
  return gate_.Query(
      *context, "lims.v1.RegistryService.GetProtocol", response,
      [&](db::Tx& tx, const CallContext&, v1::GetProtocolResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(Protocol protocol, LookUpProtocol(tx, request->code()));
        *out->mutable_protocol() = ToProto(protocol);
        return absl::OkStatus();
      });
}

grpc::Status RegistryService::AddProtocolTimepoints(
    grpc::ServerContext* context, const v1::AddProtocolTimepointsRequest* request,
    v1::AddProtocolTimepointsResponse* response) {
  return gate_.Mutate(
      *context, "lims.v1.RegistryService.AddProtocolTimepoints", *request, response,
      [&](db::Tx& tx, const CallContext& call,
          v1::AddProtocolTimepointsResponse* out) -> absl::Status {
        std::vector<Timepoint> timepoints;
        for (const v1::Timepoint& t : request->timepoints()) timepoints.push_back(FromProto(t));
        LIMS_ASSIGN_OR_RETURN(
            Protocol protocol,
            services::ExtendProtocol(tx, call, {request->protocol_code(), std::move(timepoints)}));
        *out->mutable_protocol() = ToProto(protocol);
        return absl::OkStatus();
      });
}

grpc::Status RegistryService::ListProtocols(grpc::ServerContext* context,
                                            const v1::ListProtocolsRequest* request,
                                            v1::ListProtocolsResponse* response) {
  return gate_.Query(
      *context, "lims.v1.RegistryService.ListProtocols", response,
      [&](db::Tx& tx, const CallContext&, v1::ListProtocolsResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(Page page, ParsePage(request->page_size(), request->page_token()));
        LIMS_ASSIGN_OR_RETURN(auto protocols, ListProtocolPage(tx, page));
        for (const Protocol& p : protocols) *out->add_protocols() = ToProto(p);
        if (!protocols.empty()) {
          out->set_next_page_token(NextPageToken(page, protocols.size(), protocols.back().id));
        }
        return absl::OkStatus();
      });
}

grpc::Status RegistryService::EnrollPatient(grpc::ServerContext* context,
                                            const v1::EnrollPatientRequest* request,
                                            v1::EnrollPatientResponse* response) {
  return gate_.Mutate(
      *context, "lims.v1.RegistryService.EnrollPatient", *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::EnrollPatientResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(int64_t patient_id, ParseId(request->patient_id(), "patient_id"));
        LIMS_ASSIGN_OR_RETURN(absl::CivilDay anchor, ParseIsoDate(request->anchor_date()));
        LIMS_ASSIGN_OR_RETURN(
            Enrollment enrollment,
            services::EnrollInProtocol(tx, call, {patient_id, request->protocol_code(), anchor}));
        *out->mutable_enrollment() = ToProto(enrollment);
        return absl::OkStatus();
      });
}

grpc::Status RegistryService::ListEnrollments(grpc::ServerContext* context,
                                              const v1::ListEnrollmentsRequest* request,
                                              v1::ListEnrollmentsResponse* response) {
  return gate_.Query(
      *context, "lims.v1.RegistryService.ListEnrollments", response,
      [&](db::Tx& tx, const CallContext& call, v1::ListEnrollmentsResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(Page page, ParsePage(request->page_size(), request->page_token()));
        EnrollmentsQuery query{0, request->protocol_code()};
        if (!request->patient_id().empty()) {
          LIMS_ASSIGN_OR_RETURN(query.patient_id, ParseId(request->patient_id(), "patient_id"));
        }
        LIMS_ASSIGN_OR_RETURN(auto enrollments, ListEnrollmentPage(tx, call, query, page));
        for (const Enrollment& e : enrollments.visible) *out->add_enrollments() = ToProto(e);
        out->set_next_page_token(enrollments.NextToken(page));
        return absl::OkStatus();
      });
}

}  // namespace lims::services
