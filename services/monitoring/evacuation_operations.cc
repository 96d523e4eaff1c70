#include "evacuation_operations.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "audit.h"
#include "lims/core/access.h"
#include "lims/core/timepoint_window.h"
#include "lims/core/unit_label.h"
#include "lims/db/storage_units.h"
#include "lims/labels/pick_list.h"
#include "status_macros.h"
#include "storage_operations.h"

namespace lims::services {
namespace {

// Most critical tubes first; then the units with the most tubes whose patients still consent
// (those of withdrawn consent last); then the fullest.
bool MovesFirst(const db::EvacuationMove& a, const db::EvacuationMove& b) {
  return std::make_tuple(b.critical_tubes, b.tubes - b.withdrawn_tubes, b.tubes) <
         std::make_tuple(a.critical_tubes, a.tubes - a.withdrawn_tubes, a.tubes);
}

// A path as seen from inside `root` ("Shelf 2 / Rack R-04"), the whole path elsewhere.
std::string Inside(const std::string& path, const std::string& root) {
  const std::string prefix = root + " / ";
  return absl::StartsWith(path, prefix) ? path.substr(prefix.size()) : path;
}

}  // namespace

int EvacuationView::MovesDone() const {
  return static_cast<int>(
      std::count_if(moves.begin(), moves.end(), [](const PlannedMove& m) { return m.done; }));
}

absl::StatusOr<EvacuationView> LookUpEvacuation(db::Tx& tx, const CallContext& call,
                                                int64_t plan_id) {
  LIMS_ASSIGN_OR_RETURN(db::EvacuationPlan plan, db::EvacuationRepository(tx).FindById(plan_id));
  db::StorageUnitRepository units(tx);
  LIMS_ASSIGN_OR_RETURN(StorageUnit from, units.FindById(plan.from_unit_id));
  LIMS_RETURN_IF_ERROR(
      RequireSite(call.principal, from.site_id, absl::StrCat("evacuation plan ", plan_id)));
  LIMS_ASSIGN_OR_RETURN(StorageUnit to, units.FindById(plan.to_unit_id));
  EvacuationView view{plan, from.path, to.path, {}};
  for (const db::EvacuationMove& m : plan.moves) {
    PlannedMove planned{m};
    LIMS_ASSIGN_OR_RETURN(planned.unit, units.FindById(m.unit_id));
    LIMS_ASSIGN_OR_RETURN(StorageUnit target, units.FindById(m.to_parent_id));
    LIMS_ASSIGN_OR_RETURN(StorageUnit origin, units.FindById(m.from_parent_id));
    planned.to_path = target.path;
    planned.from_path = absl::StrCat(origin.path, " / ", planned.unit.name);
    planned.done = planned.unit.parent_id == m.to_parent_id;
    view.moves.push_back(std::move(planned));
  }
  view.plan.moves.clear();  // `moves` has them, with their progress
  return view;
}

absl::StatusOr<EvacuationView> PlanEvacuation(db::Tx& tx, const CallContext& call,
                                              const EvacuationRequest& request) {
  db::StorageUnitRepository units(tx);
  db::EvacuationRepository plans(tx);
  db::EvacuationPlan plan;
  plan.created_by = call.principal.username;
  plan.created_at = call.now;
  if (request.put_back_of != 0) {
    LIMS_ASSIGN_OR_RETURN(EvacuationView done, LookUpEvacuation(tx, call, request.put_back_of));
    LIMS_ASSIGN_OR_RETURN(db::EvacuationPlan original, plans.FindById(request.put_back_of));
    plan.from_unit_id = original.to_unit_id;
    plan.to_unit_id = original.from_unit_id;
    plan.put_back_of = original.id;
    for (const PlannedMove& m : done.moves) {
      if (!m.done) continue;  // never moved: nothing to bring back
      plan.moves.push_back({m.move.unit_id, m.move.to_parent_id, m.move.from_parent_id,
                            m.move.tubes, m.move.critical_tubes, m.move.withdrawn_tubes});
    }
  } else {
    LIMS_ASSIGN_OR_RETURN(StorageUnit from, units.FindById(request.from_unit_id));
    LIMS_ASSIGN_OR_RETURN(StorageUnit to, units.FindById(request.to_unit_id));
    LIMS_RETURN_IF_ERROR(RequireSite(call.principal, from.site_id, from.path));
    if (!HoldsTemperature(from.kind) || !HoldsTemperature(to.kind)) {
      return absl::InvalidArgumentError(
          "an evacuation goes from a freezer (or room) into another freezer (or room)");
    }
    if (from.id == to.id || from.site_id != to.site_id ||
        absl::StartsWith(to.path, from.path + " / ")) {
      return absl::FailedPreconditionError(
          absl::StrCat(to.path, " cannot take ", from.path,
                       "'s contents: give another freezer of the same site, not inside it"));
    }
    const std::string today = FormatIsoDate(absl::ToCivilDay(call.now, absl::UTCTimeZone()));
    // Shelves stay; the racks, towers and boxes on them (or directly inside) move whole, each
    // to the shelf of the same name in the backup freezer when it has one.
    LIMS_ASSIGN_OR_RETURN(auto backup_tree, units.Subtree(to));
    std::map<std::string, StorageUnit> backup_by_path;
    for (const StorageUnit& u : backup_tree) backup_by_path[u.path] = u;
    std::vector<StorageUnit> pending = {from};
    while (!pending.empty()) {
      const StorageUnit parent = pending.back();
      pending.pop_back();
      LIMS_ASSIGN_OR_RETURN(auto children, units.ListChildren(parent.id, 0, 100000));
      for (const StorageUnit& child : children) {
        if (child.kind == StorageKind::kShelf) {
          pending.push_back(child);
          continue;
        }
        const std::string same_place = to.path + parent.path.substr(from.path.size());
        auto target = backup_by_path.find(same_place);
        const StorageUnit& destination = target != backup_by_path.end() ? target->second : to;
        LIMS_ASSIGN_OR_RETURN(db::TubeCounts counts, plans.CountTubes(child.id, child.path, today));
        plan.moves.push_back({child.id, child.parent_id, destination.id, counts.tubes,
                              counts.critical, counts.withdrawn});
      }
    }
    plan.from_unit_id = from.id;
    plan.to_unit_id = to.id;
    std::stable_sort(plan.moves.begin(), plan.moves.end(), MovesFirst);
  }
  LIMS_RETURN_IF_ERROR(plans.Insert(plan));
  LIMS_RETURN_IF_ERROR(
      Audit(tx, call,
            AuditEntry(plan.put_back_of ? "storage.put_back_planned" : "storage.evacuation_planned",
                       "evacuation_plan", std::to_string(plan.id))
                .Details(absl::StrCat(plan.moves.size(), " units from unit ", plan.from_unit_id,
                                      " to unit ", plan.to_unit_id))));
  return LookUpEvacuation(tx, call, plan.id);
}

absl::StatusOr<EvacuationView> RecordEvacuationMove(db::Tx& tx, const CallContext& call,
                                                    const ScannedMove& scanned,
                                                    PlannedMove* carried_out) {
  LIMS_ASSIGN_OR_RETURN(const int64_t unit_id, ParseUnitLabelCode(scanned.scanned_code));
  LIMS_ASSIGN_OR_RETURN(EvacuationView view, LookUpEvacuation(tx, call, scanned.plan_id));
  auto move = std::find_if(view.moves.begin(), view.moves.end(),
                           [&](const PlannedMove& m) { return m.move.unit_id == unit_id; });
  if (move == view.moves.end()) {
    return absl::NotFoundError(
        absl::StrCat(UnitLabelCode(unit_id), " is not in evacuation plan ", scanned.plan_id,
                     ": put it back where it was and scan a rack or box on the pick list"));
  }
  if (move->done) {
    return absl::FailedPreconditionError(absl::StrCat(UnitLabelCode(unit_id), " (", move->unit.name,
                                                      ") was moved already: it is in ",
                                                      move->unit.path));
  }
  LIMS_ASSIGN_OR_RETURN(
      MovedUnit moved,
      MoveUnit(tx, call,
               {unit_id, move->move.to_parent_id,
                absl::StrCat(view.plan.put_back_of ? "put-back plan " : "evacuation plan ",
                             scanned.plan_id, ": scanned into place")}));
  move->unit = moved.unit;
  move->done = true;
  *carried_out = *move;
  return view;
}

absl::StatusOr<std::string> PickListPdfOf(const EvacuationView& view) {
  labels::PickList list{
      absl::StrCat(view.plan.put_back_of ? "Put-back plan " : "Evacuation plan ", view.plan.id),
      view.from_path,
      view.to_path,
      absl::StrCat(
          "planned ",
          absl::FormatTime("%Y-%m-%d %H:%M UTC", view.plan.created_at, absl::UTCTimeZone()), " by ",
          view.plan.created_by),
      {}};
  for (const PlannedMove& m : view.moves) {
    list.lines.push_back({absl::StrCat(UnitLabelCode(m.unit.id), " ", m.unit.name),
                          Inside(m.from_path, view.from_path), Inside(m.to_path, view.to_path),
                          static_cast<int>(m.move.tubes), static_cast<int>(m.move.critical_tubes),
                          static_cast<int>(m.move.withdrawn_tubes), m.done});
  }
  return labels::PickListPdf(list);
}

}  // namespace lims::services
