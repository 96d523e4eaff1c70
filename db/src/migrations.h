// Numbered SQL migrations (db/migrations/NNNN_name.sql), embedded in the binary at build time.
#ifndef LIMS_DB_SRC_MIGRATIONS_H_
#define LIMS_DB_SRC_MIGRATIONS_H_

#include <vector>

#include "absl/status/status.h"
#include "lims/db/database_url.h"

namespace soci {
class session;
}

namespace lims::db {

struct Migration {
  int version;
  const char* name;
  const char* sql;
};

// All migrations in version order (generated from db/migrations/).
const std::vector<Migration>& EmbeddedMigrations();

// Applies every migration not recorded in schema_migrations, in version order, each in its own
// transaction that also records its version, so a crash never leaves a version half-recorded.
absl::Status ApplyMigrations(soci::session& session, Backend backend);

}  // namespace lims::db

#endif  // LIMS_DB_SRC_MIGRATIONS_H_
