#include "test_databases.h"

#include <mysql.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_cat.h"

namespace lims::testing {
namespace {

// Runs one statement on the MariaDB server named by base (a URL without database).
absl::Status AdminQuery(const db::DatabaseUrl& base, const std::string& sql) {
  MYSQL* conn = mysql_init(nullptr);
  if (!mysql_real_connect(conn, base.hosts[0].host.c_str(), base.user.c_str(),
                          base.password.c_str(), nullptr, static_cast<unsigned>(base.hosts[0].port),
                          nullptr, 0)) {
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

absl::StatusOr<db::DatabaseUrl> MariaDbBase() {
  const char* env = std::getenv("LIMS_TEST_MARIADB_URL");
  if (env == nullptr || *env == '\0') {
    return absl::FailedPreconditionError(
        "LIMS_TEST_MARIADB_URL is not set: run the tests through tests/run.sh, which starts a "
        "throw-away MariaDB (or run: eval \"$(tests/mariadb.sh start)\")");
  }
  // The URL has no database name; parse it with a placeholder one.
  return db::ParseDatabaseUrl(absl::StrCat(env, "placeholder"));
}

std::atomic<int> counter{0};

}  // namespace

std::string BackendName(db::Backend backend) {
  return backend == db::Backend::kSqlite ? "Sqlite" : "MariaDb";
}

absl::StatusOr<std::unique_ptr<TestDatabase>> TestDatabase::Create(db::Backend backend) {
  const std::string suffix = absl::StrCat(getpid(), "_", counter++);
  if (backend == db::Backend::kSqlite) {
    auto dir = std::filesystem::temp_directory_path() / absl::StrCat("lims_test_", suffix);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return std::unique_ptr<TestDatabase>(new TestDatabase(
        backend, absl::StrCat("sqlite:", (dir / "lims.db").string()), dir.string()));
  }
  auto base = MariaDbBase();
  if (!base.ok()) return base.status();
  const std::string name = absl::StrCat("lims_test_", suffix);
  absl::Status created = AdminQuery(
      *base, absl::StrCat("CREATE DATABASE ", name, " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"));
  if (!created.ok()) return created;
  const char* env = std::getenv("LIMS_TEST_MARIADB_URL");
  return std::unique_ptr<TestDatabase>(
      new TestDatabase(backend, absl::StrCat(env, name), name));
}

TestDatabase::~TestDatabase() {
  if (backend_ == db::Backend::kSqlite) {
    std::error_code ignored;
    std::filesystem::remove_all(cleanup_, ignored);
    return;
  }
  auto base = MariaDbBase();
  if (base.ok()) AdminQuery(*base, absl::StrCat("DROP DATABASE IF EXISTS ", cleanup_)).IgnoreError();
}

}  // namespace lims::testing
