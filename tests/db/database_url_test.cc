#include "lims/db/database_url.h"

#include <gtest/gtest.h>

#include "status_matchers.h"

namespace lims::db {
namespace {

TEST(DatabaseUrlTest, Sqlite_TakesThePathAsIs) {
  auto url = ParseDatabaseUrl("sqlite:/var/lib/lims/lims.db");
  ASSERT_OK(url);
  EXPECT_EQ(url->backend, Backend::kSqlite);
  EXPECT_EQ(url->sqlite_path, "/var/lib/lims/lims.db");
  EXPECT_EQ(ParseDatabaseUrl("sqlite://rel/lims.db")->sqlite_path, "rel/lims.db");
}

TEST(DatabaseUrlTest, Sqlite_InMemoryOrEmpty_IsRefused) {
  EXPECT_STATUS_CODE(ParseDatabaseUrl("sqlite::memory:"), absl::StatusCode::kInvalidArgument);
  EXPECT_STATUS_CODE(ParseDatabaseUrl("sqlite:"), absl::StatusCode::kInvalidArgument);
}

TEST(DatabaseUrlTest, MariaDb_DecodesEscapedCredentials) {
  auto url = ParseDatabaseUrl("mariadb://lims:p%40ss%3Aw%2Frd@db.example:3307/lims_prod");
  ASSERT_OK(url);
  EXPECT_EQ(url->backend, Backend::kMariaDb);
  EXPECT_EQ(url->user, "lims");
  EXPECT_EQ(url->password, "p@ss:w/rd");
  EXPECT_EQ(url->host, "db.example");
  EXPECT_EQ(url->port, 3307);
  EXPECT_EQ(url->database, "lims_prod");
  EXPECT_EQ(ParseDatabaseUrl("mysql://u:p@h/db")->port, 3306);
}

TEST(DatabaseUrlTest, Redacted_NeverShowsThePassword) {
  auto url = ParseDatabaseUrl("mariadb://lims:s3cret@127.0.0.1:3306/lims");
  ASSERT_OK(url);
  EXPECT_EQ(url->Redacted(), "mariadb://lims:***@127.0.0.1:3306/lims");
  // Nor does the error for a URL that cannot be read.
  auto bad = ParseDatabaseUrl("postgres://lims:s3cret@h/db");
  EXPECT_STATUS_CODE(bad, absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(bad.status().message()).find("s3cret"), std::string::npos);
}

TEST(DatabaseUrlTest, MariaDb_MalformedParts_AreInvalidArgument) {
  for (const char* text : {"mariadb://lims@h:3306", "mariadb://h:3306/db", "mariadb://u:p@h:99999/db",
                           "mariadb://u:p@h:12x/db", "mariadb://u:p%4@h/db"}) {
    EXPECT_STATUS_CODE(ParseDatabaseUrl(text), absl::StatusCode::kInvalidArgument) << text;
  }
}

}  // namespace
}  // namespace lims::db
