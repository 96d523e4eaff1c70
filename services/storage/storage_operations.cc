#include "storage_operations.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "audit.h"
#include "lims/core/box_layout.h"
#include "lims/core/sample_rules.h"
#include "lims/db/location_history.h"
#include "lims/db/products.h"
#include "lims/db/samples.h"
#include "lims/db/sites.h"
#include "lims/db/storage_units.h"
#include "sample_access.h"
#include "status_macros.h"
#include "text_fields.h"

namespace lims::services {
namespace {

// Temperatures belong to freezers and rooms; a probe names one unit.
absl::Status CheckClimateOf(db::Tx& tx, StorageKind kind, const Climate& climate, int64_t unit_id) {
  const bool any = climate.set_point || climate.alarm_low || climate.alarm_high ||
                   !climate.probe_id.empty() || climate.state != UnitState::kInService;
  if (any && !HoldsTemperature(kind)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a ", std::string(KindLabel(kind)),
        " holds no temperature: set points, alarms, probes and states belong to freezers and "
        "rooms"));
  }
  LIMS_RETURN_IF_ERROR(CheckClimate(climate));
  if (!climate.probe_id.empty()) {
    LIMS_ASSIGN_OR_RETURN(auto owner, db::StorageUnitRepository(tx).FindByProbe(climate.probe_id));
    if (owner && owner->id != unit_id) {
      return absl::AlreadyExistsError(
          absl::StrCat("probe '", climate.probe_id, "' already belongs to ", owner->path));
    }
  }
  return absl::OkStatus();
}

// Loads the box, checks the sample may go there, and names the free position.
absl::StatusOr<BoxPlace> FreeTarget(db::Tx& tx, const Sample& sample, int64_t box_id,
                                    const std::string& position_text) {
  LIMS_ASSIGN_OR_RETURN(StorageUnit box, db::StorageUnitRepository(tx).FindById(box_id));
  // The caller checked that the user works at the sample's site; the box must be there too.
  if (box.kind != StorageKind::kBox) {
    return absl::FailedPreconditionError(absl::StrCat(
        "unit ", box.id, " (", box.path, ") is a ", std::string(KindLabel(box.kind)),
        ", not a box; tubes go into box positions"));
  }
  if (box.site_id != sample.site_id) {
    return absl::FailedPreconditionError(absl::StrCat(
        "sample ", sample.barcode, " belongs to site ", sample.site_code, " but box ", box.name,
        " is at site ", box.site_code, "; ship the sample first"));
  }
  LIMS_ASSIGN_OR_RETURN(BoxLayout layout, BoxLayout::Create(box.rows, box.columns));
  auto position = layout.ParsePosition(position_text);
  if (!position.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("box ", box.name, ": ", position.status().message()));
  }
  BoxPlace where{box.id, *position, box.name, box.path, box.rows, box.columns};
  LIMS_ASSIGN_OR_RETURN(auto occupant, db::PlacementRepository(tx).FindByPosition(box.id, *position));
  if (occupant.has_value()) {
    if (occupant->sample_id == sample.id) {
      return absl::FailedPreconditionError(absl::StrCat(
          sample.barcode, " is already in ", DescribePosition(where)));
    }
    return absl::FailedPreconditionError(absl::StrCat(
        "position ", DescribePosition(where), " already holds ", occupant->barcode,
        "; choose an empty position or move that tube first"));
  }
  return where;
}

absl::Status PutInto(db::Tx& tx, const CallContext& call, const Sample& sample,
                     const BoxPlace& where) {
  return db::PlacementRepository(tx).Insert({sample.id, where.box_id, where.position}, call.now);
}

}  // namespace

absl::StatusOr<StorageUnit> AddStorageUnit(db::Tx& tx, const CallContext& call,
                                           const NewStorageUnit& request) {
  LIMS_RETURN_IF_ERROR(CheckText(request.name, "name", 100, true));
  db::StorageUnitRepository units(tx);
  StorageUnit unit;
  unit.kind = request.kind;
  unit.name = request.name;
  std::optional<StorageKind> parent_kind;
  std::string parent_path;
  if (request.parent_id != 0) {
    LIMS_ASSIGN_OR_RETURN(StorageUnit parent, units.FindById(request.parent_id));
    LIMS_RETURN_IF_ERROR(RequireSite(call.principal, parent.site_id,
                                     absl::StrCat("storage unit ", request.parent_id)));
    parent_kind = parent.kind;
    parent_path = parent.path;
    unit.parent_id = parent.id;
    unit.site_id = parent.site_id;
    unit.site_code = parent.site_code;
  }
  LIMS_RETURN_IF_ERROR(CheckParent(parent_kind, unit.kind));
  if (unit.kind == StorageKind::kSite) {
    // A site root is named by its site code and exists once per site.
    LIMS_ASSIGN_OR_RETURN(Site site, db::SiteRepository(tx).FindByCode(request.name));
    LIMS_RETURN_IF_ERROR(RequireSite(call.principal, site.id, "site " + site.code));
    LIMS_ASSIGN_OR_RETURN(auto root, units.FindSiteRoot(site.id));
    if (root.has_value()) {
      return absl::AlreadyExistsError(absl::StrCat("site ", site.code,
                                                   " already has its storage root (unit ",
                                                   root->id, ")"));
    }
    unit.site_id = site.id;
    unit.site_code = site.code;
  } else {
    LIMS_ASSIGN_OR_RETURN(auto sibling, units.FindChildByName(unit.parent_id, unit.name));
    if (sibling.has_value()) {
      return absl::AlreadyExistsError(absl::StrCat(parent_path, " already contains '", unit.name,
                                                   "' (unit ", sibling->id, ")"));
    }
  }
  if (unit.kind == StorageKind::kBox) {
    LIMS_RETURN_IF_ERROR(BoxLayout::Create(request.rows, request.columns).status());
    unit.rows = request.rows;
    unit.columns = request.columns;
  } else if (HoldsWithoutGrid(unit.kind) && request.rows == 0 && request.columns >= 0 &&
             request.columns <= 999) {
    unit.columns = request.columns;  // numbered slots
  } else if (request.rows != 0 || request.columns != 0) {
    return absl::InvalidArgumentError(
        "rows and columns apply to boxes; a canister, cassette or bin takes only columns (its "
        "numbered slots, 0..999); leave them at 0 otherwise");
  }
  unit.path = JoinPath(parent_path, unit.kind, unit.name);
  LIMS_RETURN_IF_ERROR(CheckClimateOf(tx, unit.kind, request.climate, 0));
  unit.climate = request.climate;
  LIMS_RETURN_IF_ERROR(units.Insert(unit, call.now));
  LIMS_RETURN_IF_ERROR(
      Audit(tx, call,
            AuditEntry("storage.unit_created", "storage_unit", std::to_string(unit.id))
                .Details(unit.path)
                .After(SnapshotJson(unit))));
  return unit;
}

absl::StatusOr<StorageUnit> ChangeClimate(db::Tx& tx, const CallContext& call,
                                          const ClimateChange& change) {
  LIMS_RETURN_IF_ERROR(CheckText(change.reason, "reason", 500, false));
  db::StorageUnitRepository units(tx);
  LIMS_ASSIGN_OR_RETURN(StorageUnit unit, units.FindById(change.unit_id));
  LIMS_RETURN_IF_ERROR(
      RequireSite(call.principal, unit.site_id, absl::StrCat("storage unit ", unit.id)));
  Climate climate = change.climate;
  climate.state = change.state.value_or(unit.climate.state);
  LIMS_RETURN_IF_ERROR(CheckClimateOf(tx, unit.kind, climate, unit.id));
  const StorageUnit before = unit;
  unit.climate = climate;
  LIMS_RETURN_IF_ERROR(units.WriteClimate(unit.id, climate));
  LIMS_RETURN_IF_ERROR(
      Audit(tx, call,
            AuditEntry("storage.unit_climate_changed", "storage_unit", std::to_string(unit.id))
                .Details(absl::StrCat(unit.path, ": ", std::string(UnitStateCode(climate.state))))
                .Reason(change.reason)
                .Before(SnapshotJson(before))
                .After(SnapshotJson(unit))));
  return unit;
}

absl::StatusOr<MovedUnit> MoveUnit(db::Tx& tx, const CallContext& call, const UnitMove& move) {
  LIMS_RETURN_IF_ERROR(CheckText(move.reason, "reason", 500, true));
  db::StorageUnitRepository units(tx);
  LIMS_ASSIGN_OR_RETURN(StorageUnit unit, units.FindById(move.unit_id));
  LIMS_RETURN_IF_ERROR(
      RequireSite(call.principal, unit.site_id, absl::StrCat("storage unit ", unit.id)));
  LIMS_ASSIGN_OR_RETURN(StorageUnit parent, units.FindById(move.new_parent_id));
  if (unit.kind == StorageKind::kSite) {
    return absl::FailedPreconditionError("a site's root does not move");
  }
  if (parent.site_id != unit.site_id) {
    return absl::FailedPreconditionError(
        absl::StrCat(unit.path, " is at ", unit.site_code, " and ", parent.path,
                     " is not: units move within a site; tubes go to another site in a shipment"));
  }
  if (parent.id == unit.id || absl::StartsWith(parent.path, unit.path + " / ")) {
    return absl::FailedPreconditionError(
        absl::StrCat(parent.path, " is inside ", unit.path, ": a unit cannot go into itself"));
  }
  if (parent.id == unit.parent_id) {
    return absl::FailedPreconditionError(absl::StrCat(unit.path, " is already there"));
  }
  LIMS_RETURN_IF_ERROR(CheckParent(parent.kind, unit.kind));
  LIMS_ASSIGN_OR_RETURN(auto sibling, units.FindChildByName(parent.id, unit.name));
  if (sibling.has_value()) {
    return absl::AlreadyExistsError(absl::StrCat(parent.path, " already contains '", unit.name,
                                                 "' (unit ", sibling->id, "); rename one first"));
  }
  LIMS_ASSIGN_OR_RETURN(auto tubes, db::PlacementRepository(tx).ListUnder(unit.id, unit.path));
  const StorageUnit before = unit;
  LIMS_RETURN_IF_ERROR(units.Move(unit, parent, call.now));
  LIMS_ASSIGN_OR_RETURN(unit, units.FindById(unit.id));
  LIMS_RETURN_IF_ERROR(Audit(
      tx, call,
      AuditEntry("storage.unit_moved", "storage_unit", std::to_string(unit.id))
          .Details(absl::StrCat(before.path, " → ", unit.path, " with ", tubes.size(), " tubes"))
          .Reason(move.reason)
          .Before(SnapshotJson(before))
          .After(SnapshotJson(unit))));
  // Each tube's own history says it went with its box.
  for (const db::OccupiedSlot& tube : tubes) {
    LIMS_RETURN_IF_ERROR(
        Audit(tx, call,
              AuditEntry("storage.moved_with_unit", "sample", tube.barcode)
                  .Details(absl::StrCat("moved with ", std::string(KindLabel(unit.kind)), " ",
                                        unit.name, " to ", unit.path))
                  .Reason(move.reason)));
  }
  return MovedUnit{unit, static_cast<int>(tubes.size())};
}

absl::StatusOr<PlacementResult> PutInBox(db::Tx& tx, const CallContext& call,
                                         const BoxPlacement& request) {
  const std::string& barcode = request.barcode;
  const int64_t box_id = request.box_id;
  const std::string& position = request.position;
  db::SampleRepository samples(tx);
  LIMS_ASSIGN_OR_RETURN(Sample sample, FindSampleForCaller(tx, call, barcode));
  const Sample before = sample;
  if (sample.status == SampleStatus::kStored) {
    LIMS_ASSIGN_OR_RETURN(auto current, db::PlacementRepository(tx).FindBySample(sample.id));
    return absl::FailedPreconditionError(absl::StrCat(
        sample.barcode, " is already stored",
        current ? absl::StrCat(" in ", DescribePosition(*current)) : std::string(),
        "; use move to change its position"));
  }
  if (sample.status == SampleStatus::kCheckedOut) {
    return absl::FailedPreconditionError(absl::StrCat(
        sample.barcode, " is checked out; use return (and say whether it thawed)"));
  }
  LIMS_ASSIGN_OR_RETURN(sample.status, ApplyEvent(sample.status, SampleEvent::kStore));
  LIMS_ASSIGN_OR_RETURN(BoxPlace where, FreeTarget(tx, sample, box_id, position));
  LIMS_RETURN_IF_ERROR(PutInto(tx, call, sample, where));
  LIMS_RETURN_IF_ERROR(samples.Update(sample));
  LIMS_RETURN_IF_ERROR(Audit(tx, call,
                             AuditEntry("storage.placed", "sample", sample.barcode)
                                 .Details(absl::StrCat("placed in ", DescribePosition(where)))
                                 .Before(SnapshotJson(before, std::nullopt))
                                 .After(SnapshotJson(sample, where))));
  return PlacementResult{sample, where, std::nullopt};
}

absl::StatusOr<PlacementResult> MoveTube(db::Tx& tx, const CallContext& call,
                                         const BoxPlacement& request) {
  const std::string& barcode = request.barcode;
  const int64_t box_id = request.box_id;
  const std::string& position = request.position;
  const std::string& reason = request.reason;
  LIMS_RETURN_IF_ERROR(CheckText(reason, "reason", 1000, false));
  db::SampleRepository samples(tx);
  db::PlacementRepository placements(tx);
  LIMS_ASSIGN_OR_RETURN(Sample sample, FindSampleForCaller(tx, call, barcode));
  LIMS_ASSIGN_OR_RETURN(auto current, placements.FindBySample(sample.id));
  if (sample.status != SampleStatus::kStored || !current.has_value()) {
    return absl::FailedPreconditionError(absl::StrCat(
        sample.barcode, " is ", std::string(StatusName(sample.status)),
        ", not stored in a box; use place (new tube) or return (checked-out tube)"));
  }
  LIMS_ASSIGN_OR_RETURN(BoxPlace where, FreeTarget(tx, sample, box_id, position));
  LIMS_RETURN_IF_ERROR(placements.DeleteBySample(sample.id, call.now));
  LIMS_RETURN_IF_ERROR(PutInto(tx, call, sample, where));
  // Saving bumps the version, so two concurrent moves of one tube cannot both win.
  LIMS_RETURN_IF_ERROR(samples.Update(sample));
  LIMS_RETURN_IF_ERROR(Audit(tx, call,
                             AuditEntry("storage.moved", "sample", sample.barcode)
                                 .Details(absl::StrCat("moved from ", DescribePosition(*current),
                                                       " to ", DescribePosition(where)))
                                 .Before(SnapshotJson(sample, current))
                                 .After(SnapshotJson(sample, where))
                                 .Reason(reason)));
  return PlacementResult{sample, where, current};
}

absl::StatusOr<PlacementResult> TakeOutTube(db::Tx& tx, const CallContext& call,
                                            const Retrieval& request) {
  const std::string& barcode = request.barcode;
  const std::string& reason = request.reason;
  LIMS_RETURN_IF_ERROR(CheckText(reason, "reason", 1000, true));
  db::SampleRepository samples(tx);
  db::PlacementRepository placements(tx);
  LIMS_ASSIGN_OR_RETURN(Sample sample, FindSampleForCaller(tx, call, barcode));
  const Sample before = sample;
  LIMS_ASSIGN_OR_RETURN(sample.status, ApplyEvent(sample.status, SampleEvent::kCheckOut));
  LIMS_ASSIGN_OR_RETURN(auto current, placements.FindBySample(sample.id));
  if (!current.has_value()) {
    return absl::FailedPreconditionError(
        absl::StrCat(sample.barcode, " is recorded as stored but has no position; audit the box"));
  }
  LIMS_RETURN_IF_ERROR(placements.DeleteBySample(sample.id, call.now));
  LIMS_RETURN_IF_ERROR(samples.Update(sample));
  LIMS_RETURN_IF_ERROR(Audit(tx, call,
                             AuditEntry("storage.retrieved", "sample", sample.barcode)
                                 .Details(absl::StrCat("taken out of ", DescribePosition(*current)))
                                 .Before(SnapshotJson(before, current))
                                 .After(SnapshotJson(sample, std::nullopt))
                                 .Reason(reason)));
  return PlacementResult{sample, *current, current};
}

absl::StatusOr<PlacementResult> PutBackTube(db::Tx& tx, const CallContext& call,
                                            const BoxPlacement& request) {
  const std::string& barcode = request.barcode;
  const int64_t box_id = request.box_id;
  const std::string& position = request.position;
  const bool thawed = request.thawed;
  db::SampleRepository samples(tx);
  LIMS_ASSIGN_OR_RETURN(Sample sample, FindSampleForCaller(tx, call, barcode));
  const Sample before = sample;
  LIMS_ASSIGN_OR_RETURN(sample.status, ApplyEvent(sample.status, SampleEvent::kReturn));
  sample.freeze_thaw_count = FreezeThawAfterReturn(sample.freeze_thaw_count, thawed);
  LIMS_ASSIGN_OR_RETURN(BoxPlace where, FreeTarget(tx, sample, box_id, position));
  LIMS_RETURN_IF_ERROR(PutInto(tx, call, sample, where));
  LIMS_RETURN_IF_ERROR(samples.Update(sample));
  LIMS_RETURN_IF_ERROR(
      Audit(tx, call,
            AuditEntry("storage.returned", "sample", sample.barcode)
                .Details(absl::StrCat("returned to ", DescribePosition(where),
                                      thawed ? absl::StrCat(" after a thaw (freeze-thaw cycles: ",
                                                            sample.freeze_thaw_count, ")")
                                             : std::string(" frozen")))
                .Before(SnapshotJson(before, std::nullopt))
                .After(SnapshotJson(sample, where))));
  return PlacementResult{sample, where, std::nullopt};
}

absl::StatusOr<UnitInUse> LookUpUnit(db::Tx& tx, const CallContext& call, const UnitQuery& query) {
  UnitInUse out;
  LIMS_ASSIGN_OR_RETURN(out.unit, db::StorageUnitRepository(tx).FindById(query.id));
  LIMS_RETURN_IF_ERROR(
      RequireSite(call.principal, out.unit.site_id, absl::StrCat("storage unit ", query.id)));
  if (out.unit.kind == StorageKind::kBox) {
    LIMS_ASSIGN_OR_RETURN(out.occupied, db::PlacementRepository(tx).CountBox(out.unit.id));
  }
  return out;
}

absl::StatusOr<VisiblePage<StorageUnit>> ListChildUnits(db::Tx& tx, const CallContext& call,
                                                        const ChildrenQuery& query) {
  db::StorageUnitRepository units(tx);
  auto may_see = [&](const StorageUnit& u) { return CanAccessSite(call.principal, u.site_id); };
  if (!query.name_contains.empty() || query.kind) {
    LIMS_RETURN_IF_ERROR(CheckText(query.name_contains, "name_contains", 100, false));
    LIMS_ASSIGN_OR_RETURN(auto found, units.SearchByName(query.name_contains, query.kind,
                                                         query.after_id, query.limit));
    return Visible(std::move(found), may_see);
  }
  if (query.parent_id != 0) {
    LIMS_ASSIGN_OR_RETURN(StorageUnit parent, units.FindById(query.parent_id));
    LIMS_RETURN_IF_ERROR(RequireSite(call.principal, parent.site_id,
                                     absl::StrCat("storage unit ", query.parent_id)));
  }
  LIMS_ASSIGN_OR_RETURN(auto page,
                        units.ListChildren(query.parent_id, query.after_id, query.limit));
  return Visible(std::move(page), may_see);
}

absl::StatusOr<std::vector<db::TubeStay>> LocationHistoryOf(db::Tx& tx, const CallContext& call,
                                                            const LocationQuery& query) {
  db::LocationHistory history(tx);
  if (!query.barcode.empty()) {
    LIMS_ASSIGN_OR_RETURN(Sample sample, FindSampleForCaller(tx, call, query.barcode));
    return history.ForSample(sample.id);
  }
  if (query.unit_id == 0) {
    return absl::InvalidArgumentError("give a barcode, or a unit_id (with since and until)");
  }
  LIMS_ASSIGN_OR_RETURN(StorageUnit unit, db::StorageUnitRepository(tx).FindById(query.unit_id));
  LIMS_RETURN_IF_ERROR(
      RequireSite(call.principal, unit.site_id, absl::StrCat("storage unit ", unit.id)));
  const absl::Time from = query.since.value_or(absl::UnixEpoch());
  const absl::Time to = query.until.value_or(call.now);
  if (from >= to) return absl::InvalidArgumentError("since must be before until");
  LIMS_ASSIGN_OR_RETURN(auto boxes,
                        db::StorageUnitRepository(tx).BoxesUnderBetween(unit, from, to));
  std::vector<db::TubeStay> out;
  for (const db::BoxInterval& box : boxes) {
    LIMS_ASSIGN_OR_RETURN(auto stays, history.InBoxBetween(box.box_id, box.from, box.to));
    for (db::TubeStay& stay : stays) out.push_back(std::move(stay));
  }
  std::sort(out.begin(), out.end(), [](const db::TubeStay& a, const db::TubeStay& b) {
    return a.from != b.from ? a.from < b.from : a.sample_id < b.sample_id;
  });
  return out;
}

absl::StatusOr<std::vector<CapacityLine>> CapacityOf(db::Tx& tx, const CallContext& call,
                                                     int64_t unit_id) {
  db::StorageUnitRepository units(tx);
  LIMS_ASSIGN_OR_RETURN(StorageUnit unit, units.FindById(unit_id));
  LIMS_RETURN_IF_ERROR(
      RequireSite(call.principal, unit.site_id, absl::StrCat("storage unit ", unit_id)));
  LIMS_ASSIGN_OR_RETURN(auto tree, units.Subtree(unit));
  LIMS_ASSIGN_OR_RETURN(auto occupied,
                        db::PlacementRepository(tx).CountByBoxUnder(unit.id, unit.path));
  std::vector<CapacityLine> lines;
  std::map<int64_t, size_t> line_of;
  for (const StorageUnit& u : tree) {
    line_of[u.id] = lines.size();
    CapacityLine line{u};
    line.depth = static_cast<int>(std::count(u.path.begin(), u.path.end(), '/') -
                                  std::count(unit.path.begin(), unit.path.end(), '/'));
    lines.push_back(line);
  }
  // Each box, and each canister, cassette or bin with numbered slots (its bags), counts in
  // itself and in every unit above it, up to the asked one.
  db::ProductRepository bags(tx);
  for (const StorageUnit& u : tree) {
    int64_t positions = 0, used = 0;
    if (u.kind == StorageKind::kBox) {
      positions = static_cast<int64_t>(u.rows) * u.columns;
      used = occupied.count(u.id) ? occupied[u.id] : 0;
    } else if (HoldsWithoutGrid(u.kind) && u.columns > 0) {
      positions = u.columns;
      LIMS_ASSIGN_OR_RETURN(used, bags.CountIn(u.id));
    } else {
      continue;
    }
    for (int64_t at = u.id;;) {
      auto it = line_of.find(at);
      if (it == line_of.end()) break;
      lines[it->second].positions += positions;
      lines[it->second].occupied += used;
      if (at == unit.id) break;
      at = lines[it->second].unit.parent_id;
    }
  }
  return lines;
}

absl::StatusOr<FreePlaces> FindFreePlaces(db::Tx& tx, const CallContext& call,
                                          const FreeQuery& query) {
  if (query.count < 1 || query.count > 1000) {
    return absl::InvalidArgumentError("count must be between 1 and 1000");
  }
  LIMS_ASSIGN_OR_RETURN(BoxLayout layout, BoxLayout::Create(query.rows, query.columns));
  LIMS_ASSIGN_OR_RETURN(Site site, db::SiteRepository(tx).FindByCode(query.site_code));
  LIMS_RETURN_IF_ERROR(RequireSite(call.principal, site.id, "site " + site.code));
  constexpr int kBoxesLooked = 5000;
  LIMS_ASSIGN_OR_RETURN(auto boxes, db::StorageUnitRepository(tx).BoxesWithRoom(
                                        site.id, query.rows, query.columns, kBoxesLooked));
  const int capacity = query.rows * query.columns;
  // Together: the fullest box that still has room for all of them.
  const std::pair<StorageUnit, int>* best = nullptr;
  for (const auto& box : boxes) {
    if (capacity - box.second >= query.count && (!best || box.second > best->second)) best = &box;
  }
  std::vector<const std::pair<StorageUnit, int>*> order;
  if (best) {
    order.push_back(best);
  } else {
    for (const auto& box : boxes) order.push_back(&box);
  }
  FreePlaces out;
  out.together = best != nullptr;
  db::PlacementRepository placements(tx);
  for (const auto* box : order) {
    LIMS_ASSIGN_OR_RETURN(auto slots, placements.ListBox(box->first.id));
    std::set<int> taken;
    for (const db::OccupiedSlot& slot : slots) taken.insert(slot.position);
    for (int position = 1; position <= capacity; ++position) {
      if (static_cast<int>(out.places.size()) == query.count) return out;
      if (taken.count(position)) continue;
      BoxPlace place;
      place.box_id = box->first.id;
      place.position = position;
      place.box_path = box->first.path;
      place.rows = layout.rows();
      place.columns = layout.columns();
      out.places.push_back(place);
    }
  }
  return out;
}

absl::StatusOr<BoxView> LookUpBoxContents(db::Tx& tx, const CallContext& call,
                                          const UnitQuery& query) {
  LIMS_ASSIGN_OR_RETURN(StorageUnit box, db::StorageUnitRepository(tx).FindById(query.id));
  LIMS_RETURN_IF_ERROR(
      RequireSite(call.principal, box.site_id, absl::StrCat("storage unit ", query.id)));
  if (box.kind != StorageKind::kBox) {
    return absl::FailedPreconditionError(absl::StrCat("unit ", box.id, " (", box.path, ") is a ",
                                                      std::string(KindLabel(box.kind)),
                                                      ", not a box"));
  }
  LIMS_ASSIGN_OR_RETURN(BoxLayout layout, BoxLayout::Create(box.rows, box.columns));
  LIMS_ASSIGN_OR_RETURN(auto slots, db::PlacementRepository(tx).ListBox(box.id));
  return BoxView{std::move(box), layout, std::move(slots)};
}

}  // namespace lims::services
