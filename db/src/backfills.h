// Data work done once per database after the migrations, each piece recorded in data_backfills.
#ifndef LIMS_DB_SRC_BACKFILLS_H_
#define LIMS_DB_SRC_BACKFILLS_H_

#include "absl/status/status.h"
#include "lims/db/database.h"

namespace lims::db {

// Runs every piece not recorded yet, in the caller's transaction. Two servers starting at once:
// the second waits on the first's record, its transaction is retried, and finds the work done.
absl::Status RunBackfills(Tx& tx);

}  // namespace lims::db

#endif  // LIMS_DB_SRC_BACKFILLS_H_
