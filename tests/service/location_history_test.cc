// The location history of tubes stored before it was kept, rebuilt from the audit trail.
#include "lims/db/location_history.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "grpc_status_matchers.h"
#include "raw_sql.h"
#include "service_fixture.h"

namespace lims::testing {
namespace {

class LocationHistoryTest : public ServiceTest {};

// A database from before the location history: only each stored tube's current stay was kept.
// At start-up the older stays are replayed from the audit trail, once.
TEST_P(LocationHistoryTest, OlderStays_AreRebuiltFromTheAuditTrail_OnceAtStartUp) {
  Seed();
  const std::string other_box = CreateBoxInFreezer("BOX-OLD");
  const v1::Sample moved = CollectSerum(), out = CollectSerum(), never = CollectSerum();
  LIMS_ASSERT_GRPC_OK(Place(moved.barcode(), box_id_, "A1"));
  LIMS_ASSERT_GRPC_OK(Place(out.barcode(), box_id_, "B2"));
  v1::MoveSampleRequest move;
  move.set_barcode(moved.barcode());
  move.set_box_id(other_box);
  move.set_position("C3");
  move.set_reason("box reorganised");
  v1::MoveSampleResponse move_resp;
  LIMS_ASSERT_GRPC_OK(storage_->MoveSample(Ctx().get(), move, &move_resp));
  v1::RetrieveSampleRequest retrieve;
  retrieve.set_barcode(out.barcode());
  retrieve.set_reason("sent for analysis");
  v1::RetrieveSampleResponse retrieve_resp;
  LIMS_ASSERT_GRPC_OK(storage_->RetrieveSample(Ctx().get(), retrieve, &retrieve_resp));

  auto stays = [&](const std::string& barcode) {
    v1::GetLocationHistoryRequest req;
    req.set_barcode(barcode);
    v1::GetLocationHistoryResponse resp;
    grpc::Status s = storage_->GetLocationHistory(Ctx().get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    std::vector<std::string> out;
    for (const auto& e : resp.entries()) {
      out.push_back(absl::StrCat(e.box_id() == box_id_ ? "box" : "other", ":", e.position(),
                                 e.has_to() ? " closed" : " open"));
    }
    return out;
  };
  const auto moved_before = stays(moved.barcode()), out_before = stays(out.barcode());
  ASSERT_EQ(moved_before, (std::vector<std::string>{"box:A1 closed", "other:C3 open"}));
  ASSERT_EQ(out_before, (std::vector<std::string>{"box:B2 closed"}));

  // Forget the history as an old database had it: the current stays only, no backfill done.
  for (const char* sql :
       {"DELETE FROM location_history", "DELETE FROM data_backfills",
        "INSERT INTO location_history (sample_id, box_id, position_number, from_at) "
        "SELECT p.sample_id, p.box_id, p.position_number, p.placed_at FROM placements p"}) {
    ASSERT_TRUE(ExecuteRawSql(test_db_->url(), sql).ok()) << sql;
  }
  ASSERT_EQ(stays(moved.barcode()), (std::vector<std::string>{"other:C3 open"}));
  ASSERT_TRUE(stays(out.barcode()).empty());

  // Another server starts on the database: the stays come back as they were, once.
  for (int start = 0; start < 2; ++start) {
    auto reopened = db::Database::Open(test_db_->url());
    ASSERT_TRUE(reopened.ok()) << reopened.status();
  }
  EXPECT_EQ(stays(moved.barcode()), moved_before);
  EXPECT_EQ(stays(out.barcode()), out_before);
  EXPECT_TRUE(stays(never.barcode()).empty());

  // The same a tube at a time (what a database of millions does 5,000 tubes at a time).
  ASSERT_TRUE(
      ExecuteRawSql(test_db_->url(), "DELETE FROM location_history WHERE to_at IS NOT NULL").ok());
  auto db = db::Database::Open(test_db_->url());
  ASSERT_TRUE(db.ok()) << db.status();
  int64_t added = 0;
  ASSERT_TRUE((*db)
                  ->Write([&](db::Tx& tx) -> absl::Status {
                    auto rebuilt = db::LocationHistory(tx).RebuildFromAudit(1);
                    if (!rebuilt.ok()) return rebuilt.status();
                    added = *rebuilt;
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(added, 2);  // moved's stay in A1, out's in B2
  EXPECT_EQ(stays(moved.barcode()), moved_before);
  EXPECT_EQ(stays(out.barcode()), out_before);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, LocationHistoryTest, ::testing::Values(db::Backend::kSqlite));
INSTANTIATE_TEST_SUITE_P(MariaDb, LocationHistoryTest, ::testing::Values(db::Backend::kMariaDb));

}  // namespace
}  // namespace lims::testing
