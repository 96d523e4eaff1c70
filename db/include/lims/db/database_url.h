// Database URLs as given on the command line:
//   sqlite:PATH                (also sqlite://PATH; ":memory:" is refused: the pool needs a file)
//   mariadb://USER:PASSWORD@HOST:PORT/DATABASE   (also mysql://; percent-escapes decoded)
//   mariadb://USER:PASSWORD@HOST1:PORT1,HOST2:PORT2,HOST3:PORT3/DATABASE   (a Galera cluster:
//                              any live node serves; a connection moves on when its node dies)
#ifndef LIMS_DB_DATABASE_URL_H_
#define LIMS_DB_DATABASE_URL_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace lims::db {

enum class Backend { kSqlite, kMariaDb };

struct DatabaseHost {
  std::string host;
  int port = 3306;
};

struct DatabaseUrl {
  Backend backend = Backend::kSqlite;
  std::string sqlite_path;  // kSqlite
  std::string user;         // kMariaDb
  std::string password;
  std::vector<DatabaseHost> hosts;  // at least one, in the order given
  std::string database;

  // The URL with the password replaced by "***", safe for logs.
  std::string Redacted() const;
};

absl::StatusOr<DatabaseUrl> ParseDatabaseUrl(const std::string& url);

}  // namespace lims::db

#endif  // LIMS_DB_DATABASE_URL_H_
