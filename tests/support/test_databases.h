// Fresh, empty databases for tests: a SQLite file in a temporary directory, or a new database on
// the throw-away MariaDB that tests/run.sh starts (LIMS_TEST_MARIADB_URL, without a database
// name). A missing MariaDB is a test failure, never a skip.
#ifndef LIMS_TESTS_SUPPORT_TEST_DATABASES_H_
#define LIMS_TESTS_SUPPORT_TEST_DATABASES_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "lims/db/database.h"

namespace lims::testing {

// Owns one fresh database and drops/deletes it when destroyed.
class TestDatabase {
 public:
  static absl::StatusOr<std::unique_ptr<TestDatabase>> Create(db::Backend backend);
  ~TestDatabase();

  const std::string& url() const { return url_; }
  db::Backend backend() const { return backend_; }

 private:
  TestDatabase(db::Backend backend, std::string url, std::string cleanup)
      : backend_(backend), url_(std::move(url)), cleanup_(std::move(cleanup)) {}
  db::Backend backend_;
  std::string url_;
  std::string cleanup_;  // SQLite: the directory; MariaDB: the database name
};

// "Sqlite" / "MariaDb", for parameterised test names.
std::string BackendName(db::Backend backend);

}  // namespace lims::testing

#endif  // LIMS_TESTS_SUPPORT_TEST_DATABASES_H_
