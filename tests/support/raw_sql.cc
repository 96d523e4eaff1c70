#include "raw_sql.h"

#include <mysql.h>
#include <sqlite3.h>

#include "absl/strings/str_cat.h"
#include "lims/db/database_url.h"

namespace lims::testing {
namespace {

absl::Status OnSqlite(const std::string& path, const std::string& sql) {
  sqlite3* conn = nullptr;
  if (sqlite3_open_v2(path.c_str(), &conn, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    absl::Status s = absl::UnavailableError(absl::StrCat("cannot open ", path, ": ",
                                                         sqlite3_errmsg(conn)));
    sqlite3_close(conn);
    return s;
  }
  sqlite3_busy_timeout(conn, 10000);  // the server's pool may be writing
  char* error = nullptr;
  absl::Status s = absl::OkStatus();
  if (sqlite3_exec(conn, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    s = absl::InternalError(absl::StrCat(sql, ": ", error ? error : "?"));
  }
  sqlite3_free(error);
  sqlite3_close(conn);
  return s;
}

absl::Status OnMariaDb(const db::DatabaseUrl& url, const std::string& sql) {
  MYSQL* conn = mysql_init(nullptr);
  if (!mysql_real_connect(conn, url.hosts[0].host.c_str(), url.user.c_str(), url.password.c_str(),
                          url.database.c_str(), static_cast<unsigned>(url.hosts[0].port), nullptr,
                          0)) {
    absl::Status s = absl::UnavailableError(absl::StrCat("cannot connect to test MariaDB: ",
                                                         mysql_error(conn)));
    mysql_close(conn);
    return s;
  }
  absl::Status s = absl::OkStatus();
  if (mysql_query(conn, sql.c_str()) != 0) {
    s = absl::InternalError(absl::StrCat(sql, ": ", mysql_error(conn)));
  }
  mysql_close(conn);
  return s;
}

}  // namespace

absl::Status ExecuteRawSql(const std::string& url_text, const std::string& sql) {
  auto url = db::ParseDatabaseUrl(url_text);
  if (!url.ok()) return url.status();
  if (url->backend == db::Backend::kSqlite) return OnSqlite(url->sqlite_path, sql);
  return OnMariaDb(*url, sql);
}

}  // namespace lims::testing
