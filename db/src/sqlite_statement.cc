#include "sqlite_statement.h"

#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "soci/soci.h"
#include "soci/sqlite3/soci-sqlite3.h"

namespace lims::db {

using namespace ::sqlite_api;  // SOCI declares SQLite's C API in this namespace

struct SqliteStatement::State {
  sqlite3* db = nullptr;
  sqlite3_stmt* stmt = nullptr;
  std::vector<std::string> parameters;  // bound without a copy: kept until the next Execute

  [[noreturn]] void Fail(int rc) const { throw soci::sqlite3_soci_error(sqlite3_errmsg(db), rc); }
};

SqliteStatement::SqliteStatement(soci::session& session, const std::string& sql)
    : state_(std::make_unique<State>()) {
  state_->db = static_cast<soci::sqlite3_session_backend*>(session.get_backend())->conn_;
  const int rc = sqlite3_prepare_v2(state_->db, sql.data(), static_cast<int>(sql.size()),
                                    &state_->stmt, nullptr);
  if (rc != SQLITE_OK) state_->Fail(rc);
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(state_->stmt); }

void SqliteStatement::Execute(std::vector<std::string> parameters) {
  State& s = *state_;
  sqlite3_reset(s.stmt);  // the previous read, if it was not read to its end
  if (static_cast<int>(parameters.size()) != sqlite3_bind_parameter_count(s.stmt)) {
    throw soci::soci_error("a prepared statement got the wrong number of parameters");
  }
  s.parameters = std::move(parameters);
  for (std::size_t i = 0; i < s.parameters.size(); ++i) {
    const std::string& p = s.parameters[i];
    const int rc = sqlite3_bind_text(s.stmt, static_cast<int>(i) + 1, p.data(),
                                     static_cast<int>(p.size()), SQLITE_STATIC);
    if (rc != SQLITE_OK) s.Fail(rc);
  }
}

bool SqliteStatement::Fetch() {
  State& s = *state_;
  const int rc = sqlite3_step(s.stmt);
  if (rc == SQLITE_ROW) return true;
  // Reset also after a failure: SQLite's error is read first, the read's snapshot let go.
  if (rc != SQLITE_DONE) {
    soci::sqlite3_soci_error error(sqlite3_errmsg(s.db), rc);
    sqlite3_reset(s.stmt);
    throw error;
  }
  sqlite3_reset(s.stmt);
  return false;
}

void SqliteStatement::Get(int column, long long& value) const {
  sqlite3_stmt* stmt = state_->stmt;
  switch (sqlite3_column_type(stmt, column)) {
    case SQLITE_NULL:
      value = 0;
      return;
    case SQLITE_INTEGER:
      value = sqlite3_column_int64(stmt, column);
      return;
    default: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, column));
      const int length = sqlite3_column_bytes(stmt, column);
      if (!absl::SimpleAtoi(absl::string_view(text, static_cast<std::size_t>(length)), &value)) {
        throw soci::soci_error("a column read as a number holds text");
      }
    }
  }
}

void SqliteStatement::Get(int column, int& value) const {
  long long wide = 0;
  Get(column, wide);
  value = static_cast<int>(wide);
}

void SqliteStatement::Get(int column, std::string& value) const {
  sqlite3_stmt* stmt = state_->stmt;
  switch (sqlite3_column_type(stmt, column)) {
    case SQLITE_NULL:
      value.clear();
      return;
    case SQLITE_INTEGER:
      value = std::to_string(sqlite3_column_int64(stmt, column));
      return;
    default: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, column));
      value.assign(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, column)));
    }
  }
}

}  // namespace lims::db
