#include "registry_service.h"

#include "absl/strings/str_cat.h"
#include "convert.h"
#include "lims/core/timepoint_window.h"
#include "lims/db/enrollments.h"
#include "lims/db/patients.h"
#include "lims/db/protocols.h"
#include "lims/db/sites.h"
#include "call_gate.h"
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
                              services::CreateSite(tx, call, {0, request->code(), request->name()}));
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
        LIMS_ASSIGN_OR_RETURN(auto sites, db::SiteRepository(tx).List(page.after_id, page.size));
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
            services::CreatePatient(tx, call, request->registry_id(), request->site_code()));
        *out->mutable_patient() = ToProto(patient);
        return absl::OkStatus();
      });
}

grpc::Status RegistryService::GetPatient(grpc::ServerContext* context, const v1::GetPatientRequest* request,
                                         v1::GetPatientResponse* response) {
  return gate_.Query(
      *context, "lims.v1.RegistryService.GetPatient", response,
      [&](db::Tx& tx, const CallContext& call, v1::GetPatientResponse* out) -> absl::Status {
        db::PatientRepository patients(tx);
        absl::StatusOr<Patient> patient;
        if (!request->id().empty()) {
          LIMS_ASSIGN_OR_RETURN(int64_t id, ParseId(request->id(), "id"));
          patient = patients.FindById(id);
        } else if (!request->registry_id().empty()) {
          patient = patients.FindByRegistryId(request->registry_id());
        } else {
          return absl::InvalidArgumentError("give the patient's id or registry_id");
        }
        if (!patient.ok()) return patient.status();
        // Named as the caller named it: another site's registry ids are not theirs to learn.
        LIMS_RETURN_IF_ERROR(RequireSite(
            call.principal, patient->site_id,
            absl::StrCat("patient ", request->id().empty() ? request->registry_id()
                                                           : request->id())));
        *out->mutable_patient() = ToProto(*patient);
        LIMS_ASSIGN_OR_RETURN(auto enrollments,
                              db::EnrollmentRepository(tx).List(patient->id, 0, 0, kMaxPageSize));
        for (const Enrollment& e : enrollments) *out->add_enrollments() = ToProto(e);
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
        int64_t site_id = 0;
        if (!request->site_code().empty()) {
          LIMS_ASSIGN_OR_RETURN(Site site, db::SiteRepository(tx).FindByCode(request->site_code()));
          LIMS_RETURN_IF_ERROR(RequireSite(call.principal, site.id, "site " + site.code));
          site_id = site.id;
        }
        LIMS_ASSIGN_OR_RETURN(auto patients,
                              db::PatientRepository(tx).List(site_id, page.after_id, page.size));
        // Other sites' patients are left out; the page token still follows the rows read.
        for (const Patient& p : patients) {
          if (CanAccessSite(call.principal, p.site_id)) *out->add_patients() = ToProto(p);
        }
        if (!patients.empty()) {
          out->set_next_page_token(NextPageToken(page, patients.size(), patients.back().id));
        }
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
                              services::CreateProtocol(tx, call, FromProto(*request)));
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
        if (request->code().empty()) return absl::InvalidArgumentError("code is required");
        LIMS_ASSIGN_OR_RETURN(Protocol protocol,
                              db::ProtocolRepository(tx).FindByCode(request->code()));
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
        LIMS_ASSIGN_OR_RETURN(Protocol protocol,
                              services::AddProtocolTimepoints(tx, call, request->protocol_code(),
                                                              std::move(timepoints)));
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
        LIMS_ASSIGN_OR_RETURN(auto protocols,
                              db::ProtocolRepository(tx).List(page.after_id, page.size));
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
        LIMS_ASSIGN_OR_RETURN(Enrollment enrollment,
                              services::EnrollPatient(tx, call, patient_id,
                                                      request->protocol_code(), anchor));
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
        int64_t patient_id = 0, protocol_id = 0;
        if (!request->patient_id().empty()) {
          LIMS_ASSIGN_OR_RETURN(patient_id, ParseId(request->patient_id(), "patient_id"));
        }
        if (!request->protocol_code().empty()) {
          LIMS_ASSIGN_OR_RETURN(Protocol protocol,
                                db::ProtocolRepository(tx).FindByCode(request->protocol_code()));
          protocol_id = protocol.id;
        }
        LIMS_ASSIGN_OR_RETURN(auto enrollments, db::EnrollmentRepository(tx).List(
                                                    patient_id, protocol_id, page.after_id,
                                                    page.size));
        for (const Enrollment& e : enrollments) {
          if (CanAccessSite(call.principal, e.site_id)) *out->add_enrollments() = ToProto(e);
        }
        if (!enrollments.empty()) {
          out->set_next_page_token(NextPageToken(page, enrollments.size(), enrollments.back().id));
        }
        return absl::OkStatus();
      });
}

}  // namespace lims::services
