// Database::ReleaseIdleMemory: the pooled SQLite connections no call holds give their page
// cache back; one in use keeps it; calls running meanwhile are not disturbed. Measured with
// SQLite's own count of the memory it holds (sqlite3_memory_used), which is exact.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <thread>
#include <vector>

#include "lims/db/database.h"
#include "repository_fixture.h"
#include "soci/soci.h"
#include "status_matchers.h"

namespace lims::db {
namespace {

constexpr long long kRows = 3000;  // about 3 MB of text: more than one connection's 2 MB cache

// A fresh database (RepositoryTest, 8 pooled connections) with a table larger than a cache.
class IdleMemoryTest : public RepositoryTest {
 protected:
  void SetUp() override {
    RepositoryTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_OK(db_->Write([](Tx& tx) -> absl::Status {
      tx.session() << "CREATE TABLE filler (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)";
      tx.session() << "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < "
                   << kRows << ") INSERT INTO filler SELECT i, hex(randomblob(500)) FROM n";
      return absl::OkStatus();
    }));
  }

  // Reads every page of the table through a pooled connection.
  absl::StatusOr<long long> ReadAll() {
    long long total = 0;
    absl::Status read = db_->Read([&](Tx& tx) -> absl::Status {
      tx.session() << "SELECT SUM(length(payload)) FROM filler", soci::into(total);
      return absl::OkStatus();
    });
    if (!read.ok()) return read;
    return total;
  }
};

TEST_P(IdleMemoryTest, IdleConnectionsGiveTheirPageCacheBackAndOneInUseKeepsIt) {
  db_->ReleaseIdleMemory();  // what Open and SetUp read
  const sqlite3_int64 start = sqlite3_memory_used();

  // A call holds its connection, full of the table's pages, while the release runs.
  sqlite3_int64 filled = 0, kept = 0;
  ASSERT_OK(db_->Read([&](Tx& tx) -> absl::Status {
    long long total = 0;
    tx.session() << "SELECT SUM(length(payload)) FROM filler", soci::into(total);
    filled = sqlite3_memory_used();
    db_->ReleaseIdleMemory();
    kept = sqlite3_memory_used();
    return absl::OkStatus();
  }));
  EXPECT_GT(filled - start, 1024 * 1024) << "the read did not fill a page cache";
  EXPECT_LT(filled - kept, 64 * 1024) << "the connection in use lost its cache";

  // Idle now: it gives its pages (about 2 MB) back.
  db_->ReleaseIdleMemory();
  const sqlite3_int64 released = sqlite3_memory_used();
  EXPECT_GT(kept - released, 1024 * 1024) << "the idle connection's pages were not released";

  // It still answers, and reads its pages again.
  auto total = ReadAll();
  ASSERT_OK(total);
  EXPECT_EQ(*total, kRows * 1000);
  EXPECT_GT(sqlite3_memory_used() - released, 1024 * 1024);
}

TEST_P(IdleMemoryTest, CallsRunningMeanwhileAreNotDisturbed) {
  std::atomic<bool> stop{false};
  std::atomic<int> wrong{0}, calls{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < 10; ++i) {  // more readers than pooled connections: some wait for one
    readers.emplace_back([&] {
      while (!stop.load()) {
        auto total = ReadAll();
        if (!total.ok() || *total != kRows * 1000) wrong.fetch_add(1);
        calls.fetch_add(1);
      }
    });
  }
  for (int i = 0; i < 200; ++i) {
    db_->ReleaseIdleMemory();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  stop = true;
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_GT(calls.load(), 10);
}

// SQLite only: on MariaDB the caches are the server's, and ReleaseIdleMemory does nothing.
INSTANTIATE_TEST_SUITE_P(Sqlite, IdleMemoryTest, ::testing::Values(Backend::kSqlite));

}  // namespace
}  // namespace lims::db
