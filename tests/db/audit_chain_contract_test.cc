// The audit chain's contract, on SQLite and on MariaDB: every event links to the one before, one
// linear chain under concurrent writers, keyset paging and filters, the CSV export, and — the
// point of it all — an edit or deletion made directly in the database is found by Verify().
#include <gtest/gtest.h>

#include <sstream>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "lims/db/audit_csv.h"
#include "lims/db/audit_hash.h"
#include "lims/db/audit_log.h"
#include "raw_sql.h"
#include "status_matchers.h"
#include "test_databases.h"

namespace lims::db {
namespace {

using ::lims::testing::ExecuteRawSql;
using ::lims::testing::TestDatabase;

class AuditChainContractTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto fresh = TestDatabase::Create(GetParam());
    ASSERT_TRUE(fresh.ok()) << fresh.status();
    test_db_ = std::move(*fresh);
    Reopen();
  }

  void Reopen() {
    db_.reset();
    Database::Options options;
    options.pool_size = 16;
    auto db = Database::Open(test_db_->url(), options);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
  }

  AuditEvent Event(const std::string& key, const std::string& actor, int minute) {
    AuditEvent e;
    e.at = base_ + absl::Minutes(minute) + absl::Nanoseconds(1500);  // sub-µs: not stored
    e.actor = actor;
    e.action = "sample.collected";
    e.entity_type = "sample";
    e.entity_key = key;
    e.details = absl::StrCat("collected ", key);
    e.after_json = absl::StrCat("{\"barcode\":\"", key, "\"}");
    e.request_id = absl::StrCat("req-", key, "-", minute);
    return e;
  }

  // Appends each event in its own transaction; returns them with ids and hashes.
  std::vector<AuditEvent> AppendAll(std::vector<AuditEvent> events) {
    for (AuditEvent& e : events) {
      absl::Status s = db_->Write([&](Tx& tx) { return AuditLog(tx).Append(e); });
      EXPECT_TRUE(s.ok()) << s;
    }
    return events;
  }

  std::vector<AuditEvent> FiveEvents() {
    return AppendAll({Event("A", "alice", 0), Event("B", "bob", 1), Event("A", "bob", 2),
                      Event("C", "alice", 3), Event("A", "alice", 4)});
  }

  std::vector<AuditEvent> List(const AuditFilter& filter, int64_t after = 0, int limit = 1000) {
    std::vector<AuditEvent> out;
    absl::Status s = db_->Read([&](Tx& tx) -> absl::Status {
      auto page = AuditLog(tx).List(filter, after, limit);
      if (!page.ok()) return page.status();
      out = std::move(*page);
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return out;
  }

  ChainCheck Verify() { return VerifyWith(std::nullopt); }
  ChainCheck VerifyWith(const std::optional<ChainAnchor>& anchor) {
    ChainCheck check;
    absl::Status s = db_->Read([&](Tx& tx) -> absl::Status {
      auto result = AuditLog(tx).Verify(anchor);
      if (!result.ok()) return result.status();
      check = *result;
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return check;
  }

  void Sql(const std::string& sql) { ASSERT_OK(ExecuteRawSql(test_db_->url(), sql)); }

  const absl::Time base_ = absl::FromUnixSeconds(1774000000);
  std::unique_ptr<TestDatabase> test_db_;
  std::unique_ptr<Database> db_;
};

TEST_P(AuditChainContractTest, Append_LinksEveryEventToThePreviousOne) {
  const std::vector<AuditEvent> appended = FiveEvents();
  const std::vector<AuditEvent> stored = List({});
  ASSERT_EQ(stored.size(), 5u);
  EXPECT_EQ(stored[0].prev_hash, "");
  for (size_t i = 0; i < stored.size(); ++i) {
    EXPECT_EQ(stored[i].id, appended[i].id);
    EXPECT_EQ(stored[i].hash, appended[i].hash);
    EXPECT_EQ(stored[i].hash.size(), 64u);
    EXPECT_EQ(stored[i].hash.find_first_not_of("0123456789abcdef"), std::string::npos);
    EXPECT_EQ(stored[i].at, base_ + absl::Minutes(i) + absl::Microseconds(1));
    if (i > 0) {
      EXPECT_EQ(stored[i].prev_hash, stored[i - 1].hash);
    }
  }
  const ChainCheck check = Verify();
  EXPECT_TRUE(check.ok) << check.problem;
  EXPECT_EQ(check.events_checked, 5);
  EXPECT_EQ(check.first_broken_event_id, 0);
}

TEST_P(AuditChainContractTest, Verify_EmptyTrailIsIntact) {
  const ChainCheck check = Verify();
  EXPECT_TRUE(check.ok) << check.problem;
  EXPECT_EQ(check.events_checked, 0);
}

TEST_P(AuditChainContractTest, Tamper_EditedDetailsAreFoundAtThatEvent) {
  const std::vector<AuditEvent> events = FiveEvents();
  Sql(absl::StrCat("UPDATE audit_events SET details = 'collected nothing' WHERE id = ",
                   events[2].id));
  const ChainCheck check = Verify();
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.first_broken_event_id, events[2].id);
  EXPECT_EQ(check.events_checked, 3);
  EXPECT_NE(check.problem.find("edited"), std::string::npos) << check.problem;
}

// The hash covers every field: a change to any one of them breaks the chain, and undoing it
// repairs it.
TEST_P(AuditChainContractTest, Tamper_EveryFieldIsCovered) {
  const std::vector<AuditEvent> events = FiveEvents();
  const AuditEvent& target = events[1];
  const std::string where = absl::StrCat(" WHERE id = ", target.id);
  const std::vector<std::pair<std::string, std::string>> edits = {
      {"actor = 'mallory'", absl::StrCat("actor = '", target.actor, "'")},
      {"action = 'sample.disposed'", absl::StrCat("action = '", target.action, "'")},
      {"entity_type = 'box'", absl::StrCat("entity_type = '", target.entity_type, "'")},
      {"entity_key = 'Z'", absl::StrCat("entity_key = '", target.entity_key, "'")},
      {"before_json = '{}'", "before_json = ''"},
      {"after_json = '{}'", absl::StrCat("after_json = '", target.after_json, "'")},
      {"reason = 'because'", "reason = ''"},
      {"request_id = 'other'", absl::StrCat("request_id = '", target.request_id, "'")},
      {"at = at + 1", "at = at - 1"},
  };
  for (const auto& [edit, undo] : edits) {
    Sql(absl::StrCat("UPDATE audit_events SET ", edit, where));
    const ChainCheck broken = Verify();
    EXPECT_FALSE(broken.ok) << edit;
    EXPECT_EQ(broken.first_broken_event_id, target.id) << edit;
    Sql(absl::StrCat("UPDATE audit_events SET ", undo, where));
    EXPECT_TRUE(Verify().ok) << "after undoing " << edit;
  }
}

TEST_P(AuditChainContractTest, Tamper_DeletedEventInTheMiddleIsFoundAtItsSuccessor) {
  const std::vector<AuditEvent> events = FiveEvents();
  Sql(absl::StrCat("DELETE FROM audit_events WHERE id = ", events[2].id));
  const ChainCheck check = Verify();
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.first_broken_event_id, events[3].id);
  EXPECT_NE(check.problem.find("deleted"), std::string::npos) << check.problem;
}

TEST_P(AuditChainContractTest, Tamper_DeletedNewestEventsAreFoundThroughTheHead) {
  const std::vector<AuditEvent> events = FiveEvents();
  Sql(absl::StrCat("DELETE FROM audit_events WHERE id >= ", events[3].id));
  const ChainCheck check = Verify();
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.first_broken_event_id, events[4].id);
  EXPECT_EQ(check.events_checked, 3);
}

// A forger who also recomputes the edited event's hash only moves the break to the next event.
TEST_P(AuditChainContractTest, Tamper_RecomputedHashBreaksTheNextLink) {
  const std::vector<AuditEvent> events = FiveEvents();
  AuditEvent forged = events[1];
  forged.details = "collected nothing";
  Sql(absl::StrCat("UPDATE audit_events SET details = '", forged.details, "', hash = '",
                   ChainHash(forged.prev_hash, forged), "' WHERE id = ", forged.id));
  const ChainCheck check = Verify();
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.first_broken_event_id, events[2].id);
  EXPECT_NE(check.problem.find("does not link"), std::string::npos) << check.problem;
}

// A forger who rewrites the whole chain from an edited event on, head included, leaves a trail
// that verifies by itself; the head kept outside the database (an anchor) still catches it.
TEST_P(AuditChainContractTest, Tamper_WholeChainRewritten_CaughtByAnAnchor) {
  std::vector<AuditEvent> events = FiveEvents();
  const ChainCheck before = Verify();
  ASSERT_TRUE(before.ok);
  const ChainAnchor anchor{before.head_event_id, before.head_hash};
  EXPECT_EQ(anchor.event_id, events[4].id);
  EXPECT_TRUE(VerifyWith(anchor).ok);
  events[1].details = "collected nothing";
  for (size_t i = 1; i < events.size(); ++i) {
    events[i].prev_hash = events[i - 1].hash;
    events[i].hash = ChainHash(events[i].prev_hash, events[i]);
    Sql(absl::StrCat("UPDATE audit_events SET details = '", events[i].details, "', prev_hash = '",
                     events[i].prev_hash, "', hash = '", events[i].hash, "' WHERE id = ",
                     events[i].id));
  }
  Sql(absl::StrCat("UPDATE audit_chain_head SET last_hash = '", events[4].hash, "' WHERE id = 1"));
  EXPECT_TRUE(Verify().ok);  // the rewrite is self-consistent
  const ChainCheck anchored = VerifyWith(anchor);
  EXPECT_FALSE(anchored.ok);
  EXPECT_EQ(anchored.first_broken_event_id, events[4].id);
  EXPECT_NE(anchored.problem.find("no longer has the hash kept in the anchor"), std::string::npos)
      << anchored.problem;
  // An anchor beyond the trail's end: the newest events were deleted.
  EXPECT_NE(VerifyWith(ChainAnchor{events[4].id + 10, anchor.hash}).problem.find("before the anchor"),
            std::string::npos);
}

// So does one who appends a well-formed event without going through the LIMS (the head does not
// know it).
TEST_P(AuditChainContractTest, Tamper_EventSlippedInAfterTheHeadIsFound) {
  const std::vector<AuditEvent> events = FiveEvents();
  AuditEvent extra = Event("A", "mallory", 9);
  extra.id = events[4].id + 1;
  extra.prev_hash = events[4].hash;
  Sql(absl::StrCat("INSERT INTO audit_events (id, at, actor, action, entity_type, entity_key, "
                   "details, before_json, after_json, reason, request_id, prev_hash, hash) "
                   "VALUES (", extra.id, ", ", absl::ToUnixMicros(extra.at), ", '", extra.actor,
                   "', '", extra.action, "', '", extra.entity_type, "', '", extra.entity_key,
                   "', '", extra.details, "', '', '", extra.after_json, "', '', '",
                   extra.request_id, "', '", extra.prev_hash, "', '",
                   ChainHash(extra.prev_hash, extra), "')"));
  const ChainCheck check = Verify();
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.first_broken_event_id, extra.id);
  EXPECT_NE(check.problem.find("after the chain head"), std::string::npos) << check.problem;
}

// 16 writers at once, each in its own transaction that reads before it appends (as a request
// replay check does): still one linear chain.
TEST_P(AuditChainContractTest, ConcurrentAppends_FormOneLinearChain) {
  constexpr int kThreads = 16;
  constexpr int kEach = 8;
  std::vector<std::thread> threads;
  std::vector<absl::Status> results(kThreads * kEach);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        AuditEvent e = Event(absl::StrCat("T", t), absl::StrCat("worker", t), i);
        results[t * kEach + i] = db_->Write([&](Tx& tx) -> absl::Status {
          auto seen = AuditLog(tx).List({}, 0, 1);  // a read first: MariaDB takes its snapshot
          if (!seen.ok()) return seen.status();
          return AuditLog(tx).Append(e);
        });
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const absl::Status& s : results) EXPECT_OK(s);

  const std::vector<AuditEvent> all = List({});
  ASSERT_EQ(all.size(), static_cast<size_t>(kThreads * kEach));
  for (size_t i = 1; i < all.size(); ++i) {
    EXPECT_EQ(all[i].prev_hash, all[i - 1].hash) << "fork at event " << all[i].id;
  }
  const ChainCheck check = Verify();
  EXPECT_TRUE(check.ok) << check.problem;
  EXPECT_EQ(check.events_checked, kThreads * kEach);
}

TEST_P(AuditChainContractTest, List_FiltersAndPagesByKeyset) {
  const std::vector<AuditEvent> events = FiveEvents();
  AuditFilter by_entity;
  by_entity.entity_type = "sample";
  by_entity.entity_key = "A";
  const std::vector<AuditEvent> a = List(by_entity);
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a[0].id, events[0].id);
  EXPECT_EQ(a[1].id, events[2].id);
  EXPECT_EQ(a[2].id, events[4].id);

  AuditFilter by_actor;
  by_actor.actor = "bob";
  EXPECT_EQ(List(by_actor).size(), 2u);

  AuditFilter window;  // minutes 1 (inclusive) to 3 (exclusive)
  window.since = base_ + absl::Minutes(1);
  window.until = base_ + absl::Minutes(3);
  const std::vector<AuditEvent> in_window = List(window);
  ASSERT_EQ(in_window.size(), 2u);
  EXPECT_EQ(in_window[0].id, events[1].id);
  EXPECT_EQ(in_window[1].id, events[2].id);

  AuditFilter combined = by_entity;
  combined.actor = "alice";
  combined.since = base_ + absl::Minutes(1);
  ASSERT_EQ(List(combined).size(), 1u);

  // Pages of two, each after the last id of the previous one, give every event once in order.
  std::vector<int64_t> paged;
  for (int64_t after = 0;;) {
    const std::vector<AuditEvent> page = List({}, after, 2);
    for (const AuditEvent& e : page) paged.push_back(e.id);
    if (page.size() < 2) break;
    after = page.back().id;
  }
  ASSERT_EQ(paged.size(), 5u);
  for (size_t i = 0; i < paged.size(); ++i) EXPECT_EQ(paged[i], events[i].id);
}

TEST_P(AuditChainContractTest, ListForEntity_StillReturnsOneEntityOldestFirst) {
  FiveEvents();
  ASSERT_OK(db_->Read([&](Tx& tx) -> absl::Status {
    auto events = AuditLog(tx).ListForEntity("sample", "A");
    EXPECT_TRUE(events.ok());
    EXPECT_EQ(events->size(), 3u);
    return absl::OkStatus();
  }));
}

// Rows written before migration 0002 (no hashes) are chained when the database is opened.
TEST_P(AuditChainContractTest, Open_SealsEventsWrittenBeforeTheChain) {
  for (int i = 0; i < 3; ++i) {
    Sql("INSERT INTO audit_events (at, actor, action, entity_type, entity_key, details, "
        "before_json, after_json, reason, request_id) VALUES (1774000000000000, 'old', "
        "'sample.collected', 'sample', 'OLD', 'from before the chain', '', '', '', '')");
  }
  Reopen();
  FiveEvents();
  const std::vector<AuditEvent> all = List({});
  ASSERT_EQ(all.size(), 8u);
  EXPECT_EQ(all[0].prev_hash, "");
  EXPECT_EQ(all[3].prev_hash, all[2].hash);
  EXPECT_EQ(all[2].hash.size(), 64u);
  const ChainCheck check = Verify();
  EXPECT_TRUE(check.ok) << check.problem;
  EXPECT_EQ(check.events_checked, 8);
}

// Once the chain began, a hash-less row can only have been inserted around the server: a restart
// does not seal it into the chain, verification names it.
TEST_P(AuditChainContractTest, Open_NeverSealsRowsInsertedAfterTheChainBegan) {
  FiveEvents();
  Sql("INSERT INTO audit_events (at, actor, action, entity_type, entity_key, details, "
      "before_json, after_json, reason, request_id) VALUES (1774000000000000, 'mallory', "
      "'sample.collected', 'sample', 'FAKE', 'slipped in', '', '', '', '')");
  Reopen();
  const std::vector<AuditEvent> all = List({});
  ASSERT_EQ(all.size(), 6u);
  EXPECT_EQ(all[5].hash, "");
  const ChainCheck check = Verify();
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.first_broken_event_id, all[5].id);
  EXPECT_NE(check.problem.find("inserted"), std::string::npos) << check.problem;
}

std::vector<std::string> CsvLines(const std::string& csv) {
  std::vector<std::string> lines = absl::StrSplit(csv, "\r\n");
  EXPECT_EQ(lines.back(), "");  // every line ends with CRLF
  lines.pop_back();
  return lines;
}

TEST_P(AuditChainContractTest, ExportCsv_StreamsQuotedRowsInChunks) {
  AuditEvent tricky = Event("Q", "alice", 0);
  tricky.details = "moved \"A1\", then B2";
  tricky.reason = "line one\nline two";
  AppendAll({tricky});
  std::vector<AuditEvent> more;
  for (int i = 1; i <= 40; ++i) more.push_back(Event(absl::StrCat("S", i), "bob", i));
  AppendAll(more);

  std::vector<std::string> chunks;
  CsvExportOptions options;
  options.chunk_bytes = 1024;
  options.page_size = 7;
  ASSERT_OK(db_->Read([&](Tx& tx) {
    return AuditLog(tx).ExportCsv({}, [&](absl::string_view chunk) {
      chunks.emplace_back(chunk);
      return absl::OkStatus();
    }, options);
  }));
  EXPECT_GT(chunks.size(), 3u);
  std::string csv;
  for (const std::string& chunk : chunks) {
    EXPECT_LT(chunk.size(), 2 * options.chunk_bytes);
    EXPECT_EQ(chunk.substr(chunk.size() - 2), "\r\n");  // chunks end between rows
    csv += chunk;
  }
  const std::vector<std::string> lines = CsvLines(csv);
  ASSERT_EQ(lines.size(), 42u);  // header + 41 events (the LF inside a quoted field is no CRLF)
  EXPECT_EQ(lines[0],
            "id,at,actor,action,entity_type,entity_key,details,reason,request_id,before_json,"
            "after_json,prev_hash,hash");
  const AuditEvent first = List({}, 0, 1).front();
  EXPECT_EQ(lines[1],
            absl::StrCat(first.id,
                         ",2026-03-20T09:46:40.000001Z,alice,sample.collected,sample,Q,"
                         "\"moved \"\"A1\"\", then B2\",\"line one\nline two\",req-Q-0,,"
                         "\"{\"\"barcode\"\":\"\"Q\"\"}\",,",
                         first.hash));

  // The ostream form writes the same bytes; a filter narrows the rows.
  std::ostringstream out;
  ASSERT_OK(db_->Read([&](Tx& tx) { return AuditLog(tx).ExportCsv({}, out); }));
  EXPECT_EQ(out.str(), csv);
  AuditFilter window;
  window.since = base_ + absl::Minutes(10);
  window.until = base_ + absl::Minutes(20);
  std::ostringstream narrow;
  ASSERT_OK(db_->Read([&](Tx& tx) { return AuditLog(tx).ExportCsv(window, narrow); }));
  EXPECT_EQ(CsvLines(narrow.str()).size(), 11u);
}

TEST_P(AuditChainContractTest, ExportCsv_StopsWhenTheSinkFails) {
  FiveEvents();
  CsvExportOptions options;
  options.chunk_bytes = 1;
  int calls = 0;
  EXPECT_STATUS_CODE(db_->Read([&](Tx& tx) {
    return AuditLog(tx).ExportCsv({}, [&](absl::string_view) {
      ++calls;
      return absl::CancelledError("client went away");
    }, options);
  }), absl::StatusCode::kCancelled);
  EXPECT_EQ(calls, 1);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, AuditChainContractTest, ::testing::Values(Backend::kSqlite));
INSTANTIATE_TEST_SUITE_P(MariaDb, AuditChainContractTest, ::testing::Values(Backend::kMariaDb));

}  // namespace
}  // namespace lims::db
