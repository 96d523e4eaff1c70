#include "consent_operations.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "audit.h"
#include "consent_effects.h"
#include "lims/core/timepoint_window.h"
#include "lims/db/consents.h"
#include "lims/db/patients.h"
#include "status_macros.h"
#include "text_fields.h"

namespace lims::services {
namespace {

std::string StateJson(const ConsentState& state, absl::CivilDay as_of) {
  nlohmann::json granted = nlohmann::json::array();
  for (const ScopeState& s : state.granted) {
    granted.push_back({{"scope", std::string(ConsentScopeName(s.scope))},
                       {"since", FormatIsoDate(s.since)},
                       {"version", s.form_version}});
  }
  nlohmann::json withdrawn = nlohmann::json::array();
  for (ConsentScope scope : state.withdrawn) withdrawn.push_back(std::string(ConsentScopeName(scope)));
  return nlohmann::json({{"as_of", FormatIsoDate(as_of)},
                         {"granted", granted},
                         {"withdrawn", withdrawn}})
      .dump();
}

std::string ScopeList(const std::set<ConsentScope>& scopes) {
  std::vector<std::string> names;
  for (ConsentScope scope : scopes) names.emplace_back(ConsentScopeName(scope));
  return absl::StrJoin(names, ", ");
}

// The patient, once the caller is known to work at the patient's site.
absl::StatusOr<Patient> LoadPatient(db::Tx& tx, const CallContext& call, int64_t patient_id) {
  LIMS_ASSIGN_OR_RETURN(Patient patient, db::PatientRepository(tx).FindById(patient_id));
  LIMS_RETURN_IF_ERROR(RequireSite(call.principal, patient.site_id,
                                   absl::StrCat("patient ", patient_id)));
  return patient;
}

absl::StatusOr<PatientConsentView> View(db::Tx& tx, absl::CivilDay as_of, Patient patient) {
  PatientConsentView view;
  view.as_of = as_of;
  LIMS_ASSIGN_OR_RETURN(view.history, db::ConsentRepository(tx).ListForPatient(patient.id));
  view.state = CurrentConsent(view.history, view.as_of);
  view.patient = std::move(patient);
  return view;
}

// Appends one event per scope and audits the change of state.
absl::StatusOr<PatientConsentView> Append(db::Tx& tx, const CallContext& call,
                                          PatientConsentView before,
                                          const std::set<ConsentScope>& scopes,
                                          ConsentEvent templ, const std::string& action,
                                          const std::string& details) {
  db::ConsentRepository consents(tx);
  templ.recorded_by = call.actor;
  templ.recorded_at_micros = absl::ToUnixMicros(call.now);
  for (ConsentScope scope : scopes) {
    ConsentEvent event = templ;
    event.scope = scope;
    LIMS_RETURN_IF_ERROR(consents.Append(before.patient.id, event));
  }
  const std::string before_json = StateJson(before.state, before.as_of);
  LIMS_ASSIGN_OR_RETURN(PatientConsentView after, View(tx, Today(call), before.patient));
  LIMS_RETURN_IF_ERROR(Audit(tx, call,
                             AuditEntry(action, "patient", after.patient.registry_id)
                                 .Details(details)
                                 .Before(before_json)
                                 .After(StateJson(after.state, after.as_of))
                                 .Reason(templ.reason)));
  return after;
}

}  // namespace

absl::CivilDay Today(const CallContext& call) {
  return absl::ToCivilDay(call.now, absl::UTCTimeZone());
}

absl::StatusOr<PatientConsentView> AddConsentRecord(db::Tx& tx, const CallContext& call,
                                                    const ConsentForm& request) {
  const int64_t patient_id = request.patient_id;
  const std::set<ConsentScope>& scopes = request.scopes;
  const absl::CivilDay signed_on = request.signed_on;
  const std::string& version = request.version;
  LIMS_RETURN_IF_ERROR(CheckText(version, "version", 64, true));
  LIMS_RETURN_IF_ERROR(ValidateConsentGrant(scopes, signed_on, version, Today(call)));
  LIMS_ASSIGN_OR_RETURN(Patient patient, LoadPatient(tx, call, patient_id));
  LIMS_ASSIGN_OR_RETURN(PatientConsentView before, View(tx, Today(call), std::move(patient)));
  ConsentEvent grant;
  grant.action = ConsentAction::kGrant;
  grant.effective_on = signed_on;
  grant.form_version = version;
  const std::string details =
      absl::StrCat("consent ", version, " signed ", FormatIsoDate(signed_on), ": ",
                   ScopeList(scopes));
  return Append(tx, call, std::move(before), scopes, grant, "consent.recorded", details);
}

absl::StatusOr<PatientConsentView> WithdrawConsentScopes(db::Tx& tx, const CallContext& call,
                                                         const ConsentWithdrawal& request) {
  const int64_t patient_id = request.patient_id;
  const std::set<ConsentScope>& scopes = request.scopes;
  const absl::CivilDay withdrawn_on = request.withdrawn_on;
  const std::string& reason = request.reason;
  LIMS_RETURN_IF_ERROR(CheckText(reason, "reason", 1000, true));
  LIMS_ASSIGN_OR_RETURN(Patient patient, LoadPatient(tx, call, patient_id));
  // An approval deciding on this patient's consent finishes first, or sees this withdrawal.
  LIMS_RETURN_IF_ERROR(db::PatientRepository(tx).Lock({patient.id}, /*exclusive=*/true));
  LIMS_ASSIGN_OR_RETURN(PatientConsentView before, View(tx, Today(call), std::move(patient)));
  LIMS_RETURN_IF_ERROR(
      ValidateConsentWithdrawal(before.history, scopes, withdrawn_on, reason, Today(call)));
  std::set<ConsentScope> withdrawn = scopes;
  if (withdrawn.empty()) {
    for (const ScopeState& s : CurrentConsent(before.history, withdrawn_on).granted) {
      withdrawn.insert(s.scope);
    }
  }
  ConsentEvent withdrawal;
  withdrawal.action = ConsentAction::kWithdraw;
  withdrawal.effective_on = withdrawn_on;
  withdrawal.reason = reason;
  const std::string details = absl::StrCat("consent withdrawn from ", FormatIsoDate(withdrawn_on),
                                           ": ", ScopeList(withdrawn));
  LIMS_ASSIGN_OR_RETURN(PatientConsentView after, Append(tx, call, std::move(before), withdrawn,
                                                         withdrawal, "consent.withdrawn", details));
  // Withdrawals are never dated in the future (ValidateConsentWithdrawal): in force now.
  LIMS_ASSIGN_OR_RETURN(after.tubes_taken_off_requests,
                        ReleaseWithdrawnReservations(tx, call, after.patient, withdrawn));
  return after;
}

absl::StatusOr<PatientConsentView> LookUpConsent(db::Tx& tx, const CallContext& call,
                                                 const ConsentQuery& request) {
  const int64_t patient_id = request.patient_id;
  const absl::CivilDay as_of = request.as_of;
  LIMS_ASSIGN_OR_RETURN(Patient patient, LoadPatient(tx, call, patient_id));
  return View(tx, as_of, std::move(patient));
}

}  // namespace lims::services
