// Registry CSV import: validate every row, then apply all of them or none.
#ifndef LIMS_SERVICES_REGISTRY_REGISTRY_IMPORT_H_
#define LIMS_SERVICES_REGISTRY_REGISTRY_IMPORT_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "call_context.h"
#include "import_errors.h"
#include "lims/db/database.h"

namespace lims::services {

struct ImportReport {
  int rows_read = 0;
  int rows_accepted = 0;  // 0 when there is any error
  int patients_created = 0;
  int enrollments_created = 0;
  int enrollments_updated = 0;  // anchor date changed
  ImportErrors errors;
};

struct RegistryFile {
  std::string_view csv;  // the caller's text, read in place
  bool dry_run = false;
};
// Reads `csv` (header with at least registry_id, site_code, protocol_code, anchor_date) twice,
// streaming: first every row is checked (registry id format, the site exists and the caller works
// there, a patient stays at its site, the protocol exists, the anchor date is a real date, no
// patient × protocol twice) and every error is collected with its line; then, only when there is
// none and `dry_run` is false, missing patients and enrollments are created and changed anchor
// dates updated, each change audited. The counts are the same with and without `dry_run`.
// Errors in the file are in the report, not the status; the status is for database failures.
absl::StatusOr<ImportReport> ImportRegistryRows(db::Tx& tx, const CallContext& call,
                                                const RegistryFile& request);

}  // namespace lims::services

#endif  // LIMS_SERVICES_REGISTRY_REGISTRY_IMPORT_H_
