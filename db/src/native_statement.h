// The hot reads' prepared statements, through each database's own API rather than SOCI's —
// the exception to "SOCI only" agreed for MariaDB (issue 22) and its SQLite counterpart, one
// file each:
//   mariadb_statement.cc (Connector/C's mysql_stmt_*): a server-side prepared statement. SOCI
//     4.0's MySQL backend sends every statement as text, which on the scan's 13-table join
//     costs more than running it; the rows come back binary.
//   sqlite_statement.cc (SQLite's sqlite3_stmt): SOCI 4.0's sqlite3 backend turns every value
//     it fetches into text and back (about 70 of the 240 ms a broad criteria preview spent
//     reading its rows).
// Both work on the connection of a SOCI session.
//
// Failures throw SOCI's own error type for the backend (soci::mysql_soci_error with MariaDB's
// error number, soci::sqlite3_soci_error with SQLite's result code), so that Guarded() maps them
// like any SOCI error. A statement that threw is in an unknown state: drop it
// (ConnectionCache::Erase). Used by one thread at a time, like its session; it must be
// destroyed before its session is closed.
#ifndef LIMS_DB_SRC_NATIVE_STATEMENT_H_
#define LIMS_DB_SRC_NATIVE_STATEMENT_H_

#include <memory>
#include <string>
#include <vector>

#include "lims/db/database_url.h"

namespace soci {
class session;
}

namespace lims::db {

class NativeStatement {
 public:
  virtual ~NativeStatement() = default;

  // Runs the statement with its parameters (text, in the order of the `?`s); its rows are then
  // read with Fetch.
  virtual void Execute(std::vector<std::string> parameters) = 0;
  void Execute(const std::string& parameter) { Execute(std::vector<std::string>{parameter}); }
  // Moves to the next row of the result; false after the last, which also ends the read (an
  // SQLite read keeps its snapshot until then, a MariaDB one its result).
  virtual bool Fetch() = 0;

  // Column `column` (0-based) of the current row; NULL reads as 0 or "".
  virtual void Get(int column, long long& value) const = 0;
  virtual void Get(int column, std::string& value) const = 0;
  void Get(int column, int& value) const {
    long long wide = 0;
    Get(column, wide);
    value = static_cast<int>(wide);
  }
};

// How a MariaDB result reaches the client (SQLite reads rows where they are stored either way).
enum class ResultRows {
  // All of it at Execute: the connection is free for other statements while the rows are read.
  kBuffered,
  // A row at each Fetch, straight from the connection, which serves nothing else until the last
  // row is read (or the statement destroyed): for a statement read to its end at once, sparing
  // the client a copy of hundreds of thousands of rows in memory.
  kStreamed,
};

// Each backend's statement: `sql` (a `?` for each parameter) prepared on `session`'s connection.
std::unique_ptr<NativeStatement> PrepareMariaDb(soci::session& session, const std::string& sql,
                                                ResultRows rows);
std::unique_ptr<NativeStatement> PrepareSqlite(soci::session& session, const std::string& sql);

inline std::unique_ptr<NativeStatement> PrepareNative(soci::session& session, Backend backend,
                                                      const std::string& sql,
                                                      ResultRows rows = ResultRows::kBuffered) {
  return backend == Backend::kMariaDb ? PrepareMariaDb(session, sql, rows)
                                      : PrepareSqlite(session, sql);
}

}  // namespace lims::db

#endif  // LIMS_DB_SRC_NATIVE_STATEMENT_H_
