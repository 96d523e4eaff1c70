#include "sql_errors.h"

#include <algorithm>
#include <iterator>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "soci/mysql/soci-mysql.h"
#include "soci/soci.h"
#include "soci/sqlite3/soci-sqlite3.h"
#include "spdlog/spdlog.h"

namespace lims::db {
namespace {

// MariaDB server error numbers (include/mysqld_error.h) and client ones (errmsg.h).
constexpr unsigned kErDupEntry = 1062;
constexpr unsigned kErLockWaitTimeout = 1205;
constexpr unsigned kErLockDeadlock = 1213;  // also Galera certification failures
constexpr unsigned kErNoReferencedRow = 1452;
constexpr unsigned kErRowIsReferenced = 1451;
// The connection is gone or the server cannot serve now: reconnecting may help.
constexpr unsigned kConnectionLost[] = {
    1047,  // ER_UNKNOWN_COM_ERROR: a Galera node not ready (not in the primary component)
    1053,  // ER_SERVER_SHUTDOWN
    1927,  // ER_CONNECTION_KILLED
    4031,  // ER_CLIENT_INTERACTION_TIMEOUT: wait_timeout passed
    2002, 2003, 2005,  // cannot connect (socket, TCP, unknown host)
    2006,  // CR_SERVER_GONE_ERROR
    2013,  // CR_SERVER_LOST
    2055,  // CR_SERVER_LOST_EXTENDED
};

// What the server's log keeps: the database's message and statement without the values bound
// to it (token hashes, registry ids). Clients get none of it.
void Log(const char* what, const std::exception& e) {
  std::string text = e.what();
  const size_t values = text.find(" with :");
  if (values != std::string::npos) text.resize(values);
  spdlog::error("database {}: {}", what, text);
}

absl::Status Conflict() {
  return absl::AbortedError("a concurrent change won the race; retry the whole operation");
}

absl::Status InUse() {
  return absl::FailedPreconditionError("a referenced record does not exist or is still in use");
}

absl::Status Internal(const std::exception& e) {
  Log("error", e);
  return absl::InternalError("database error; the server's log has the details");
}

}  // namespace

absl::Status ConnectionLost() {
  return absl::UnavailableError(
      "the database cannot be reached; retry in a moment (the server reconnects by itself)");
}

absl::Status StatusFromException(const std::exception& e) {
  // A lost unique-key race is reported as ABORTED: the retried transaction re-checks the state and
  // then answers precisely (e.g. "position A1 already holds ...").
  if (const auto* my = dynamic_cast<const soci::mysql_soci_error*>(&e)) {
    switch (my->err_num_) {
      case kErDupEntry:
      case kErLockWaitTimeout:
      case kErLockDeadlock:
        return Conflict();
      case kErNoReferencedRow:
      case kErRowIsReferenced:
        return InUse();
      default:
        if (my->get_error_category() == soci::soci_error::connection_error ||
            std::find(std::begin(kConnectionLost), std::end(kConnectionLost), my->err_num_) !=
                std::end(kConnectionLost)) {
          Log("connection lost", e);
          return ConnectionLost();
        }
        return Internal(e);
    }
  }
  if (const auto* lite = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
    const int code = lite->result() & 0xff;
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED) return Conflict();
    if (code == SQLITE_CONSTRAINT) {
      if (absl::StrContains(e.what(), "UNIQUE") || absl::StrContains(e.what(), "PRIMARY KEY")) {
        return Conflict();
      }
      if (absl::StrContains(e.what(), "FOREIGN KEY")) return InUse();
    }
    return Internal(e);
  }
  // SOCI reports some sqlite3 errors (e.g. at commit) as plain soci_error with the text only.
  if (absl::StrContains(e.what(), "database is locked")) return Conflict();
  return Internal(e);
}

}  // namespace lims::db
