#include "dialect.h"

#include "absl/strings/str_replace.h"

namespace lims::db {

std::string ExpandMigration(absl::string_view sql, Backend backend) {
  if (backend == Backend::kSqlite) {
    return absl::StrReplaceAll(sql, {{"${PK}", "INTEGER PRIMARY KEY AUTOINCREMENT"},
                                     {"${LONG_TEXT}", "TEXT"},
                                     {"${TABLE_OPTIONS}", ""}});
  }
  // utf8mb4_bin: every string compares byte for byte, so barcodes are stored literally and
  // "abc" and "ABC" stay two different pre-printed codes.
  return absl::StrReplaceAll(
      sql, {{"${PK}", "BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY"},
            {"${LONG_TEXT}", "MEDIUMTEXT"},
            {"${TABLE_OPTIONS}", "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"}});
}

const char* BeginWriteSql(Backend backend) {
  return backend == Backend::kSqlite ? "BEGIN IMMEDIATE" : "START TRANSACTION";
}

const char* SessionSetupSql(Backend backend) {
  if (backend == Backend::kSqlite) {
    // WAL: readers never block the writer; FULL: a committed tube survives a power cut.
    // busy_timeout: how long a writer waits for the write lock before reporting "busy".
    return "PRAGMA busy_timeout=10000;PRAGMA journal_mode=WAL;PRAGMA synchronous=FULL;"
           "PRAGMA foreign_keys=ON";
  }
  return "SET SESSION sql_mode='STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ENGINE_SUBSTITUTION'";
}

}  // namespace lims::db
