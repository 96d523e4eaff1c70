#ifndef LIMS_DB_SRC_SQLITE_STATEMENT_H_
#define LIMS_DB_SRC_SQLITE_STATEMENT_H_

#include <memory>
#include <string>
#include <vector>

namespace soci {
class session;
}

namespace lims::db {

// SQLite's own prepared statement on a SOCI sqlite3 session's connection, with the interface of
// MariaDbStatement, for the reads that return many values: SOCI 4.0's sqlite3 backend turns
// every value it fetches into text and back (a criteria preview's half a million rows spent
// four fifths of their time there). The counterpart of mariadb_statement.cc, confined to
// sqlite_statement.cc (SQLite's sqlite3_stmt API).
//
// Failures throw soci::sqlite3_soci_error with SQLite's result code, so that Guarded() maps
// them like any SOCI error (busy is ABORTED, and so on). A statement that threw is in an
// unknown state: drop it (ConnectionCache::Erase). Used by one thread at a time, like its
// session; it must be destroyed before its session is closed.
class SqliteStatement {
 public:
  // `sql` has a `?` for each parameter.
  SqliteStatement(soci::session& session, const std::string& sql);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  // Runs the statement with its parameters (text, in the order of the `?`s); the rows are
  // read by Fetch.
  void Execute(std::vector<std::string> parameters);
  void Execute(const std::string& parameter) { Execute(std::vector<std::string>{parameter}); }
  // Moves to the next row of the result; false after the last, which also ends the read (an
  // autocommit read keeps its snapshot until then).
  bool Fetch();

  // Column `column` (0-based) of the current row; NULL reads as 0 or "".
  void Get(int column, long long& value) const;
  void Get(int column, int& value) const;
  void Get(int column, std::string& value) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace lims::db

#endif  // LIMS_DB_SRC_SQLITE_STATEMENT_H_
