// Storage use cases on domain types, inside the caller's transaction. Every placement change
// re-checks the target position here and relies on the database's unique keys for the race.
#ifndef LIMS_SERVICES_STORAGE_STORAGE_OPERATIONS_H_
#define LIMS_SERVICES_STORAGE_STORAGE_OPERATIONS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "call_context.h"
#include "lims/core/box_layout.h"
#include "lims/core/domain.h"
#include "lims/db/database.h"
#include "lims/db/location_history.h"
#include "lims/db/placements.h"
#include "paging.h"

namespace lims::services {

struct NewStorageUnit {
  int64_t parent_id = 0;  // 0 only for a site root
  StorageKind kind = StorageKind::kBox;
  std::string name;
  int rows = 0;
  int columns = 0;
  Climate climate;  // freezers and rooms only
};

absl::StatusOr<StorageUnit> AddStorageUnit(db::Tx& tx, const CallContext& call,
                                           const NewStorageUnit& unit);

struct ClimateChange {
  int64_t unit_id = 0;
  Climate climate;                 // the unit's settings after the change
  std::optional<UnitState> state;  // unset: unchanged
  std::string reason;
};
// A freezer's or room's set point, thresholds, probe and state; audited with before and after.
absl::StatusOr<StorageUnit> ChangeClimate(db::Tx& tx, const CallContext& call,
                                          const ClimateChange& change);

struct UnitMove {
  int64_t unit_id = 0;
  int64_t new_parent_id = 0;
  std::string reason;  // required
};
struct MovedUnit {
  StorageUnit unit;
  int tubes = 0;
};
// A unit with everything inside it under another parent of the same site, in one transaction;
// each tube's history records that it moved with its box.
absl::StatusOr<MovedUnit> MoveUnit(db::Tx& tx, const CallContext& call, const UnitMove& move);

// Where a sample is after a placement change.
struct PlacementResult {
  Sample sample;
  BoxPlace where;
  std::optional<BoxPlace> previous;
};

// A tube into a position of a box ("C4"), and why or how it comes.
struct BoxPlacement {
  std::string barcode;
  int64_t box_id = 0;
  std::string position;
  std::string reason;   // MoveTube: optional
  bool thawed = false;  // PutBackTube: one more freeze-thaw cycle
};

// Puts a tube that is not yet stored into an empty position.
absl::StatusOr<PlacementResult> PutInBox(db::Tx& tx, const CallContext& call,
                                         const BoxPlacement& request);
// Moves a stored tube to another empty position.
absl::StatusOr<PlacementResult> MoveTube(db::Tx& tx, const CallContext& call,
                                         const BoxPlacement& request);

struct Retrieval {
  std::string barcode;
  std::string reason;  // required
};
// Takes a stored tube out (its position is freed).
absl::StatusOr<PlacementResult> TakeOutTube(db::Tx& tx, const CallContext& call,
                                            const Retrieval& request);
// Puts a checked-out tube back; a thawed tube counts one more freeze-thaw cycle.
absl::StatusOr<PlacementResult> PutBackTube(db::Tx& tx, const CallContext& call,
                                            const BoxPlacement& request);

// --- reads ---

struct UnitQuery {
  int64_t id = 0;
};
struct UnitInUse {
  StorageUnit unit;
  int occupied = 0;  // boxes only
};
// A tube's stays (by barcode), or every stay in a unit during a window.
struct LocationQuery {
  std::string barcode;  // set: one tube
  int64_t unit_id = 0;  // else: this unit, at any depth
  std::optional<absl::Time> since, until;
};
absl::StatusOr<std::vector<db::TubeStay>> LocationHistoryOf(db::Tx& tx, const CallContext& call,
                                                            const LocationQuery& query);

struct CapacityLine {
  StorageUnit unit;
  int64_t positions = 0, occupied = 0;
  int depth = 0;
};
// The unit and every unit below it, each with its positions in all and occupied: box
// positions, and the numbered slots of canisters, cassettes and bins.
absl::StatusOr<std::vector<CapacityLine>> CapacityOf(db::Tx& tx, const CallContext& call,
                                                     int64_t unit_id);

struct FreeQuery {
  std::string site_code;
  int rows = 0, columns = 0, count = 0;
};
struct FreePlaces {
  std::vector<BoxPlace> places;
  bool together = false;
};
// Empty positions in boxes of that layout at the site: all in the fullest box that still has
// room for them, else box after box.
absl::StatusOr<FreePlaces> FindFreePlaces(db::Tx& tx, const CallContext& call,
                                          const FreeQuery& query);

// A unit of the caller's sites, with how many positions of a box are used.
absl::StatusOr<UnitInUse> LookUpUnit(db::Tx& tx, const CallContext& call, const UnitQuery& query);

struct ChildrenQuery {
  int64_t parent_id = 0;  // 0: the roots (sites)
  int64_t after_id = 0;
  int limit = 0;
  std::string name_contains;        // set: a search by name over every level instead
  std::optional<StorageKind> kind;  // set: a search for this kind over every level
};
// The children of the caller's sites.
absl::StatusOr<VisiblePage<StorageUnit>> ListChildUnits(db::Tx& tx, const CallContext& call,
                                                        const ChildrenQuery& query);

struct BoxView {
  StorageUnit box;
  BoxLayout layout;
  std::vector<db::OccupiedSlot> slots;
};
// FAILED_PRECONDITION when the unit is not a box.
absl::StatusOr<BoxView> LookUpBoxContents(db::Tx& tx, const CallContext& call,
                                          const UnitQuery& query);

}  // namespace lims::services

#endif  // LIMS_SERVICES_STORAGE_STORAGE_OPERATIONS_H_
