#include "lims/core/request_selection.h"

#include <algorithm>
#include <set>
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
  std::vector<const CandidateTube*> eligible;
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
      eligible.push_back(&t);
    }
  }
  // Fewer boxes to open: tubes of boxes holding more eligible tubes first (after freeze-thaw).
  std::map<int64_t, int> per_box;
  for (const CandidateTube* t : eligible) ++per_box[t->box_id];
  std::sort(eligible.begin(), eligible.end(), [&](const CandidateTube* a, const CandidateTube* b) {
    return std::make_tuple(a->freeze_thaw_count, -per_box[a->box_id], a->box_id, a->sample_id) <
           std::make_tuple(b->freeze_thaw_count, -per_box[b->box_id], b->box_id, b->sample_id);
  });
  std::map<std::tuple<int64_t, std::string, std::string>, int> taken_in_group;
  std::map<std::pair<int64_t, std::string>, int> taken_per_patient_timepoint;
  std::set<int64_t> patients;
  for (const CandidateTube* t : eligible) {
    int& group = taken_in_group[{t->patient_id, t->timepoint_code, t->sample_type}];
    if (criteria.keep_last_tube && group + 1 >= t->remaining_in_group) {
      ++out.excluded["retention"];
      continue;
    }
    int& per_pt = taken_per_patient_timepoint[{t->patient_id, t->timepoint_code}];
    if (criteria.max_per_patient_timepoint > 0 && per_pt >= criteria.max_per_patient_timepoint) {
      ++out.excluded["per patient-timepoint limit"];
      continue;
    }
    ++group;
    ++per_pt;
    out.sample_ids.push_back(t->sample_id);
    patients.insert(t->patient_id);
    ++out.by_timepoint[t->timepoint_code];
  }
  out.patients = static_cast<int>(patients.size());
  return out;
}

}  // namespace lims
