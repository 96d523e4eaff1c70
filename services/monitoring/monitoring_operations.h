// Monitoring use cases inside the caller's transaction: readings in (from a CSV or a bridge),
// excursions found again for the units they concern, their exposure, the manager's
// acknowledgement.
#ifndef LIMS_SERVICES_MONITORING_MONITORING_OPERATIONS_H_
#define LIMS_SERVICES_MONITORING_MONITORING_OPERATIONS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "call_context.h"
#include "lims/core/domain.h"
#include "lims/core/reading_csv.h"
#include "lims/db/database.h"
#include "lims/db/temperatures.h"

namespace lims::services {

struct ReadingsOutcome {
  int accepted = 0;  // readings in the batch without error
  int fresh = 0;     // new to the LIMS
  int duplicates = 0;
  int excursions_open = 0;  // of the units concerned, after the batch
  std::vector<CsvLineError> errors;
};

struct ReadingsBatch {
  std::vector<ProbeReading> readings;
  std::vector<CsvLineError> errors;  // found while reading the file
  bool dry_run = false;
  absl::Duration raw_retention = absl::Hours(24 * 90);
  std::string source;  // "csv" or "push", for the audit trail
};

// Every probe must name a unit of the caller's sites. With any error nothing is written (the
// errors come back, line by line for a file); else the readings are stored (the same twice
// once), the units' excursions found again from the first new reading on, raw readings older
// than the retention dropped (their hourly figures stay), and the batch audited.
absl::StatusOr<ReadingsOutcome> RecordReadings(db::Tx& tx, const CallContext& call,
                                               const ReadingsBatch& batch);

// An excursion and the unit it is of, if the caller works at its site.
struct ExcursionView {
  db::ExcursionRecord record;
  StorageUnit unit;
};
absl::StatusOr<ExcursionView> LookUpExcursion(db::Tx& tx, const CallContext& call, int64_t id);

// The newest excursions: of the unit (for a rack or box, of the units holding it), or of the
// caller's sites.
absl::StatusOr<std::vector<ExcursionView>> ListUnitExcursions(db::Tx& tx, const CallContext& call,
                                                              int64_t unit_id, bool open_only,
                                                              int limit);

struct Investigation {
  int64_t excursion_id = 0;
  std::string cause, impact, corrective_action;
};
// Records the investigation (all three required), once; audited.
absl::StatusOr<ExcursionView> AcknowledgeExcursion(db::Tx& tx, const CallContext& call,
                                                   const Investigation& investigation);

// A temperature-holding unit's readings in [from, to] (at most `max_points`, evenly thinned).
struct UnitTemperatures {
  StorageUnit unit;
  std::vector<Reading> readings;
  std::optional<Reading> last;
};
absl::StatusOr<UnitTemperatures> TemperaturesOf(db::Tx& tx, const CallContext& call,
                                                int64_t unit_id, absl::Time from, absl::Time to,
                                                size_t max_points);

}  // namespace lims::services

#endif  // LIMS_SERVICES_MONITORING_MONITORING_OPERATIONS_H_
