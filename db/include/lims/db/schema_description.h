// A backend-neutral description of the live schema, for the schema-parity test: SQLite and
// MariaDB must end every migration with the same tables, columns, keys and named indexes.
#ifndef LIMS_DB_SCHEMA_DESCRIPTION_H_
#define LIMS_DB_SCHEMA_DESCRIPTION_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "lims/db/database.h"

namespace lims::db {

// Facts such as "samples.barcode", "samples PK(id)", "placements UNIQUE(box_id,position_number)"
// and "samples INDEX ix_samples_parent(parent_id)". Column types are not compared: they differ
// by design (see dialect.cc).
absl::StatusOr<std::set<std::string>> DescribeSchema(Database& db);

// Rows per table, e.g. to show that a refused call changed nothing.
absl::StatusOr<std::map<std::string, int64_t>> CountRows(Database& db);

}  // namespace lims::db

#endif  // LIMS_DB_SCHEMA_DESCRIPTION_H_
