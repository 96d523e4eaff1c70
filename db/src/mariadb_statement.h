#ifndef LIMS_DB_SRC_MARIADB_STATEMENT_H_
#define LIMS_DB_SRC_MARIADB_STATEMENT_H_

#include <memory>
#include <string>
#include <vector>

namespace soci {
class session;
}

namespace lims::db {

// A server-side prepared statement on a SOCI MySQL session's own connection: MariaDB parses and
// resolves it once per connection, and each execution sends only its parameter (binary
// protocol). SOCI 4.0's MySQL backend sends every statement as text, which on a 9-table join
// costs more than running it; this is the agreed exception to "SOCI only" for the hot reads,
// confined to mariadb_statement.cc (MariaDB Connector/C's mysql_stmt_* API).
//
// Failures throw soci::mysql_soci_error with MariaDB's error number, so that Guarded() maps
// them like any SOCI error (a lost connection is UNAVAILABLE, and so on). A statement that threw
// is in an unknown state: drop it (ConnectionCache::Erase). Used by one thread at a time, like
// its session; it must be destroyed before its session is closed.
class MariaDbStatement {
 public:
  // `sql` has a `?` for each parameter.
  MariaDbStatement(soci::session& session, const std::string& sql);
  ~MariaDbStatement();
  MariaDbStatement(const MariaDbStatement&) = delete;
  MariaDbStatement& operator=(const MariaDbStatement&) = delete;

  // Runs the statement with its parameters (text, in the order of the `?`s) and reads its
  // whole result.
  void Execute(std::vector<std::string> parameters);
  void Execute(const std::string& parameter) { Execute(std::vector<std::string>{parameter}); }
  // Moves to the next row of the result; false after the last.
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

#endif  // LIMS_DB_SRC_MARIADB_STATEMENT_H_
