// The only place where SQLite and MariaDB differ: column types in migrations, how a write
// transaction starts, row locking and session set-up.
#ifndef LIMS_DB_SRC_DIALECT_H_
#define LIMS_DB_SRC_DIALECT_H_

#include <string>
#include "absl/strings/string_view.h"

#include "lims/db/database_url.h"

namespace lims::db {

// Replaces ${PK}, ${LONG_TEXT}, ${TABLE_OPTIONS}, ${ADD_COLUMN} ("ALTER TABLE t ${ADD_COLUMN} c
// ...", re-runnable on MariaDB) and ${INSERT_IGNORE} (an INSERT that skips existing keys) in a
// migration.
std::string ExpandMigration(absl::string_view sql, Backend backend);

// Starts a write transaction. SQLite takes the write lock up front (BEGIN IMMEDIATE) so that
// two writers never deadlock on a lock upgrade; MariaDB uses row locks.
const char* BeginWriteSql(Backend backend);

// Appended to a SELECT inside a write transaction to read the newest version of the rows and
// lock them until commit (MariaDB); empty on SQLite, whose BEGIN IMMEDIATE already serialises
// writers.
const char* LockingReadSuffix(Backend backend);
// A read of the newest rows that others may read too but not change until this transaction
// ends (MariaDB: LOCK IN SHARE MODE; SQLite's writers are serialised anyway).
const char* SharedReadSuffix(Backend backend);

// Put after SELECT to join the tables in the order written: MariaDB's STRAIGHT_JOIN, for a page
// read in key order that its planner would otherwise start from a small joined table, sorting
// every row of the large one; empty on SQLite, which walks the key range already.
const char* JoinInWrittenOrder(Backend backend);

// Put after a table (and its alias) to read it through `index` only: SQLite's INDEXED BY,
// MariaDB's FORCE INDEX. For a query built around one covering index, which another index
// matching one of its conditions (e.g. the samples' status) must not take over.
std::string ThroughIndex(Backend backend, absl::string_view index);

// Session set-up statements run once per pooled connection.
const char* SessionSetupSql(Backend backend);

}  // namespace lims::db

#endif  // LIMS_DB_SRC_DIALECT_H_
