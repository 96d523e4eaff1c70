// MariaDB's server-side prepared statement behind NativeStatement (native_statement.h).
#include <mysql.h>

#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "native_statement.h"
#include "soci/mysql/soci-mysql.h"
#include "soci/soci.h"

namespace lims::db {
namespace {

// Room for most codes and names; longer values are read again at their length.
constexpr unsigned long kInitialText = 64;

bool IsInteger(enum_field_types type) {
  switch (type) {
    case MYSQL_TYPE_TINY:
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_LONGLONG:
    case MYSQL_TYPE_YEAR:
      return true;
    default:
      return false;
  }
}

class MariaDbStatement final : public NativeStatement {
 public:
  MariaDbStatement(soci::session& session, const std::string& sql, ResultRows rows);
  ~MariaDbStatement() override;
  void Execute(std::vector<std::string> parameters) override;
  bool Fetch() override;
  void Get(int column, long long& value) const override;
  void Get(int column, std::string& value) const override;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

struct MariaDbStatement::State {
  // One result column: integers arrive as numbers, everything else as text.
  struct Column {
    bool integer = false;
    long long number = 0;
    std::string text;
    unsigned long length = 0;
    my_bool is_null = 0;
    my_bool truncated = 0;
  };

  MYSQL_STMT* stmt = nullptr;
  ResultRows rows = ResultRows::kBuffered;
  std::vector<Column> columns;
  std::vector<MYSQL_BIND> binds;
  std::vector<std::string> parameters;
  std::vector<unsigned long> parameter_lengths;
  std::vector<MYSQL_BIND> parameter_binds;

  // Closed with the state, also when the constructor threw after mysql_stmt_init. Closing tells
  // the server to forget the statement (nothing is sent when the connection is gone).
  ~State() {
    if (stmt != nullptr) mysql_stmt_close(stmt);
  }

  [[noreturn]] void Fail() const {
    throw soci::mysql_soci_error(mysql_stmt_error(stmt), static_cast<int>(mysql_stmt_errno(stmt)));
  }

  // Points the result binds at the columns' buffers (again after a buffer grew).
  void BindResult() {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      Column& c = columns[i];
      MYSQL_BIND& b = binds[i];
      std::memset(&b, 0, sizeof b);
      b.is_null = &c.is_null;
      b.error = &c.truncated;
      b.length = &c.length;
      if (c.integer) {
        b.buffer_type = MYSQL_TYPE_LONGLONG;
        b.buffer = &c.number;
      } else {
        b.buffer_type = MYSQL_TYPE_STRING;
        b.buffer = c.text.data();
        b.buffer_length = c.text.size();
      }
    }
    if (mysql_stmt_bind_result(stmt, binds.data())) Fail();
  }
};

MariaDbStatement::MariaDbStatement(soci::session& session, const std::string& sql, ResultRows rows)
    : state_(std::make_unique<State>()) {
  state_->rows = rows;
  MYSQL* connection = static_cast<soci::mysql_session_backend*>(session.get_backend())->conn_;
  state_->stmt = mysql_stmt_init(connection);
  if (state_->stmt == nullptr) {
    throw soci::mysql_soci_error(mysql_error(connection),
                                 static_cast<int>(mysql_errno(connection)));
  }
  if (mysql_stmt_prepare(state_->stmt, sql.data(), sql.size())) state_->Fail();
  MYSQL_RES* metadata = mysql_stmt_result_metadata(state_->stmt);
  if (metadata == nullptr) state_->Fail();
  const unsigned int count = mysql_num_fields(metadata);
  const MYSQL_FIELD* fields = mysql_fetch_fields(metadata);
  state_->columns.resize(count);
  for (unsigned int i = 0; i < count; ++i) {
    state_->columns[i].integer = IsInteger(fields[i].type);
    if (!state_->columns[i].integer) state_->columns[i].text.resize(kInitialText);
  }
  mysql_free_result(metadata);
  state_->binds.resize(count);
  state_->BindResult();
}

MariaDbStatement::~MariaDbStatement() = default;

void MariaDbStatement::Execute(std::vector<std::string> parameters) {
  State& s = *state_;
  mysql_stmt_free_result(s.stmt);  // the previous result, if it was not read to its end
  if (parameters.size() != mysql_stmt_param_count(s.stmt)) {
    throw soci::soci_error("a prepared statement got the wrong number of parameters");
  }
  s.parameters = std::move(parameters);  // the binds point into them until the next Execute
  s.parameter_lengths.resize(s.parameters.size());
  s.parameter_binds.resize(s.parameters.size());
  for (std::size_t i = 0; i < s.parameters.size(); ++i) {
    MYSQL_BIND& bind = s.parameter_binds[i];
    std::memset(&bind, 0, sizeof bind);
    s.parameter_lengths[i] = s.parameters[i].size();
    bind.buffer_type = MYSQL_TYPE_STRING;
    bind.buffer = s.parameters[i].data();
    bind.buffer_length = s.parameter_lengths[i];
    bind.length = &s.parameter_lengths[i];
  }
  if (!s.parameters.empty() && mysql_stmt_bind_param(s.stmt, s.parameter_binds.data())) s.Fail();
  if (mysql_stmt_execute(s.stmt)) s.Fail();
  // Buffered: the whole result comes over now, and the connection is free for the next
  // statement. Streamed: each Fetch reads its row from the connection.
  if (s.rows == ResultRows::kBuffered && mysql_stmt_store_result(s.stmt)) s.Fail();
}

bool MariaDbStatement::Fetch() {
  State& s = *state_;
  const int rc = mysql_stmt_fetch(s.stmt);
  if (rc == MYSQL_NO_DATA) {
    mysql_stmt_free_result(s.stmt);
    return false;
  }
  if (rc == 1) s.Fail();
  if (rc == MYSQL_DATA_TRUNCATED) {
    bool grew = false;
    for (std::size_t i = 0; i < s.columns.size(); ++i) {
      State::Column& c = s.columns[i];
      if (!c.truncated) continue;
      if (c.integer) throw soci::soci_error("an integer column does not fit in 64 bits");
      c.text.resize(c.length);
      s.binds[i].buffer = c.text.data();
      s.binds[i].buffer_length = c.text.size();
      if (mysql_stmt_fetch_column(s.stmt, &s.binds[i], static_cast<unsigned int>(i), 0)) s.Fail();
      grew = true;
    }
    if (grew) s.BindResult();
  }
  return true;
}

void MariaDbStatement::Get(int column, long long& value) const {
  const State::Column& c = state_->columns.at(static_cast<std::size_t>(column));
  if (c.is_null) {
    value = 0;
  } else if (c.integer) {
    value = c.number;
  } else if (!absl::SimpleAtoi(absl::string_view(c.text.data(), c.length), &value)) {
    throw soci::soci_error("a column read as a number holds text");
  }
}

void MariaDbStatement::Get(int column, std::string& value) const {
  const State::Column& c = state_->columns.at(static_cast<std::size_t>(column));
  if (c.is_null) {
    value.clear();
  } else if (c.integer) {
    value = std::to_string(c.number);
  } else {
    value.assign(c.text.data(), c.length);
  }
}

}  // namespace

std::unique_ptr<NativeStatement> PrepareMariaDb(soci::session& session, const std::string& sql,
                                                ResultRows rows) {
  return std::make_unique<MariaDbStatement>(session, sql, rows);
}

}  // namespace lims::db
