// A consistent copy of a live SQLite database, taken with SQLite's online backup API while
// lims-server keeps writing: in WAL mode the copy reads one snapshot and writers go on.
#ifndef LIMS_DB_SQLITE_BACKUP_H_
#define LIMS_DB_SQLITE_BACKUP_H_

#include <string>

#include "absl/status/status.h"

namespace lims::db {

// Copies the database file `source_path` into the new file `target_path` (which must not
// exist). FAILED_PRECONDITION saying why when either cannot be opened or the copy fails.
absl::Status CopySqliteOnline(const std::string& source_path, const std::string& target_path);

}  // namespace lims::db

#endif  // LIMS_DB_SQLITE_BACKUP_H_
