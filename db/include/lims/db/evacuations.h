// Evacuation plans as stored: the moves of racks and boxes from a freezer into a backup one.
#ifndef LIMS_DB_EVACUATIONS_H_
#define LIMS_DB_EVACUATIONS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "lims/db/database.h"

namespace lims::db {

struct EvacuationMove {
  int64_t unit_id = 0;
  int64_t from_parent_id = 0;
  int64_t to_parent_id = 0;
  int64_t tubes = 0;
  int64_t critical_tubes = 0;
  int64_t withdrawn_tubes = 0;  // their patient withdrew consent to storage or research
};

struct TubeCounts {
  int64_t tubes = 0;
  int64_t critical = 0;
  int64_t withdrawn = 0;
};

struct EvacuationPlan {
  int64_t id = 0;
  int64_t from_unit_id = 0;
  int64_t to_unit_id = 0;
  int64_t put_back_of = 0;  // 0: an evacuation
  std::string created_by;
  absl::Time created_at;
  std::vector<EvacuationMove> moves;  // in the order to carry them out
};

class EvacuationRepository {
 public:
  explicit EvacuationRepository(Tx& tx) : tx_(tx) {}

  // Sets plan.id.
  absl::Status Insert(EvacuationPlan& plan);
  absl::StatusOr<EvacuationPlan> FindById(int64_t id);
  // Tubes stored in the unit at any depth; how many of them are critical (reserved for a
  // request, a cell-therapy bag's retention or QC tube, or the last stored tube of their
  // patient's timepoint and type), and how many belong to a patient whose latest word on
  // storage or research, effective by `today`, is a withdrawal.
  absl::StatusOr<TubeCounts> CountTubes(int64_t unit_id, const std::string& path,
                                        const std::string& today);

 private:
  Tx& tx_;
};

}  // namespace lims::db

#endif  // LIMS_DB_EVACUATIONS_H_
