#include "lims/db/database_url.h"

#include <gmock/gmock.h>
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
  ASSERT_EQ(url->hosts.size(), 1u);
  EXPECT_EQ(url->hosts[0].host, "db.example");
  EXPECT_EQ(url->hosts[0].port, 3307);
  EXPECT_EQ(url->database, "lims_prod");
  EXPECT_EQ(ParseDatabaseUrl("mysql://u:p@h/db")->hosts[0].port, 3306);
}

TEST(DatabaseUrlTest, MariaDb_SeveralHosts_AGaleraCluster) {
  auto url = ParseDatabaseUrl("mariadb://lims:pw@10.0.0.1:3306,10.0.0.2:3307,db3/lims");
  ASSERT_OK(url);
  ASSERT_EQ(url->hosts.size(), 3u);
  EXPECT_EQ(url->hosts[1].host, "10.0.0.2");
  EXPECT_EQ(url->hosts[1].port, 3307);
  EXPECT_EQ(url->hosts[2].host, "db3");
  EXPECT_EQ(url->hosts[2].port, 3306);
  EXPECT_EQ(url->Redacted(), "mariadb://lims:***@10.0.0.1:3306,10.0.0.2:3307,db3:3306/lims");
  // An empty entry or a bad port in the list is refused, saying what is wrong.
  EXPECT_STATUS_CODE(ParseDatabaseUrl("mariadb://lims:pw@h1:3306,,h3/lims"),
                     absl::StatusCode::kInvalidArgument);
  auto bad_port = ParseDatabaseUrl("mariadb://lims:pw@h1:3306,h2:99999/lims");
  EXPECT_STATUS_CODE(bad_port, absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad_port.status().message()), ::testing::HasSubstr("99999"));
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
