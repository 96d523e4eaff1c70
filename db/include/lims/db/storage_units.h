#ifndef LIMS_DB_STORAGE_UNITS_H_
#define LIMS_DB_STORAGE_UNITS_H_

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "lims/core/domain.h"
#include "lims/db/database.h"

namespace lims::db {

// A unit's stay under a parent (to unset: still there).
struct UnitStay {
  int64_t unit_id = 0;
  StorageKind unit_kind = StorageKind::kBox;
  int64_t parent_id = 0;
  absl::Time from;
  std::optional<absl::Time> to;
};

struct BoxInterval {
  int64_t box_id = 0;
  absl::Time from, to;
};

class StorageUnitRepository {
 public:
  explicit StorageUnitRepository(Tx& tx) : tx_(tx) {}

  // Sets unit.id (and its climate, and its first stay under its parent). ABORTED if a sibling
  // with the same name appears concurrently.
  absl::Status Insert(StorageUnit& unit, absl::Time now);
  // The set point, thresholds, probe and state. ABORTED when another unit has the probe.
  absl::Status WriteClimate(int64_t id, const Climate& climate);
  // Puts `unit` (with everything inside it) under `new_parent`: the paths below follow, and the
  // unit's stays record the move.
  absl::Status Move(const StorageUnit& unit, const StorageUnit& new_parent, absl::Time now);
  // The stays of units under `parent_id` / of `unit_id` under its parents that meet [from, to).
  absl::StatusOr<std::vector<UnitStay>> ChildrenBetween(int64_t parent_id, absl::Time from,
                                                        absl::Time to);
  absl::StatusOr<std::vector<UnitStay>> ParentsBetween(int64_t unit_id, absl::Time from,
                                                       absl::Time to);
  absl::StatusOr<std::optional<StorageUnit>> FindByProbe(const std::string& probe_id);
  // The unit and every unit below it, in path order.
  absl::StatusOr<std::vector<StorageUnit>> Subtree(const StorageUnit& unit);
  // A site's boxes of a layout with room left: each with how many positions are taken, in id
  // order, at most `limit`.
  absl::StatusOr<std::vector<std::pair<StorageUnit, int>>> BoxesWithRoom(int64_t site_id, int rows,
                                                                         int columns, int limit);
  // Every box that was inside `unit` (at any depth) during part of [from, to), with that part;
  // a box moved in and out twice appears twice. The unit itself when it is a box.
  absl::StatusOr<std::vector<BoxInterval>> BoxesUnderBetween(const StorageUnit& unit,
                                                             absl::Time from, absl::Time to);
  // NOT_FOUND says which id.
  absl::StatusOr<StorageUnit> FindById(int64_t id);
  absl::StatusOr<std::optional<StorageUnit>> FindChildByName(int64_t parent_id,
                                                             const std::string& name);
  // The root unit of a site, if it was created.
  absl::StatusOr<std::optional<StorageUnit>> FindSiteRoot(int64_t site_id);
  // Children of parent_id (0: the roots) with id > after_id, in id order.
  absl::StatusOr<std::vector<StorageUnit>> ListChildren(int64_t parent_id, int64_t after_id,
                                                        int limit);
  // Units whose name contains `text` (ASCII case-insensitive), of one kind unless unset, with
  // id > after_id, in id order.
  absl::StatusOr<std::vector<StorageUnit>> SearchByName(const std::string& text,
                                                        std::optional<StorageKind> kind,
                                                        int64_t after_id, int limit);

 private:
  absl::StatusOr<std::vector<StorageUnit>> Query(const std::string& where,
                                                 const std::vector<long long>& values,
                                                 const std::string* name);
  void OpenParentStay(int64_t unit_id, int64_t parent_id, absl::Time at);
  absl::StatusOr<std::vector<UnitStay>> StaysBetween(const char* key_column, int64_t key,
                                                     absl::Time from, absl::Time to);
  Tx& tx_;
};

}  // namespace lims::db

#endif  // LIMS_DB_STORAGE_UNITS_H_
