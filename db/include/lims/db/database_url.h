// Database URLs as given on the command line:
//   sqlite:PATH                (also sqlite://PATH; ":memory:" is refused: the pool needs a file)
//   mariadb://USER:PASSWORD@HOST:PORT/DATABASE   (also mysql://; percent-escapes decoded)
#ifndef LIMS_DB_DATABASE_URL_H_
#define LIMS_DB_DATABASE_URL_H_

#include <string>

#include "absl/status/statusor.h"

namespace lims::db {

enum class Backend { kSqlite, kMariaDb };

struct DatabaseUrl {
  Backend backend = Backend::kSqlite;
  std::string sqlite_path;  // kSqlite
  std::string user;         // kMariaDb
  std::string password;
  std::string host;
  int port = 3306;
  std::string database;

  // The URL with the password replaced by "***", safe for logs.
  std::string Redacted() const;
};

absl::StatusOr<DatabaseUrl> ParseDatabaseUrl(const std::string& url);

}  // namespace lims::db

#endif  // LIMS_DB_DATABASE_URL_H_
