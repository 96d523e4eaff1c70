#include "dialect.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace lims::db {

std::string ExpandMigration(absl::string_view sql, Backend backend) {
  if (backend == Backend::kSqlite) {
    return absl::StrReplaceAll(sql, {{"${PK}", "INTEGER PRIMARY KEY AUTOINCREMENT"},
                                     {"${LONG_TEXT}", "TEXT"},
                                     {"${TABLE_OPTIONS}", ""},
                                     {"${ADD_COLUMN}", "ADD COLUMN"},
                                     {"${INSERT_IGNORE}", "INSERT OR IGNORE"},
                                     {"${ON_TABLE_samples}", ""}});
  }
  // utf8mb4_bin: every string compares byte for byte, so barcodes are stored literally and
  // "abc" and "ABC" stay two different pre-printed codes. MariaDB commits DDL at once, so a
  // migration interrupted half-way runs again: hence "IF NOT EXISTS" and "INSERT IGNORE" (SQLite
  // rolls the whole migration back and has no "ADD COLUMN IF NOT EXISTS"). MariaDB's DROP INDEX
  // names the table; SQLite's index names are global and it takes none.
  return absl::StrReplaceAll(
      sql, {{"${PK}", "BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY"},
            {"${LONG_TEXT}", "MEDIUMTEXT"},
            {"${TABLE_OPTIONS}", "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"},
            {"${ADD_COLUMN}", "ADD COLUMN IF NOT EXISTS"},
            {"${INSERT_IGNORE}", "INSERT IGNORE"},
            {"${ON_TABLE_samples}", " ON samples"}});
}

const char* BeginWriteSql(Backend backend) {
  return backend == Backend::kSqlite ? "BEGIN IMMEDIATE" : "START TRANSACTION";
}

const char* LockingReadSuffix(Backend backend) {
  // A plain SELECT in a MariaDB REPEATABLE READ transaction reads the transaction's snapshot,
  // which may predate another writer's commit; FOR UPDATE reads the newest row and locks it.
  return backend == Backend::kSqlite ? "" : " FOR UPDATE";
}

const char* SharedReadSuffix(Backend backend) {
  return backend == Backend::kSqlite ? "" : " LOCK IN SHARE MODE";
}

const char* SessionSetupSql(Backend backend) {
  if (backend == Backend::kSqlite) {
    // WAL: readers never block the writer; FULL: a committed tube survives a power cut.
    // busy_timeout: how long a writer waits for the write lock before reporting "busy".
    return "PRAGMA busy_timeout=10000;PRAGMA journal_mode=WAL;PRAGMA synchronous=FULL;"
           "PRAGMA foreign_keys=ON";
  }
  // wsrep_sync_wait=1: on a Galera node a read first waits for the writes the cluster has
  // certified to be applied here, so a tube placed through one node is seen through any other
  // (causal reads); without Galera it changes nothing. in_predicate_conversion_threshold=0:
  // an IN list of thousands of ids (a preview's patients) is a range over the index, not first
  // turned into a derived table (MariaDB's default beyond 1,000 values; 20 ms of a preview's
  // 110 ms on a million samples); in a versioned comment, as servers before 10.3.18 lack it.
  return "SET SESSION sql_mode='STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ENGINE_SUBSTITUTION';"
         "SET SESSION wsrep_sync_wait=1 /*M!100318 , in_predicate_conversion_threshold=0 */";
}

std::string ThroughIndex(Backend backend, absl::string_view index) {
  return backend == Backend::kMariaDb ? absl::StrCat(" FORCE INDEX (", index, ")")
                                      : absl::StrCat(" INDEXED BY ", index);
}

const char* JoinInWrittenOrder(Backend backend) {
  return backend == Backend::kMariaDb ? "STRAIGHT_JOIN " : "";
}

}  // namespace lims::db
