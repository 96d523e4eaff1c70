// SampleRepository::ResolveAtBench, the scan hot path: one statement prepared once per
// connection (by the server on MariaDB), on both backends.
#include <gtest/gtest.h>

#include <string>

#include "lims/db/consents.h"
#include "lims/db/placements.h"
#include "raw_sql.h"
#include "repository_fixture.h"
#include "soci/soci.h"
#include "status_matchers.h"

namespace lims::db {
namespace {

class ResolveAtBenchTest : public RepositoryTest {
 protected:
  void Consent(const World& w, ConsentScope scope, ConsentAction action, absl::CivilDay day) {
    ConsentEvent e;
    e.scope = scope;
    e.action = action;
    e.effective_on = day;
    e.form_version = action == ConsentAction::kGrant ? "v2.1" : "";
    e.reason = action == ConsentAction::kWithdraw ? "patient's wish" : "";
    e.recorded_by = "coord1";
    e.recorded_at_micros = 1774000000000000;
    ASSERT_OK(db_->Write([&](Tx& tx) { return ConsentRepository(tx).Append(w.patient.id, e); }));
  }

  // From here on db_ has one pooled connection: every scan goes through the same statement.
  void UseOneConnection() {
    Database::Options one;
    one.pool_size = 1;
    auto db = Database::Open(test_db_->url(), one);
    ASSERT_OK(db);
    db_ = std::move(*db);
  }

  absl::StatusOr<SampleAtBench> Resolve(const std::string& barcode) {
    absl::StatusOr<SampleAtBench> out = absl::UnknownError("not run");
    // The status goes back to Read, which reconnects after a lost connection.
    absl::Status read = db_->Read([&](Tx& tx) -> absl::Status {
      out = SampleRepository(tx).ResolveAtBench(barcode);
      return out.status();
    });
    if (!read.ok()) return read;
    return out;
  }
};

TEST_P(ResolveAtBenchTest, TubePlaceConsentInOrderAndNoExposure) {
  World w = MakeWorld();
  Sample tube = Insert(w, "TUBE-A");
  ASSERT_OK(db_->Write([&](Tx& tx) {
    return PlacementRepository(tx).Insert({tube.id, w.box.id, 12}, now_);
  }));
  Consent(w, ConsentScope::kStorage, ConsentAction::kGrant, absl::CivilDay(2026, 1, 5));
  Consent(w, ConsentScope::kResearch, ConsentAction::kGrant, absl::CivilDay(2026, 1, 5));
  Consent(w, ConsentScope::kResearch, ConsentAction::kWithdraw, absl::CivilDay(2026, 2, 1));

  auto got = Resolve("TUBE-A");
  ASSERT_OK(got);
  EXPECT_EQ(got->sample.id, tube.id);
  EXPECT_EQ(got->sample.barcode, "TUBE-A");
  EXPECT_EQ(got->sample.patient_registry_id, "MATHEC-0001");
  EXPECT_EQ(got->sample.protocol_code, "CART-SLE");
  EXPECT_EQ(got->sample.timepoint_code, "M0");
  EXPECT_EQ(got->sample.quantity, *Quantity::FromValue(4, "mL"));
  EXPECT_EQ(got->sample.collected_at, absl::FromUnixSeconds(1772000000));
  ASSERT_TRUE(got->location.has_value());
  EXPECT_EQ(got->location->position, 12);
  EXPECT_EQ(got->location->box_path, "Site PSL / Box B-1");
  ASSERT_EQ(got->consent.size(), 3u);
  EXPECT_EQ(got->consent[0].scope, ConsentScope::kStorage);
  EXPECT_EQ(got->consent[1].form_version, "v2.1");
  EXPECT_EQ(got->consent[2].action, ConsentAction::kWithdraw);
  EXPECT_EQ(got->consent[2].effective_on, absl::CivilDay(2026, 2, 1));
  EXPECT_EQ(got->consent[2].reason, "patient's wish");
  EXPECT_LT(got->consent[0].id, got->consent[2].id);
  EXPECT_FALSE(got->exposed);
}

TEST_P(ResolveAtBenchTest, NoConsentNoPlaceAndUnknownBarcodes) {
  World w = MakeWorld();
  Insert(w, "TUBE-B");
  auto got = Resolve("TUBE-B");
  ASSERT_OK(got);
  EXPECT_TRUE(got->consent.empty());
  EXPECT_FALSE(got->location.has_value());
  // The barcode is a bound value, never SQL: quotes, wildcards, another case and non-ASCII
  // find nothing. (Surrounding white space never gets here: CanonicalBarcode strips it.)
  for (const std::string& unknown :
       {std::string("TUBE-%"), std::string("' OR '1'='1"), std::string("TÜBE-B"),
        std::string("tube-b"), std::string(300, 'X')}) {
    EXPECT_STATUS(Resolve(unknown), absl::StatusCode::kNotFound, "no sample with barcode");
  }
  // The statement kept with the connection still answers afterwards.
  EXPECT_EQ(Resolve("TUBE-B")->sample.barcode, "TUBE-B");
}

TEST_P(ResolveAtBenchTest, LongValuesAfterShortOnesAndBack) {
  World w = MakeWorld();
  // Longer than the 64 bytes the MariaDB statement first reserves for a text column.
  const std::string long_name =
      "Box 'Hôpital Édouard-Herriot' CAR-T follow-up, shelf \"4\" \\ 100% "
      "full; " +
      std::string(20, 'z');
  StorageUnit long_box{0, w.box.parent_id,           StorageKind::kBox, long_name, 9,
                       9, "Site PSL / " + long_name, w.site.id,         "PSL",     {}};
  Sample short_tube = Insert(w, "TUBE-S");
  Sample long_tube = Insert(w, "TUBE-L");
  ASSERT_OK(db_->Write([&](Tx& tx) -> absl::Status {
    if (auto st = StorageUnitRepository(tx).Insert(long_box, now_); !st.ok()) return st;
    PlacementRepository places(tx);
    if (auto st = places.Insert({short_tube.id, w.box.id, 1}, now_); !st.ok()) return st;
    return places.Insert({long_tube.id, long_box.id, 81}, now_);
  }));
  for (int round = 0; round < 3; ++round) {
    auto s = Resolve("TUBE-S");
    ASSERT_OK(s);
    EXPECT_EQ(s->location->box_path, "Site PSL / Box B-1");
    EXPECT_EQ(s->location->box_name, "B-1");
    auto l = Resolve("TUBE-L");
    ASSERT_OK(l);
    EXPECT_EQ(l->location->box_path, "Site PSL / " + long_name);
    EXPECT_EQ(l->location->box_name, long_name);
    EXPECT_EQ(l->location->position, 81);
  }
}

// Each scan reads the newest row: the statement kept with the connection ends its read when
// its rows are read (an SQLite read left open would keep its snapshot and show the tube as it
// was).
TEST_P(ResolveAtBenchTest, ScanAfterAnotherConnectionsWriteSeesIt) {
  World w = MakeWorld();
  Insert(w, "TUBE-N");
  UseOneConnection();
  for (int round = 1; round <= 3; ++round) {
    auto before = Resolve("TUBE-N");
    ASSERT_OK(before);
    ASSERT_OK(lims::testing::ExecuteRawSql(
        test_db_->url(), "UPDATE samples SET freeze_thaw_count = " + std::to_string(round) +
                             " WHERE barcode = 'TUBE-N'"));
    auto after = Resolve("TUBE-N");
    ASSERT_OK(after);
    EXPECT_EQ(after->sample.freeze_thaw_count, round);
  }
}

INSTANTIATE_TEST_SUITE_P(Sqlite, ResolveAtBenchTest, ::testing::Values(Backend::kSqlite));
INSTANTIATE_TEST_SUITE_P(MariaDb, ResolveAtBenchTest, ::testing::Values(Backend::kMariaDb));

// The server-side statement belongs to its connection: when MariaDB drops the connection, the
// next scan reconnects and prepares it again, without an error reaching the caller.
class ResolveAtBenchReconnectTest : public ResolveAtBenchTest {};

TEST_P(ResolveAtBenchReconnectTest, KilledConnectionIsReopenedAndStatementPreparedAgain) {
  World w = MakeWorld();
  Insert(w, "TUBE-K");
  UseOneConnection();
  for (int round = 0; round < 3; ++round) {
    long long connection = 0;
    ASSERT_OK(db_->Read([&](Tx& tx) -> absl::Status {
      auto got = SampleRepository(tx).ResolveAtBench("TUBE-K");
      if (!got.ok()) return got.status();
      tx.session() << "SELECT CONNECTION_ID()", soci::into(connection);
      return absl::OkStatus();
    }));
    ASSERT_OK(lims::testing::ExecuteRawSql(test_db_->url(), "KILL " + std::to_string(connection)));
    auto again = Resolve("TUBE-K");
    ASSERT_OK(again);
    EXPECT_EQ(again->sample.barcode, "TUBE-K");
  }
  EXPECT_GE(db_->counters().reconnects, 3u);
}

INSTANTIATE_TEST_SUITE_P(MariaDb, ResolveAtBenchReconnectTest,
                         ::testing::Values(Backend::kMariaDb));

// SQLite keeps whatever it is given: text where a number belongs is corrupt data, reported as
// INTERNAL without the value, and the next scan of a sound tube still answers.
class ResolveAtBenchCorruptTest : public ResolveAtBenchTest {};

TEST_P(ResolveAtBenchCorruptTest, TextInANumberColumnIsInternalWithoutTheValue) {
  World w = MakeWorld();
  Insert(w, "TUBE-C");
  Insert(w, "TUBE-D");
  ASSERT_OK(lims::testing::ExecuteRawSql(
      test_db_->url(),
      "UPDATE samples SET quantity_amount = 'lots-secret' WHERE barcode = 'TUBE-C'"));
  auto got = Resolve("TUBE-C");
  EXPECT_STATUS(got, absl::StatusCode::kInternal, "server's log");
  EXPECT_EQ(got.status().message().find("lots-secret"), absl::string_view::npos);
  auto sound = Resolve("TUBE-D");
  ASSERT_OK(sound);
  EXPECT_EQ(sound->sample.barcode, "TUBE-D");
}

INSTANTIATE_TEST_SUITE_P(Sqlite, ResolveAtBenchCorruptTest, ::testing::Values(Backend::kSqlite));

}  // namespace
}  // namespace lims::db
