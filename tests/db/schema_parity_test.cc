// Both backends end the migrations with the same tables, columns, keys and named indexes.
#include <gtest/gtest.h>

#include "lims/db/schema_description.h"
#include "status_matchers.h"
#include "test_databases.h"

namespace lims::db {
namespace {

using ::lims::testing::TestDatabase;

std::set<std::string> Describe(Backend backend) {
  auto fresh = TestDatabase::Create(backend);
  EXPECT_TRUE(fresh.ok()) << fresh.status();
  if (!fresh.ok()) return {};
  auto db = Database::Open((*fresh)->url());
  EXPECT_TRUE(db.ok()) << db.status();
  if (!db.ok()) return {};
  auto facts = DescribeSchema(**db);
  EXPECT_TRUE(facts.ok()) << facts.status();
  return facts.ok() ? *facts : std::set<std::string>();
}

TEST(SchemaParityTest, SqliteAndMariaDb_HaveTheSameSchema) {
  const std::set<std::string> sqlite = Describe(Backend::kSqlite);
  const std::set<std::string> mariadb = Describe(Backend::kMariaDb);
  ASSERT_FALSE(sqlite.empty());
  // The keys that guard against double occupancy must be there on both.
  EXPECT_TRUE(sqlite.count("placements UNIQUE(box_id,position_number)"));
  EXPECT_TRUE(sqlite.count("placements UNIQUE(sample_id)"));
  EXPECT_TRUE(sqlite.count("samples UNIQUE(barcode)"));
  // A signing key is trusted once per site; the migrations of issue 15 reached both backends.
  EXPECT_TRUE(sqlite.count("trusted_keys UNIQUE(fingerprint,site_code)"));
  for (const char* fact : {"request_samples.withdrawn_at", "api_tokens.expires_at",
                           "audit_chain_head.sealing_legacy", "users.password_hash",
                           "api_tokens.idle_seconds", "login_failures.failures",
                           "request_log INDEX ix_request_log_created(created_at)"}) {
    EXPECT_TRUE(sqlite.count(fact)) << fact;
  }
  std::vector<std::string> only_sqlite, only_mariadb;
  std::set_difference(sqlite.begin(), sqlite.end(), mariadb.begin(), mariadb.end(),
                      std::back_inserter(only_sqlite));
  std::set_difference(mariadb.begin(), mariadb.end(), sqlite.begin(), sqlite.end(),
                      std::back_inserter(only_mariadb));
  EXPECT_TRUE(only_sqlite.empty()) << "only on SQLite: " << ::testing::PrintToString(only_sqlite);
  EXPECT_TRUE(only_mariadb.empty()) << "only on MariaDB: " << ::testing::PrintToString(only_mariadb);
}

}  // namespace
}  // namespace lims::db
