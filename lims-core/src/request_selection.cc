#include "lims/core/request_selection.h"

#include <algorithm>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <tuple>

#include "absl/strings/str_cat.h"

namespace lims {

absl::Status ValidateCriteria(const RequestCriteria& criteria) {
  if (criteria.protocol_codes.empty()) {
    return absl::InvalidArgumentError(
        "criteria.protocol_codes is empty: name at least one protocol the samples come from");
  }
  if (criteria.max_per_patient_timepoint < 0) {
    return absl::InvalidArgumentError(
        "criteria.max_per_patient_timepoint is negative: give 0 (no limit) or more");
  }
  if (criteria.min_quantity && criteria.min_quantity->is_zero()) {
    return absl::InvalidArgumentError(
        "criteria.min_quantity is zero: leave it out, or give the least a tube must hold");
  }
  return absl::OkStatus();
}

std::vector<ConsentScope> RequiredScopes(const RequestCriteria& criteria) {
  std::set<ConsentScope> scopes(criteria.required_consent_scopes.begin(),
                                criteria.required_consent_scopes.end());
  scopes.insert(ConsentScope::kResearch);
  return {scopes.begin(), scopes.end()};
}

Selection SelectTubes(const std::vector<CandidateTube>& candidates, const RequestCriteria& criteria) {
  Selection out;
  const std::vector<ConsentScope> scopes = RequiredScopes(criteria);
  // Small integer keys instead of strings: a criteria query may weigh a hundred thousand tubes.
  std::unordered_map<std::string, int> timepoint_index, type_index;
  auto index = [](std::unordered_map<std::string, int>& names, const std::string& name) {
    return names.emplace(name, static_cast<int>(names.size())).first->second;
  };
  struct Eligible {
    const CandidateTube* tube;
    int timepoint, type, box_tubes = 0;
  };
  std::vector<Eligible> eligible;
  std::unordered_map<int64_t, int> per_box;
  for (const CandidateTube& t : candidates) {
    if (t.status != SampleStatus::kStored) {
      ++out.excluded["not stored"];
    } else if (t.reserved) {
      ++out.excluded["reserved"];
    } else if (criteria.min_quantity &&
               (t.quantity.dimension() != criteria.min_quantity->dimension() ||
                t.quantity.canonical_amount() < criteria.min_quantity->canonical_amount())) {
      ++out.excluded["quantity"];
    } else if (!t.consent.CoversAll(scopes)) {
      ++out.excluded["consent"];
    } else {
      eligible.push_back({&t, index(timepoint_index, t.timepoint_code), index(type_index, t.sample_type)});
      ++per_box[t.box_id];
    }
  }
  // Fewer thaws first, then tubes of boxes holding more eligible tubes (fewer boxes to open).
  for (Eligible& e : eligible) e.box_tubes = per_box[e.tube->box_id];
  std::sort(eligible.begin(), eligible.end(), [](const Eligible& a, const Eligible& b) {
    return std::make_tuple(a.tube->freeze_thaw_count, -a.box_tubes, a.tube->box_id, a.tube->sample_id) <
           std::make_tuple(b.tube->freeze_thaw_count, -b.box_tubes, b.tube->box_id, b.tube->sample_id);
  });
  // (patient, timepoint, type) and (patient, timepoint) packed into one integer each.
  const int64_t types = static_cast<int64_t>(type_index.size()) + 1;
  const int64_t timepoints = static_cast<int64_t>(timepoint_index.size()) + 1;
  std::unordered_map<int64_t, int> taken_in_group, taken_per_patient_timepoint;
  std::unordered_set<int64_t> patients;
  std::vector<int> per_timepoint(timepoint_index.size(), 0);
  for (const Eligible& e : eligible) {
    const CandidateTube& t = *e.tube;
    const int64_t patient_timepoint = t.patient_id * timepoints + e.timepoint;
    int& group = taken_in_group[patient_timepoint * types + e.type];
    if (criteria.keep_last_tube && group + 1 >= t.remaining_in_group) {
      ++out.excluded["retention"];
      continue;
    }
    int& per_pt = taken_per_patient_timepoint[patient_timepoint];
    if (criteria.max_per_patient_timepoint > 0 && per_pt >= criteria.max_per_patient_timepoint) {
      ++out.excluded["per patient-timepoint limit"];
      continue;
    }
    ++group;
    ++per_pt;
    out.sample_ids.push_back(t.sample_id);
    patients.insert(t.patient_id);
    ++per_timepoint[e.timepoint];
  }
  for (const auto& [code, i] : timepoint_index) {
    if (per_timepoint[i] > 0) out.by_timepoint[code] = per_timepoint[i];
  }
  out.patients = static_cast<int>(patients.size());
  return out;
}

}  // namespace lims
