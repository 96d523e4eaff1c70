#include "lims/core/completeness.h"

#include <algorithm>
#include <map>

namespace lims {

std::string_view CompletenessStatusName(CompletenessStatus status) {
  switch (status) {
    case CompletenessStatus::kNotYetDue:
      return "not yet due";
    case CompletenessStatus::kDue:
      return "due";
    case CompletenessStatus::kOverdue:
      return "overdue";
    case CompletenessStatus::kPartial:
      return "partial";
    case CompletenessStatus::kComplete:
      return "complete";
  }
  return "unknown";
}

CompletenessCell ComputeCompleteness(const Timepoint& timepoint, absl::CivilDay anchor,
                                     const std::vector<CollectedSamples>& collected,
                                     absl::CivilDay today) {
  CompletenessCell cell;
  cell.window = ComputeWindow(anchor, timepoint.offset_days, timepoint.window_before_days,
                              timepoint.window_after_days);
  std::map<std::string, int> by_type;
  int total = 0;
  for (const CollectedSamples& c : collected) {
    if (c.count <= 0) continue;
    by_type[c.sample_type] += c.count;
    total += c.count;
  }
  if (timepoint.expected_samples.empty()) {
    cell.expected_count = 1;
    cell.collected_count = std::min(total, 1);
  } else {
    // The kit may name a type twice: its counts add up like the collected ones.
    std::map<std::string, int> kit;
    for (const ExpectedSample& e : timepoint.expected_samples) {
      if (e.count > 0) kit[e.sample_type] += e.count;
    }
    for (const auto& [type, want] : kit) {
      cell.expected_count += want;
      auto it = by_type.find(type);
      if (it != by_type.end()) cell.collected_count += std::min(it->second, want);
    }
  }
  if (cell.expected_count > 0 && cell.collected_count >= cell.expected_count) {
    cell.status = CompletenessStatus::kComplete;
  } else if (cell.collected_count > 0) {
    cell.status = CompletenessStatus::kPartial;
  } else if (today < cell.window.earliest) {
    cell.status = CompletenessStatus::kNotYetDue;
  } else if (today <= cell.window.latest) {
    cell.status = CompletenessStatus::kDue;
  } else {
    cell.status = CompletenessStatus::kOverdue;
  }
  return cell;
}

}  // namespace lims
