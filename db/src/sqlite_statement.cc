// SQLite's own prepared statement behind NativeStatement (native_statement.h).
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/numbers.h"
#include "native_statement.h"
#include "soci/soci.h"
#include "soci/sqlite3/soci-sqlite3.h"

namespace lims::db {
namespace {

using namespace ::sqlite_api;  // SOCI declares SQLite's C API in this namespace

class SqliteStatement final : public NativeStatement {
 public:
  SqliteStatement(soci::session& session, const std::string& sql)
      : db_(static_cast<soci::sqlite3_session_backend*>(session.get_backend())->conn_) {
    const int rc =
        sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
    if (rc != SQLITE_OK) Fail(rc);
    columns_ = sqlite3_column_count(stmt_);
  }
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }

  void Execute(std::vector<std::string> parameters) override {
    sqlite3_reset(stmt_);  // the previous read, if it was not read to its end
    on_row_ = false;
    if (static_cast<int>(parameters.size()) != sqlite3_bind_parameter_count(stmt_)) {
      throw soci::soci_error("a prepared statement got the wrong number of parameters");
    }
    parameters_ = std::move(parameters);  // bound without a copy: kept until the next Execute
    for (std::size_t i = 0; i < parameters_.size(); ++i) {
      const std::string& p = parameters_[i];
      const int rc = sqlite3_bind_text(stmt_, static_cast<int>(i) + 1, p.data(),
                                       static_cast<int>(p.size()), SQLITE_STATIC);
      if (rc != SQLITE_OK) Fail(rc);
    }
  }

  bool Fetch() override {
    on_row_ = false;
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return on_row_ = true;
    // Reset also after a failure: SQLite's error is read first, the read's snapshot let go.
    if (rc != SQLITE_DONE) {
      soci::sqlite3_soci_error error(sqlite3_errmsg(db_), rc);
      sqlite3_reset(stmt_);
      throw error;
    }
    sqlite3_reset(stmt_);
    return false;
  }

  void Get(int column, long long& value) const override {
    switch (ColumnType(column)) {
      case SQLITE_NULL:
        value = 0;
        return;
      case SQLITE_INTEGER:
        value = sqlite3_column_int64(stmt_, column);
        return;
      default:
        const std::string_view text = Text(column);
        if (!absl::SimpleAtoi(absl::string_view(text.data(), text.size()), &value)) {
          throw soci::soci_error("a column read as a number holds text");
        }
    }
  }

  void Get(int column, std::string& value) const override {
    switch (ColumnType(column)) {
      case SQLITE_NULL:
        value.clear();
        return;
      case SQLITE_INTEGER:
        value = std::to_string(sqlite3_column_int64(stmt_, column));
        return;
      default:
        value.assign(Text(column));
    }
  }

 private:
  [[noreturn]] void Fail(int rc) const { throw soci::sqlite3_soci_error(sqlite3_errmsg(db_), rc); }

  // SQLite answers NULL for a column it does not have, or when there is no row: a query and its
  // reader that disagree would read zeros unnoticed (MariaDB's statement throws too).
  int ColumnType(int column) const {
    if (!on_row_ || column < 0 || column >= columns_) {
      throw soci::soci_error("a prepared statement was read outside its row or columns");
    }
    return sqlite3_column_type(stmt_, column);
  }

  std::string_view Text(int column) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return {text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))};
  }

  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int columns_ = 0;
  bool on_row_ = false;  // Fetch's last answer
  std::vector<std::string> parameters_;
};

}  // namespace

std::unique_ptr<NativeStatement> PrepareSqlite(soci::session& session, const std::string& sql) {
  return std::make_unique<SqliteStatement>(session, sql);
}

}  // namespace lims::db
