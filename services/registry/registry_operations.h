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

namespace lims::services {

// ALREADY_EXISTS for a taken code.
absl::StatusOr<Site> CreateSite(db::Tx& tx, const CallContext& call, Site site);
// NOT_FOUND for an unknown site, ALREADY_EXISTS for a registered registry id.
absl::StatusOr<Patient> CreatePatient(db::Tx& tx, const CallContext& call,
                                      const std::string& registry_id,
                                      const std::string& site_code);
// Validates the schedule (unique timepoint codes, windows, kits); ALREADY_EXISTS for a taken code.
absl::StatusOr<Protocol> CreateProtocol(db::Tx& tx, const CallContext& call, Protocol protocol);
// Appends new timepoints; ALREADY_EXISTS for a code the protocol has (existing timepoints never
// change: that would silently change the meaning of their samples).
absl::StatusOr<Protocol> AddProtocolTimepoints(db::Tx& tx, const CallContext& call,
                                               const std::string& protocol_code,
                                               std::vector<Timepoint> timepoints);
// ALREADY_EXISTS when the patient is already enrolled in the protocol.
absl::StatusOr<Enrollment> EnrollPatient(db::Tx& tx, const CallContext& call, int64_t patient_id,
                                         const std::string& protocol_code,
                                         absl::CivilDay anchor_date);

}  // namespace lims::services

#endif  // LIMS_SERVICES_REGISTRY_REGISTRY_OPERATIONS_H_
