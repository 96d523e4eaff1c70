#include "box_apply.h"

#include <map>
#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "audit.h"
#include "lims/core/sample_lifecycle.h"
#include "lims/db/placements.h"
#include "lims/db/samples.h"
#include "status_macros.h"

namespace lims::services {
namespace {

constexpr char kReason[] = "box scan";

// One tube whose record changes, planned before anything is written.
struct Step {
  Sample before;
  Sample after;
  std::optional<BoxPlace> from;
  std::optional<BoxPlace> to;
  std::string change;
  std::string action;  // audit action
};

BoxPlace PositionIn(const StorageUnit& box, int position) {
  return {box.id, position, box.name, box.path, box.rows, box.columns};
}

// What a tube read at `position` needs: nothing (already there, unknown, another site's), a
// step, or a refusal (its status forbids storing it).
absl::Status PlanSeen(db::Tx& tx, const CallContext& call, const StorageUnit& box,
                      const ScannedWell& well, std::vector<Step>* steps,
                      std::vector<std::string>* refused) {
  // The tube and where it is, in one query.
  auto resolved = db::SampleRepository(tx).Resolve(well.code);
  if (absl::IsNotFound(resolved.status())) return absl::OkStatus();  // unexpected: left alone
  if (!resolved.ok()) return resolved.status();
  const Sample* found = &resolved->sample;
  if (!CanAccessSite(call.principal, found->site_id) || found->site_id != box.site_id) {
    return absl::OkStatus();  // another site's tube: it has to be shipped, not moved
  }
  const std::optional<BoxPlace>& current = resolved->location;
  if (current && current->box_id == box.id && current->position == well.position) {
    return absl::OkStatus();  // matched
  }
  Step step{*found, *found, current, PositionIn(box, well.position), "", ""};
  if (found->status == SampleStatus::kStored) {
    step.change = current ? "moved" : "placed";
    step.action = current ? "storage.moved" : "storage.placed";
  } else if (found->status == SampleStatus::kMissing) {
    step.after.status = SampleStatus::kStored;
    step.change = "found";
    step.action = "sample.clear_missing";
  } else if (auto stored = ApplyEvent(found->status, SampleEvent::kStore); stored.ok()) {
    step.after.status = *stored;
    step.change = "placed";
    step.action = "storage.placed";
  } else {
    refused->push_back(absl::StrCat(well.code, " in ", DescribePosition(*step.to), " is ",
                                    std::string(StatusName(found->status))));
    return absl::OkStatus();
  }
  steps->push_back(std::move(step));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<BoxChange>> ApplyBoxScan(db::Tx& tx, const CallContext& call,
                                                    const StorageUnit& box,
                                                    const BoxLayout& layout,
                                                    const RackScan& scan) {
  db::SampleRepository samples(tx);
  db::PlacementRepository placements(tx);
  std::vector<Step> steps;
  std::vector<std::string> refused;
  std::set<std::string> seen;
  for (const ScannedWell& well : scan.wells) {
    if (well.reading != WellReading::kCode) continue;
    seen.insert(well.code);
    LIMS_RETURN_IF_ERROR(PlanSeen(tx, call, box, well, &steps, &refused));
  }
  if (!refused.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "nothing was changed: ", absl::StrJoin(refused, "; "),
        ". Return checked-out tubes (saying whether they thawed) or take the tubes out, then "
        "apply the scan again"));
  }
  // Recorded here, not seen anywhere, and its well seen empty or holding another tube.
  LIMS_ASSIGN_OR_RETURN(auto slots, placements.ListBox(box.id));
  for (const db::OccupiedSlot& slot : slots) {
    if (seen.count(slot.barcode)) continue;
    if (slot.position < 1 || slot.position > layout.capacity()) continue;
    if (scan.wells[slot.position - 1].reading == WellReading::kUnreadable) continue;
    LIMS_ASSIGN_OR_RETURN(Sample sample, samples.FindByBarcode(slot.barcode));
    Step step{sample, sample, PositionIn(box, slot.position), std::nullopt, "marked missing",
              "sample.mark_missing"};
    LIMS_ASSIGN_OR_RETURN(step.after.status, ApplyEvent(sample.status, SampleEvent::kMarkMissing));
    steps.push_back(std::move(step));
  }

  // Every position is freed before any is filled, so tubes may swap wells.
  for (const Step& step : steps) {
    if (step.from) LIMS_RETURN_IF_ERROR(placements.DeleteBySample(step.before.id, call.now));
  }
  std::vector<BoxChange> changes;
  for (Step& step : steps) {
    if (step.to) {
      LIMS_RETURN_IF_ERROR(
          placements.Insert({step.after.id, step.to->box_id, step.to->position}, call.now));
    }
    // Saving bumps the version: a concurrent change to the same tube makes one of them fail.
    LIMS_RETURN_IF_ERROR(samples.Update(step.after));
    const std::string from = step.from ? DescribePosition(*step.from) : "";
    const std::string to = step.to ? DescribePosition(*step.to) : "";
    const std::string details =
        step.to ? absl::StrCat(step.change, " ", from.empty() ? "" : "from " + from + " ",
                               "to ", to, " by a box scan")
                : absl::StrCat("not seen in ", from, " by a box scan: marked missing");
    LIMS_RETURN_IF_ERROR(Audit(tx, call,
                               AuditEntry(step.action, "sample", step.after.barcode)
                                   .Details(details)
                                   .Before(SnapshotJson(step.before, step.from))
                                   .After(SnapshotJson(step.after, step.to))
                                   .Reason(kReason)));
    changes.push_back({step.after.barcode, step.change, from, to});
  }
  return changes;
}

}  // namespace lims::services
