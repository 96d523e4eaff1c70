#include "sql_errors.h"

#include <iostream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "soci/mysql/soci-mysql.h"
#include "soci/soci.h"
#include "soci/sqlite3/soci-sqlite3.h"

namespace lims::db {
namespace {

// MariaDB server error numbers (include/mysqld_error.h).
constexpr unsigned kErDupEntry = 1062;
constexpr unsigned kErLockWaitTimeout = 1205;
constexpr unsigned kErLockDeadlock = 1213;  // also Galera certification failures
constexpr unsigned kErNoReferencedRow = 1452;
constexpr unsigned kErRowIsReferenced = 1451;

absl::Status Conflict(const std::exception& e) {
  return absl::AbortedError(
      absl::StrCat("a concurrent change won the race; retry the whole operation (", e.what(), ")"));
}

absl::Status Internal(const std::exception& e) {
  std::cerr << "database error: " << e.what() << "\n";
  return absl::InternalError(absl::StrCat("database error: ", e.what()));
}

}  // namespace

absl::Status StatusFromException(const std::exception& e) {
  // A lost unique-key race is reported as ABORTED: the retried transaction re-checks the state and
  // then answers precisely (e.g. "position A1 already holds ...").
  if (const auto* my = dynamic_cast<const soci::mysql_soci_error*>(&e)) {
    switch (my->err_num_) {
      case kErDupEntry:
      case kErLockWaitTimeout:
      case kErLockDeadlock:
        return Conflict(e);
      case kErNoReferencedRow:
      case kErRowIsReferenced:
        return absl::FailedPreconditionError(
            absl::StrCat("a referenced record does not exist or is still in use (", e.what(), ")"));
      default:
        if (my->get_error_category() == soci::soci_error::connection_error) {
          return absl::UnavailableError(absl::StrCat("database unreachable: ", e.what()));
        }
        return Internal(e);
    }
  }
  if (const auto* lite = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
    const int code = lite->result() & 0xff;
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED) return Conflict(e);
    if (code == SQLITE_CONSTRAINT) {
      if (absl::StrContains(e.what(), "UNIQUE") || absl::StrContains(e.what(), "PRIMARY KEY")) {
        return Conflict(e);
      }
      if (absl::StrContains(e.what(), "FOREIGN KEY")) {
        return absl::FailedPreconditionError(
            absl::StrCat("a referenced record does not exist or is still in use (", e.what(), ")"));
      }
    }
    return Internal(e);
  }
  // SOCI reports some sqlite3 errors (e.g. at commit) as plain soci_error with the text only.
  if (absl::StrContains(e.what(), "database is locked")) return Conflict(e);
  return Internal(e);
}

}  // namespace lims::db
