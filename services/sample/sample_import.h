// Loading an existing collection from another system's CSV export (docs/import-samples.md):
// every line is checked first, and only a file without any error is written — patients and
// enrollments missing, then each tube, its parent, its box position — in the caller's one
// transaction, with one audit event per batch of tubes listing them.
#ifndef LIMS_SERVICES_SAMPLE_SAMPLE_IMPORT_H_
#define LIMS_SERVICES_SAMPLE_SAMPLE_IMPORT_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "call_context.h"
#include "import_errors.h"
#include "lims/db/database.h"

namespace lims::services {

struct TubeImportReport {
  int rows_read = 0;
  int rows_accepted = 0;  // 0 when there is any error
  ImportErrors errors;
  int patients_created = 0;
  int enrollments_created = 0;
  int primary_tubes_created = 0;
  int derived_tubes_created = 0;
  int tubes_placed = 0;
};

struct TubeFile {
  std::string_view csv;  // read in place
  bool dry_run = false;
  absl::TimeZone zone = absl::UTCTimeZone();  // of times written without an offset
};

// Tubes per audit event.
inline constexpr int kTubesPerAuditEvent = 10000;

// Errors in the file are in the report; the status is for the database's failures.
absl::StatusOr<TubeImportReport> ImportTubes(db::Tx& tx, const CallContext& call,
                                             const TubeFile& file);

}  // namespace lims::services

#endif  // LIMS_SERVICES_SAMPLE_SAMPLE_IMPORT_H_
