#include "box_scan.h"

#include "absl/strings/str_cat.h"
#include "audit.h"
#include "lims/db/placements.h"
#include "lims/db/samples.h"
#include "lims/db/storage_units.h"
#include "status_macros.h"

namespace lims::services {
namespace {

// Where the LIMS records a scanned tube, as the caller may see it; absent: unknown code.
absl::StatusOr<std::optional<RecordedPlace>> LookUp(db::Tx& tx, const CallContext& call,
                                                    const std::string& code) {
  auto resolved = db::SampleRepository(tx).Resolve(code);
  if (absl::IsNotFound(resolved.status())) return std::nullopt;
  if (!resolved.ok()) return resolved.status();
  RecordedPlace place;
  if (!CanAccessSite(call.principal, resolved->sample.site_id)) {
    place.where = "another site";
    return place;
  }
  if (!resolved->location) {
    place.where = "not in a box";
    return place;
  }
  place.box_id = resolved->location->box_id;
  place.position = resolved->location->position;
  place.where = DescribePosition(*resolved->location);
  return place;
}

}  // namespace

absl::StatusOr<ScanTarget> FindScanTarget(db::Tx& tx, const CallContext& call,
                                          const ScanTargetQuery& request) {
  int rows = request.rows;
  int columns = request.columns;
  int64_t box_id = request.box_id;
  std::optional<StorageUnit> box;
  if (box_id != 0) {
    LIMS_ASSIGN_OR_RETURN(StorageUnit unit, db::StorageUnitRepository(tx).FindById(box_id));
    LIMS_RETURN_IF_ERROR(
        RequireSite(call.principal, unit.site_id, absl::StrCat("storage unit ", box_id)));
    if (unit.kind != StorageKind::kBox) {
      return absl::InvalidArgumentError(
          absl::StrCat("storage unit ", box_id, " (", unit.name, ") is not a box"));
    }
    if ((rows != 0 && rows != unit.rows) || (columns != 0 && columns != unit.columns)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "box ", unit.name, " is ", unit.rows, " x ", unit.columns, ", not ", rows, " x ",
          columns, "; scan it in its own layout or leave rows and columns out"));
    }
    rows = unit.rows;
    columns = unit.columns;
    box = std::move(unit);
  }
  LIMS_ASSIGN_OR_RETURN(BoxLayout layout, BoxLayout::Create(rows, columns));
  return ScanTarget{layout, std::move(box)};
}

absl::StatusOr<BoxReconciliation> ReconcileWithBox(db::Tx& tx, const CallContext& call,
                                                   const StorageUnit& box, const RackScan& scan) {
  std::map<int, std::string> recorded;
  LIMS_ASSIGN_OR_RETURN(auto slots, db::PlacementRepository(tx).ListBox(box.id));
  for (const db::OccupiedSlot& slot : slots) recorded[slot.position] = slot.barcode;
  std::map<std::string, RecordedPlace> known;
  for (const ScannedWell& well : scan.wells) {
    if (well.reading != WellReading::kCode) continue;
    LIMS_ASSIGN_OR_RETURN(auto place, LookUp(tx, call, well.code));
    if (place) known[well.code] = *place;
  }
  return ReconcileBox(box.id, scan, recorded, known);
}

}  // namespace lims::services
