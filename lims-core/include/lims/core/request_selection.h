// Researcher requests in the domain: the criteria, which tubes are eligible and which of them
// a request gets. Pure: the database finds the candidates, this decides.
//
// Eligible: stored and not reserved; quantity at least the minimum (same kind of unit);
// consent in force on the day of the request covers every required scope (withdrawn or never
// given excludes); and, by default, never the last remaining tube of a patient-timepoint-type.
// Among eligible tubes: at most N per patient-timepoint, fewer freeze-thaw cycles first, then
// tubes from boxes that give more tubes (fewer boxes to open).
#ifndef LIMS_CORE_REQUEST_SELECTION_H_
#define LIMS_CORE_REQUEST_SELECTION_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/status/status.h"
#include "lims/core/consent.h"
#include "lims/core/quantity.h"
#include "lims/core/sample_lifecycle.h"

namespace lims {

struct RequestCriteria {
  std::vector<std::string> protocol_codes;
  std::vector<std::string> timepoint_codes;
  std::vector<std::string> sample_types;
  std::vector<std::string> site_codes;
  std::optional<Quantity> min_quantity;
  int max_per_patient_timepoint = 0;  // 0: no limit
  // Research use needs kResearch; it is required whether listed or not.
  std::vector<ConsentScope> required_consent_scopes;
  // Retention rule: keep the last remaining tube of each patient-timepoint-type.
  bool keep_last_tube = true;
  // Temperature exposure: leave out tubes exposed for longer than this many minutes in all, or
  // that saw a temperature above this (excursions' peaks); unset = no limit.
  std::optional<double> max_exposure_minutes;
  std::optional<double> max_exposure_celsius;
};

// InvalidArgument, saying which field: no protocol given, a negative limit, a zero minimum.
absl::Status ValidateCriteria(const RequestCriteria& criteria);

// The required scopes with kResearch added, in enum order, without repeats.
std::vector<ConsentScope> RequiredScopes(const RequestCriteria& criteria);

// A tube the database found for the criteria' protocols, timepoints, types and sites. The
// timepoint and the sample type are the caller's small numbers for them (equal numbers, same
// timepoint or type): a broad query weighs hundreds of thousands of tubes, and comparing numbers
// instead of texts is most of what keeps it fast.
struct CandidateTube {
  int64_t sample_id = 0;
  int64_t patient_id = 0;
  int timepoint = 0;
  int sample_type = 0;
  Quantity quantity;
  SampleStatus status = SampleStatus::kStored;
  int freeze_thaw_count = 0;
  int64_t box_id = 0;  // 0: not in a box
  bool reserved = false;
  // Stored, unreserved tubes of this patient, timepoint and type (whatever their quantity):
  // what remains of that patient-timepoint-type.
  int remaining_in_group = 0;
  // Its temperature excursions: minutes in all, and the warmest peak (unset: none).
  double exposure_minutes = 0;
  std::optional<double> exposure_peak;
};

struct Selection {
  std::vector<int64_t> sample_ids;   // in the order chosen
  std::vector<int64_t> patient_ids;  // the patient of each of sample_ids
  int patients = 0;
  std::map<int, int> by_timepoint;  // CandidateTube::timepoint -> tubes selected
  // Why the others were left out: "reserved", "not stored", "quantity", "consent",
  // "temperature exposure", "retention", "per patient-timepoint limit".
  std::map<std::string, int> excluded;
};

// `consent`: each candidate patient's consent on the day of the request (a patient missing from
// it never gave any).
Selection SelectTubes(const std::vector<CandidateTube>& candidates,
                      const std::unordered_map<int64_t, ConsentState>& consent,
                      const RequestCriteria& criteria);

// Sets every tube's remaining_in_group: the stored, unreserved tubes among `tubes` of its
// patient, timepoint and type.
void CountRemainingInGroups(std::vector<CandidateTube>& tubes);

}  // namespace lims

#endif  // LIMS_CORE_REQUEST_SELECTION_H_
