// Storage use cases on domain types, inside the caller's transaction. Every placement change
// re-checks the target position here and relies on the database's unique keys for the race.
#ifndef LIMS_SERVICES_STORAGE_STORAGE_OPERATIONS_H_
#define LIMS_SERVICES_STORAGE_STORAGE_OPERATIONS_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "call_context.h"
#include "lims/core/domain.h"
#include "lims/db/database.h"
#include "lims/db/placements.h"

namespace lims::services {

struct NewStorageUnit {
  int64_t parent_id = 0;  // 0 only for a site root
  StorageKind kind = StorageKind::kBox;
  std::string name;
  int rows = 0;
  int columns = 0;
};

absl::StatusOr<StorageUnit> CreateStorageUnit(db::Tx& tx, const CallContext& call,
                                              const NewStorageUnit& unit);

// Where a sample is after a placement change.
struct PlacementResult {
  Sample sample;
  db::BoxPosition where;
  std::optional<db::BoxPosition> previous;
};

// Puts a tube that is not yet stored into an empty position.
absl::StatusOr<PlacementResult> PlaceSample(db::Tx& tx, const CallContext& call,
                                            const std::string& barcode, int64_t box_id,
                                            const std::string& position);
// Moves a stored tube to another empty position.
absl::StatusOr<PlacementResult> MoveSample(db::Tx& tx, const CallContext& call,
                                           const std::string& barcode, int64_t box_id,
                                           const std::string& position, const std::string& reason);
// Takes a stored tube out (its position is freed); `reason` is required.
absl::StatusOr<PlacementResult> RetrieveSample(db::Tx& tx, const CallContext& call,
                                               const std::string& barcode,
                                               const std::string& reason);
// Puts a checked-out tube back; a thawed tube counts one more freeze-thaw cycle.
absl::StatusOr<PlacementResult> ReturnSample(db::Tx& tx, const CallContext& call,
                                             const std::string& barcode, int64_t box_id,
                                             const std::string& position, bool thawed);

}  // namespace lims::services

#endif  // LIMS_SERVICES_STORAGE_STORAGE_OPERATIONS_H_
