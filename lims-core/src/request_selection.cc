#include "lims/core/request_selection.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"

namespace lims {
namespace {

// A patient-timepoint-type, or with type -1 a patient-timepoint.
struct GroupKey {
  int64_t patient;
  int timepoint, type;
  bool operator==(const GroupKey& o) const {
    return patient == o.patient && timepoint == o.timepoint && type == o.type;
  }
};
// Neighbouring patients get neighbouring slots (the database sends a patient's tubes near
// the patient before and after, so the table is walked rather than jumped through); the low 7
// bits, which the flat table compares first, are mixed from the whole key.
struct GroupKeyHash {
  size_t operator()(const GroupKey& k) const {
    const uint64_t slot = static_cast<uint64_t>(k.patient) * 64 +
                          static_cast<uint64_t>(k.timepoint) * 8 + static_cast<uint8_t>(k.type);
    return static_cast<size_t>(slot << 7 | (slot * 0x9E3779B97F4A7C15ull) >> 57);
  }
};

// Counts per group, in one flat table: a broad preview counts half a million tubes, and a
// node-based map spent most of its time allocating.
using GroupCounts = absl::flat_hash_map<GroupKey, int, GroupKeyHash>;

}  // namespace

absl::Status ValidateCriteria(const RequestCriteria& criteria) {
  if (criteria.protocol_codes.empty()) {
    return absl::InvalidArgumentError(
        "criteria.protocol_codes is empty: name at least one protocol the samples come from");
  }
  if (criteria.max_per_patient_timepoint < 0) {
    return absl::InvalidArgumentError(
        "criteria.max_per_patient_timepoint is negative: give 0 (no limit) or more");
  }
  if (criteria.max_exposure_minutes &&
      (!std::isfinite(*criteria.max_exposure_minutes) || *criteria.max_exposure_minutes < 0)) {
    return absl::InvalidArgumentError(
        "criteria.max_exposure_minutes must be 0 (no exposure at all) or more");
  }
  if (criteria.max_exposure_celsius && !std::isfinite(*criteria.max_exposure_celsius)) {
    return absl::InvalidArgumentError("criteria.max_exposure_celsius must be a temperature");
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

void CountRemainingInGroups(std::vector<CandidateTube>& tubes) {
  GroupCounts remaining;
  for (const CandidateTube& t : tubes) {
    if (t.status == SampleStatus::kStored && !t.reserved) {
      ++remaining[{t.patient_id, t.timepoint, t.sample_type}];
    }
  }
  for (CandidateTube& t : tubes) t.remaining_in_group = remaining[{t.patient_id, t.timepoint, t.sample_type}];
}

Selection SelectTubes(const std::vector<CandidateTube>& candidates,
                      const std::unordered_map<int64_t, ConsentState>& consent,
                      const RequestCriteria& criteria) {
  Selection out;
  const std::vector<ConsentScope> scopes = RequiredScopes(criteria);
  // Whether each patient's consent covers the scopes, decided once per patient.
  absl::flat_hash_map<int64_t, bool> consented;
  auto covers = [&](int64_t patient) {
    auto [it, added] = consented.try_emplace(patient, false);
    if (added) {
      auto state = consent.find(patient);
      it->second = state != consent.end() && state->second.CoversAll(scopes);
    }
    return it->second;
  };
  // The sort key is copied out of the tube: sorting half a million pointers chased them.
  struct Eligible {
    int freeze_thaw_count;
    int box_tubes;
    int64_t box_id, sample_id;
    const CandidateTube* tube;
  };
  std::vector<Eligible> eligible;
  eligible.reserve(candidates.size());
  absl::flat_hash_map<int64_t, int> per_box;
  int excluded_not_stored = 0, excluded_reserved = 0, excluded_quantity = 0, excluded_consent = 0,
      excluded_exposure = 0;
  auto overexposed = [&criteria](const CandidateTube& t) {
    return (criteria.max_exposure_minutes && t.exposure_minutes > *criteria.max_exposure_minutes) ||
           (criteria.max_exposure_celsius && t.exposure_peak &&
            *t.exposure_peak > *criteria.max_exposure_celsius);
  };
  for (const CandidateTube& t : candidates) {
    if (t.status != SampleStatus::kStored) {
      ++excluded_not_stored;
    } else if (t.reserved) {
      ++excluded_reserved;
    } else if (criteria.min_quantity &&
               (t.quantity.dimension() != criteria.min_quantity->dimension() ||
                t.quantity.canonical_amount() < criteria.min_quantity->canonical_amount())) {
      ++excluded_quantity;
    } else if (!covers(t.patient_id)) {
      ++excluded_consent;
    } else if (overexposed(t)) {
      ++excluded_exposure;
    } else {
      eligible.push_back({t.freeze_thaw_count, 0, t.box_id, t.sample_id, &t});
      ++per_box[t.box_id];
    }
  }
  // Fewer thaws first, then tubes of boxes holding more eligible tubes (fewer boxes to open).
  for (Eligible& e : eligible) e.box_tubes = per_box[e.box_id];
  auto key = [](const Eligible& e) {
    return std::make_tuple(e.freeze_thaw_count, -e.box_tubes, e.box_id, e.sample_id);
  };
  auto before = [&key](const Eligible& a, const Eligible& b) { return key(a) < key(b); };
  // A preview's tubes carry no ids, thaws or boxes: all alike, nothing to sort.
  if (!std::is_sorted(eligible.begin(), eligible.end(), before)) {
    std::sort(eligible.begin(), eligible.end(), before);
  }
  GroupCounts taken_in_group, taken_per_patient_timepoint;
  absl::flat_hash_set<int64_t> patients;
  int excluded_retention = 0, excluded_limit = 0;
  for (const Eligible& e : eligible) {
    const CandidateTube& t = *e.tube;
    int& in_group = taken_in_group[{t.patient_id, t.timepoint, t.sample_type}];
    if (criteria.keep_last_tube && in_group + 1 >= t.remaining_in_group) {
      ++excluded_retention;
      continue;
    }
    int& per_pt = taken_per_patient_timepoint[{t.patient_id, t.timepoint, -1}];
    if (criteria.max_per_patient_timepoint > 0 && per_pt >= criteria.max_per_patient_timepoint) {
      ++excluded_limit;
      continue;
    }
    ++in_group;
    ++per_pt;
    out.sample_ids.push_back(t.sample_id);
    out.patient_ids.push_back(t.patient_id);
    patients.insert(t.patient_id);
    ++out.by_timepoint[t.timepoint];
  }
  const std::pair<const char*, int> excluded[] = {{"not stored", excluded_not_stored},
                                                  {"reserved", excluded_reserved},
                                                  {"quantity", excluded_quantity},
                                                  {"consent", excluded_consent},
                                                  {"temperature exposure", excluded_exposure},
                                                  {"retention", excluded_retention},
                                                  {"per patient-timepoint limit", excluded_limit}};
  for (const auto& [why, n] : excluded) {
    if (n > 0) out.excluded[why] = n;
  }
  out.patients = static_cast<int>(patients.size());
  return out;
}

}  // namespace lims
