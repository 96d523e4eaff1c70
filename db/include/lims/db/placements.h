#ifndef LIMS_DB_PLACEMENTS_H_
#define LIMS_DB_PLACEMENTS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lims/core/box_layout.h"
#include "lims/core/domain.h"
#include "lims/db/database.h"

namespace lims::db {

// A box position with what a person needs to find it: the domain's BoxPlace, read from the
// placements and storage tables.
using BoxPosition = ::lims::BoxPlace;

// One occupied position of a box.
struct OccupiedSlot {
  int position = 0;
  int64_t sample_id = 0;
  std::string barcode;
  std::string sample_type;
};

class PlacementRepository {
 public:
  explicit PlacementRepository(Tx& tx) : tx_(tx) {}

  // ABORTED when the position or the sample was taken concurrently: the database's unique keys
  // refuse a second tube in a position and a second position for a tube.
  absl::Status Insert(const Placement& placement, absl::Time now);
  // Removes the sample's placement (its stay there ends `now`); ABORTED if it has none.
  absl::Status DeleteBySample(int64_t sample_id, absl::Time now);
  absl::StatusOr<std::optional<BoxPosition>> FindBySample(int64_t sample_id);
  absl::StatusOr<std::optional<OccupiedSlot>> FindByPosition(int64_t box_id, int position);
  // Occupied positions in position order.
  absl::StatusOr<std::vector<OccupiedSlot>> ListBox(int64_t box_id);
  absl::StatusOr<int> CountBox(int64_t box_id);
  // The tubes stored in the unit at any depth (the unit itself and those below its path).
  absl::StatusOr<std::vector<OccupiedSlot>> ListUnder(int64_t unit_id, const std::string& path);
  // How many tubes each box in the unit (at any depth) holds; boxes holding none are left out.
  absl::StatusOr<std::map<int64_t, int64_t>> CountByBoxUnder(int64_t unit_id,
                                                             const std::string& path);

 private:
  Tx& tx_;
};

}  // namespace lims::db

#endif  // LIMS_DB_PLACEMENTS_H_
