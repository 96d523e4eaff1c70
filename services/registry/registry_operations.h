// Registry use cases on domain types, inside the caller's transaction: load, apply the core
// rules, save, audit. Plain functions, testable without gRPC.
#ifndef LIMS_SERVICES_REGISTRY_REGISTRY_OPERATIONS_H_
#define LIMS_SERVICES_REGISTRY_REGISTRY_OPERATIONS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "call_context.h"
#include "lims/core/domain.h"
#include "lims/db/database.h"
#include "paging.h"

namespace lims::services {

// ALREADY_EXISTS for a taken code.
absl::StatusOr<Site> AddSite(db::Tx& tx, const CallContext& call, Site site);

struct NewPatient {
  std::string registry_id;
  std::string site_code;
};
// NOT_FOUND for an unknown site, ALREADY_EXISTS for a registered registry id.
absl::StatusOr<Patient> RegisterPatient(db::Tx& tx, const CallContext& call,
                                        const NewPatient& request);
// Validates the schedule (unique timepoint codes, windows, kits); ALREADY_EXISTS for a taken code.
absl::StatusOr<Protocol> DefineProtocol(db::Tx& tx, const CallContext& call, Protocol protocol);

struct ProtocolExtension {
  std::string protocol_code;
  std::vector<Timepoint> timepoints;
};
// Appends new timepoints; ALREADY_EXISTS for a code the protocol has (existing timepoints never
// change: that would silently change the meaning of their samples).
absl::StatusOr<Protocol> ExtendProtocol(db::Tx& tx, const CallContext& call,
                                        const ProtocolExtension& request);

struct NewEnrollment {
  int64_t patient_id = 0;
  std::string protocol_code;
  absl::CivilDay anchor_date;
};
// ALREADY_EXISTS when the patient is already enrolled in the protocol.
absl::StatusOr<Enrollment> EnrollInProtocol(db::Tx& tx, const CallContext& call,
                                            const NewEnrollment& request);

// --- reads ---

// Every site (site codes are not secret: users pick them).
absl::StatusOr<std::vector<Site>> ListSitePage(db::Tx& tx, const Page& page);

// By id or by registry id (one of them).

struct PatientQuery {
  int64_t id = 0;
  std::string registry_id;
};

struct PatientRecord {
  Patient patient;
  std::vector<Enrollment> enrollments;
};
// PERMISSION_DENIED, naming the patient as the caller did, when it is another site's.
absl::StatusOr<PatientRecord> LookUpPatient(db::Tx& tx, const CallContext& call,
                                            const PatientQuery& query);

// The patients of one site ("" = every site of the caller).
absl::StatusOr<VisiblePage<Patient>> ListPatientPage(db::Tx& tx, const CallContext& call,
                                                     const std::string& site_code,
                                                     const Page& page);

absl::StatusOr<Protocol> LookUpProtocol(db::Tx& tx, const std::string& code);
absl::StatusOr<std::vector<Protocol>> ListProtocolPage(db::Tx& tx, const Page& page);

struct EnrollmentsQuery {
  int64_t patient_id = 0;     // 0: any
  std::string protocol_code;  // "": any
};
absl::StatusOr<VisiblePage<Enrollment>> ListEnrollmentPage(db::Tx& tx, const CallContext& call,
                                                           const EnrollmentsQuery& query,
                                                           const Page& page);

}  // namespace lims::services

#endif  // LIMS_SERVICES_REGISTRY_REGISTRY_OPERATIONS_H_
