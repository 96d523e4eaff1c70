#include "registry_operations.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "audit.h"
#include "lims/core/access.h"
#include "lims/core/sample_id.h"
#include "lims/core/sample_rules.h"
#include "lims/core/timepoint_window.h"
#include "lims/db/enrollments.h"
#include "lims/db/patients.h"
#include "lims/db/protocols.h"
#include "lims/db/sites.h"
#include "status_macros.h"
#include "text_fields.h"

namespace lims::services {
namespace {

absl::Status CheckSchedule(const Protocol& protocol) {
  if (protocol.timepoints.empty()) {
    return absl::InvalidArgumentError("timepoints: a protocol needs at least one timepoint");
  }
  std::set<std::string> seen;
  for (const Timepoint& tp : protocol.timepoints) {
    const std::string field = absl::StrCat("timepoint ", tp.code);
    LIMS_RETURN_IF_ERROR(ValidateTimepointCode(tp.code));
    if (!seen.insert(tp.code).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("timepoint code ", tp.code, " appears twice; codes must be unique"));
    }
    if (absl::Status s = ValidateWindow(tp.window_before_days, tp.window_after_days); !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(field, ": ", s.message()));
    }
    if (tp.offset_days < -3650 || tp.offset_days > 36500) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": offset_days must be between -3650 and 36500"));
    }
    LIMS_RETURN_IF_ERROR(CheckText(tp.name, field + " name", 200, false));
    for (const ExpectedSample& kit : tp.expected_samples) {
      if (absl::Status s = ValidateSampleType(kit.sample_type); !s.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(field, ": ", s.message()));
      }
      if (kit.count < 1 || kit.count > 100) {
        return absl::InvalidArgumentError(
            absl::StrCat(field, ": expected count of ", kit.sample_type, " must be 1..100"));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Site> AddSite(db::Tx& tx, const CallContext& call, Site site) {
  LIMS_RETURN_IF_ERROR(ValidateSiteCode(site.code));
  LIMS_RETURN_IF_ERROR(CheckText(site.name, "name", 200, true));
  db::SiteRepository sites(tx);
  auto existing = sites.FindByCode(site.code);
  if (existing.ok()) {
    return absl::AlreadyExistsError(
        absl::StrCat("site ", site.code, " already exists (", existing->name, ")"));
  }
  if (!absl::IsNotFound(existing.status())) return existing.status();
  LIMS_RETURN_IF_ERROR(sites.Insert(site, call.now));
  LIMS_RETURN_IF_ERROR(Audit(tx, call,
                             AuditEntry("site.created", "site", site.code)
                                 .Details(absl::StrCat("site ", site.code, " created"))
                                 .After(SnapshotJson(site))));
  return site;
}

absl::StatusOr<Patient> RegisterPatient(db::Tx& tx, const CallContext& call,
                                        const NewPatient& request) {
  const std::string& registry_id = request.registry_id;
  const std::string& site_code = request.site_code;
  LIMS_RETURN_IF_ERROR(CheckCode(registry_id, "registry_id", 64));
  auto site = db::SiteRepository(tx).FindByCode(site_code);
  if (!site.ok()) return site.status();
  LIMS_RETURN_IF_ERROR(RequireSite(call.principal, site->id, absl::StrCat("site ", site->code)));
  db::PatientRepository patients(tx);
  auto existing = patients.FindByRegistryId(registry_id);
  if (existing.ok()) {
    return absl::AlreadyExistsError(absl::StrCat("patient ", registry_id,
                                                 " is already registered (id ", existing->id,
                                                 ", site ", existing->site_code, ")"));
  }
  if (!absl::IsNotFound(existing.status())) return existing.status();
  Patient patient;
  patient.registry_id = registry_id;
  patient.site_id = site->id;
  patient.site_code = site->code;
  LIMS_RETURN_IF_ERROR(patients.Insert(patient, call.now));
  LIMS_RETURN_IF_ERROR(
      Audit(tx, call,
            AuditEntry("patient.created", "patient", registry_id)
                .Details(absl::StrCat("patient ", registry_id, " registered at ", site->code))
                .After(SnapshotJson(patient))));
  return patient;
}

absl::StatusOr<Protocol> DefineProtocol(db::Tx& tx, const CallContext& call, Protocol protocol) {
  LIMS_RETURN_IF_ERROR(CheckCode(protocol.code, "code", 32));
  LIMS_RETURN_IF_ERROR(CheckText(protocol.name, "name", 200, true));
  LIMS_RETURN_IF_ERROR(CheckSchedule(protocol));
  db::ProtocolRepository protocols(tx);
  auto existing = protocols.FindByCode(protocol.code);
  if (existing.ok()) {
    return absl::AlreadyExistsError(absl::StrCat("protocol ", protocol.code, " already exists"));
  }
  if (!absl::IsNotFound(existing.status())) return existing.status();
  LIMS_RETURN_IF_ERROR(protocols.Insert(protocol, call.now));
  LIMS_RETURN_IF_ERROR(Audit(tx, call,
                             AuditEntry("protocol.created", "protocol", protocol.code)
                                 .Details(absl::StrCat("protocol ", protocol.code, " with ",
                                                       protocol.timepoints.size(), " timepoints"))
                                 .After(SnapshotJson(protocol))));
  return protocol;
}

absl::StatusOr<Protocol> ExtendProtocol(db::Tx& tx, const CallContext& call,
                                        const ProtocolExtension& request) {
  const std::string& protocol_code = request.protocol_code;
  std::vector<Timepoint> timepoints = request.timepoints;
  if (timepoints.empty()) return absl::InvalidArgumentError("timepoints: give at least one");
  db::ProtocolRepository protocols(tx);
  LIMS_ASSIGN_OR_RETURN(Protocol protocol, protocols.FindByCode(protocol_code));
  const Protocol before = protocol;
  for (const Timepoint& tp : timepoints) {
    for (const Timepoint& existing : protocol.timepoints) {
      if (existing.code == tp.code) {
        return absl::AlreadyExistsError(absl::StrCat(
            "timepoint ", tp.code, " already exists in ", protocol.code,
            "; existing timepoints never change (their samples would change meaning): define a "
            "new protocol version with its own code, e.g. ",
            protocol.code, "-V2"));
      }
    }
  }
  // The whole schedule must stay valid (unique codes, windows, kits).
  Protocol after = protocol;
  after.timepoints.insert(after.timepoints.end(), timepoints.begin(), timepoints.end());
  LIMS_RETURN_IF_ERROR(CheckSchedule(after));
  LIMS_RETURN_IF_ERROR(protocols.AddTimepoints(protocol, timepoints));
  LIMS_ASSIGN_OR_RETURN(protocol, protocols.FindByCode(protocol_code));
  LIMS_RETURN_IF_ERROR(Audit(tx, call,
                             AuditEntry("protocol.timepoints_added", "protocol", protocol.code)
                                 .Details(absl::StrCat(timepoints.size(), " timepoint(s) added"))
                                 .Before(SnapshotJson(before))
                                 .After(SnapshotJson(protocol))));
  return protocol;
}

absl::StatusOr<Enrollment> EnrollInProtocol(db::Tx& tx, const CallContext& call,
                                            const NewEnrollment& request) {
  const int64_t patient_id = request.patient_id;
  const std::string& protocol_code = request.protocol_code;
  const absl::CivilDay anchor_date = request.anchor_date;
  auto patient = db::PatientRepository(tx).FindById(patient_id);
  if (!patient.ok()) return patient.status();
  LIMS_RETURN_IF_ERROR(
      RequireSite(call.principal, patient->site_id, absl::StrCat("patient ", patient_id)));
  auto protocol = db::ProtocolRepository(tx).FindByCode(protocol_code);
  if (!protocol.ok()) return protocol.status();
  db::EnrollmentRepository enrollments(tx);
  auto existing = enrollments.FindByPatientAndProtocol(patient->id, protocol->id);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    return absl::AlreadyExistsError(absl::StrCat(
        "patient ", patient->registry_id, " is already enrolled in ", protocol_code,
        " (enrollment ", (*existing)->id, ", anchor ", FormatIsoDate((*existing)->anchor_date), ")"));
  }
  Enrollment enrollment;
  enrollment.patient_id = patient->id;
  enrollment.protocol_id = protocol->id;
  enrollment.anchor_date = anchor_date;
  enrollment.protocol_code = protocol->code;
  enrollment.patient_registry_id = patient->registry_id;
  enrollment.site_id = patient->site_id;
  LIMS_RETURN_IF_ERROR(enrollments.Insert(enrollment, call.now));
  LIMS_RETURN_IF_ERROR(Audit(tx, call,
                             AuditEntry("patient.enrolled", "patient", patient->registry_id)
                                 .Details(absl::StrCat("enrolled in ", protocol_code, ", anchor ",
                                                       FormatIsoDate(anchor_date)))
                                 .After(SnapshotJson(enrollment))));
  return enrollment;
}

absl::StatusOr<std::vector<Site>> ListSitePage(db::Tx& tx, const Page& page) {
  return db::SiteRepository(tx).List(page.after_id, page.size);
}

absl::StatusOr<PatientRecord> LookUpPatient(db::Tx& tx, const CallContext& call,
                                            const PatientQuery& query) {
  db::PatientRepository patients(tx);
  absl::StatusOr<Patient> patient =
      absl::InvalidArgumentError("give the patient's id or registry_id");
  if (query.id != 0) {
    patient = patients.FindById(query.id);
  } else if (!query.registry_id.empty()) {
    patient = patients.FindByRegistryId(query.registry_id);
  }
  if (!patient.ok()) return patient.status();
  // Named as the caller named it: another site's registry ids are not theirs to learn.
  LIMS_RETURN_IF_ERROR(RequireSite(
      call.principal, patient->site_id,
      absl::StrCat("patient ", query.id != 0 ? std::to_string(query.id) : query.registry_id)));
  PatientRecord out;
  LIMS_ASSIGN_OR_RETURN(out.enrollments,
                        db::EnrollmentRepository(tx).List(patient->id, 0, 0, kMaxPageSize));
  out.patient = *std::move(patient);
  return out;
}

absl::StatusOr<VisiblePage<Patient>> ListPatientPage(db::Tx& tx, const CallContext& call,
                                                     const std::string& site_code,
                                                     const Page& page) {
  int64_t site_id = 0;
  if (!site_code.empty()) {
    LIMS_ASSIGN_OR_RETURN(Site site, db::SiteRepository(tx).FindByCode(site_code));
    LIMS_RETURN_IF_ERROR(RequireSite(call.principal, site.id, "site " + site.code));
    site_id = site.id;
  }
  LIMS_ASSIGN_OR_RETURN(auto rows,
                        db::PatientRepository(tx).List(site_id, page.after_id, page.size));
  return Visible(std::move(rows),
                 [&](const Patient& p) { return CanAccessSite(call.principal, p.site_id); });
}

absl::StatusOr<Protocol> LookUpProtocol(db::Tx& tx, const std::string& code) {
  if (code.empty()) return absl::InvalidArgumentError("code is required");
  return db::ProtocolRepository(tx).FindByCode(code);
}

absl::StatusOr<std::vector<Protocol>> ListProtocolPage(db::Tx& tx, const Page& page) {
  return db::ProtocolRepository(tx).List(page.after_id, page.size);
}

absl::StatusOr<VisiblePage<Enrollment>> ListEnrollmentPage(db::Tx& tx, const CallContext& call,
                                                           const EnrollmentsQuery& query,
                                                           const Page& page) {
  int64_t protocol_id = 0;
  if (!query.protocol_code.empty()) {
    LIMS_ASSIGN_OR_RETURN(Protocol protocol,
                          db::ProtocolRepository(tx).FindByCode(query.protocol_code));
    protocol_id = protocol.id;
  }
  LIMS_ASSIGN_OR_RETURN(auto rows, db::EnrollmentRepository(tx).List(query.patient_id, protocol_id,
                                                                     page.after_id, page.size));
  return Visible(std::move(rows),
                 [&](const Enrollment& e) { return CanAccessSite(call.principal, e.site_id); });
}

}  // namespace lims::services
