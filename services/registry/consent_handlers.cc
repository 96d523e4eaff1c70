// RegistryService consent calls: protobuf in, consent_operations, protobuf out.
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "consent_operations.h"
#include "convert.h"
#include "lims/core/timepoint_window.h"
#include "registry_service.h"
#include "status_macros.h"

namespace lims::services {
namespace {

static_assert(static_cast<int>(ConsentScope::kStorage) == v1::CONSENT_SCOPE_STORAGE &&
                  static_cast<int>(ConsentScope::kCommercial) == v1::CONSENT_SCOPE_COMMERCIAL,
              "lims::ConsentScope follows lims.v1.ConsentScope");

absl::StatusOr<std::set<ConsentScope>> ScopesFromProto(
    const google::protobuf::RepeatedField<int>& scopes) {
  std::set<ConsentScope> out;
  for (int value : scopes) {
    if (value < v1::CONSENT_SCOPE_STORAGE || value > v1::CONSENT_SCOPE_COMMERCIAL) {
      return absl::InvalidArgumentError(absl::StrCat(
          "scopes: unknown consent scope ", value,
          " (CONSENT_SCOPE_STORAGE, _RESEARCH, _GENETIC, _SHARING_OUTSIDE_EU, _COMMERCIAL)"));
    }
    out.insert(static_cast<ConsentScope>(value));
  }
  return out;
}

absl::StatusOr<absl::CivilDay> DateField(const std::string& text, const char* field) {
  auto day = ParseIsoDate(text);
  if (!day.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": ", day.status().message()));
  }
  return *day;
}

v1::ConsentScope ToProto(ConsentScope scope) {
  return static_cast<v1::ConsentScope>(static_cast<int>(scope));
}

void ToProto(const PatientConsentView& view, v1::PatientConsent* out) {
  out->set_patient_id(absl::StrCat(view.patient.id));
  out->set_patient_registry_id(view.patient.registry_id);
  out->set_as_of(FormatIsoDate(view.as_of));
  for (const ScopeState& s : view.state.granted) {
    v1::GrantedConsentScope* granted = out->add_granted();
    granted->set_scope(ToProto(s.scope));
    granted->set_since(FormatIsoDate(s.since));
    granted->set_version(s.form_version);
  }
  for (ConsentScope scope : view.state.withdrawn) out->add_withdrawn_scopes(ToProto(scope));
  for (const ConsentEvent& e : view.history) {
    v1::ConsentEvent* event = out->add_history();
    event->set_scope(ToProto(e.scope));
    event->set_withdrawn(e.action == ConsentAction::kWithdraw);
    event->set_effective_on(FormatIsoDate(e.effective_on));
    event->set_version(e.form_version);
    event->set_reason(e.reason);
    event->set_recorded_by(e.recorded_by);
    event->set_recorded_at(absl::FormatTime(absl::RFC3339_sec,
                                            absl::FromUnixMicros(e.recorded_at_micros),
                                            absl::UTCTimeZone()));
  }
}

}  // namespace

grpc::Status RegistryService::RecordConsent(grpc::ServerContext* context,
                                            const v1::RecordConsentRequest* request,
                                            v1::RecordConsentResponse* response) {
  return gate_.Mutate(
      *context, "lims.v1.RegistryService.RecordConsent", *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::RecordConsentResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(int64_t patient_id, ParseId(request->patient_id(), "patient_id"));
        LIMS_ASSIGN_OR_RETURN(auto scopes, ScopesFromProto(request->scopes()));
        LIMS_ASSIGN_OR_RETURN(absl::CivilDay signed_on,
                              DateField(request->signed_on(), "signed_on"));
        LIMS_ASSIGN_OR_RETURN(PatientConsentView view,
                              services::AddConsentRecord(
                                  tx, call, {patient_id, scopes, signed_on, request->version()}));
        ToProto(view, out->mutable_consent());
        return absl::OkStatus();
      });
}

grpc::Status RegistryService::WithdrawConsent(grpc::ServerContext* context,
                                              const v1::WithdrawConsentRequest* request,
                                              v1::WithdrawConsentResponse* response) {
  return gate_.Mutate(
      *context, "lims.v1.RegistryService.WithdrawConsent", *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::WithdrawConsentResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(int64_t patient_id, ParseId(request->patient_id(), "patient_id"));
        LIMS_ASSIGN_OR_RETURN(auto scopes, ScopesFromProto(request->scopes()));
        LIMS_ASSIGN_OR_RETURN(absl::CivilDay withdrawn_on,
                              DateField(request->withdrawn_on(), "withdrawn_on"));
        LIMS_ASSIGN_OR_RETURN(PatientConsentView view,
                              services::WithdrawConsentScopes(
                                  tx, call, {patient_id, scopes, withdrawn_on, request->reason()}));
        ToProto(view, out->mutable_consent());
        out->set_tubes_taken_off_requests(view.tubes_taken_off_requests);
        return absl::OkStatus();
      });
}

grpc::Status RegistryService::GetConsent(grpc::ServerContext* context,
                                         const v1::GetConsentRequest* request,
                                         v1::GetConsentResponse* response) {
  return gate_.Query(
      *context, "lims.v1.RegistryService.GetConsent", response,
      [&](db::Tx& tx, const CallContext& call, v1::GetConsentResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(int64_t patient_id, ParseId(request->patient_id(), "patient_id"));
        absl::CivilDay as_of = Today(call);
        if (!request->as_of().empty()) {
          LIMS_ASSIGN_OR_RETURN(as_of, DateField(request->as_of(), "as_of"));
        }
        LIMS_ASSIGN_OR_RETURN(PatientConsentView view,
                              services::LookUpConsent(tx, call, {patient_id, as_of}));
        ToProto(view, out->mutable_consent());
        return absl::OkStatus();
      });
}

}  // namespace lims::services
