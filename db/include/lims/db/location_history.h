// Where tubes were and when: one row per stay in a box position, written by PlacementRepository
// as tubes are placed, moved and taken out.
#ifndef LIMS_DB_LOCATION_HISTORY_H_
#define LIMS_DB_LOCATION_HISTORY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "lims/db/database.h"

namespace lims::db {

struct TubeStay {
  int64_t sample_id = 0;
  std::string barcode;
  int64_t box_id = 0;
  int position = 0;
  std::string box_path;  // the box's path today
  int rows = 0, columns = 0;
  absl::Time from;
  std::optional<absl::Time> to;  // unset: still there
};

class LocationHistory {
 public:
  explicit LocationHistory(Tx& tx) : tx_(tx) {}

  // Every stay of the tube, oldest first.
  absl::StatusOr<std::vector<TubeStay>> ForSample(int64_t sample_id);
  // The stays in the box that meet [from, to).
  absl::StatusOr<std::vector<TubeStay>> InBoxBetween(int64_t box_id, absl::Time from,
                                                     absl::Time to);
  // Adds the stays older than each tube's first kept one, as the audit trail tells them (tubes
  // stored before the history was kept have only their stay since then). Returns how many.
  // Reads `samples_per_batch` tubes' events at a time (by sample id): its memory does not grow
  // with the database.
  absl::StatusOr<int64_t> RebuildFromAudit(int64_t samples_per_batch = 5000);

 private:
  absl::StatusOr<std::vector<TubeStay>> Select(const std::string& where,
                                               const std::vector<long long>& values);
  Tx& tx_;
};

}  // namespace lims::db

#endif  // LIMS_DB_LOCATION_HISTORY_H_
