// Evacuating a freezer inside the caller's transaction: the plan (each rack or box into the
// backup freezer, most critical first, withdrawn consent last), its progress, each move carried
// out as the unit's label is scanned, the printable pick list, and the put-back plan.
#ifndef LIMS_SERVICES_MONITORING_EVACUATION_OPERATIONS_H_
#define LIMS_SERVICES_MONITORING_EVACUATION_OPERATIONS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "call_context.h"
#include "lims/core/domain.h"
#include "lims/db/database.h"
#include "lims/db/evacuations.h"

namespace lims::services {

struct EvacuationRequest {
  int64_t from_unit_id = 0, to_unit_id = 0;
  int64_t put_back_of = 0;  // set: reverse that plan's moves carried out
};
struct PlannedMove {
  db::EvacuationMove move;
  StorageUnit unit;       // as it is now
  std::string from_path;  // where the plan found it
  std::string to_path;    // the parent it goes into
  bool done = false;
};
struct EvacuationView {
  db::EvacuationPlan plan;  // its moves are in `moves`, with their progress
  std::string from_path, to_path;
  std::vector<PlannedMove> moves;
  int MovesDone() const;
};
// Plans (and stores) the evacuation of a freezer's racks and boxes into another freezer or
// room of the same site; audited.
absl::StatusOr<EvacuationView> PlanEvacuation(db::Tx& tx, const CallContext& call,
                                              const EvacuationRequest& request);
// A stored plan with each move's progress.
absl::StatusOr<EvacuationView> LookUpEvacuation(db::Tx& tx, const CallContext& call,
                                                int64_t plan_id);

// The unit whose label was scanned, moved where the plan puts it (StorageService's MoveUnit:
// its checks, its audit). Refused, nothing moved: a label not in the plan, a move done already.
struct ScannedMove {
  int64_t plan_id = 0;
  std::string scanned_code;
};
absl::StatusOr<EvacuationView> RecordEvacuationMove(db::Tx& tx, const CallContext& call,
                                                    const ScannedMove& scanned,
                                                    PlannedMove* carried_out);

// The plan's pick list as an A4 PDF.
absl::StatusOr<std::string> PickListPdfOf(const EvacuationView& view);

}  // namespace lims::services

#endif  // LIMS_SERVICES_MONITORING_EVACUATION_OPERATIONS_H_
