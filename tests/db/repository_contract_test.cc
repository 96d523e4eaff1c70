// The repository contract, written once and run on SQLite and on MariaDB: the same code must
// behave the same on both backends.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "lims/core/check_character.h"
#include "lims/core/sample_id.h"
#include "lims/db/audit_log.h"
#include "lims/db/consents.h"
#include "lims/db/enrollments.h"
#include "lims/db/patients.h"
#include "lims/db/placements.h"
#include "lims/db/protocols.h"
#include "lims/db/request_log.h"
#include "lims/db/requests.h"
#include "lims/db/samples.h"
#include "lims/db/schema_description.h"
#include "lims/db/sites.h"
#include "lims/db/storage_units.h"
#include "lims/db/trusted_keys.h"
#include "lims/db/users.h"
#include "repository_fixture.h"
#include "soci/soci.h"
#include "status_matchers.h"
#include "test_databases.h"

namespace lims::db {
namespace {

using ::lims::testing::TestDatabase;

class RepositoryContractTest : public RepositoryTest {};

TEST_P(RepositoryContractTest, Open_AppliesEveryMigrationOnce) {
  auto version = db_->SchemaVersion();
  ASSERT_OK(version);
  EXPECT_GE(*version, 1);
  db_.reset();
  auto reopened = Database::Open(test_db_->url());
  ASSERT_OK(reopened);
  EXPECT_EQ(*(*reopened)->SchemaVersion(), *version);
}

// A pooled connection has run the session set-up (db/src/dialect.cc): strict SQL on MariaDB,
// and large IN lists read as index ranges; on SQLite foreign keys and WAL.
TEST_P(RepositoryContractTest, Open_ConnectionsHaveTheSessionSetUp) {
  ASSERT_OK(db_->Read([&](Tx& tx) -> absl::Status {
    if (GetParam() == Backend::kSqlite) {
      int foreign_keys = 0;
      std::string journal;
      tx.session() << "PRAGMA foreign_keys", soci::into(foreign_keys);
      tx.session() << "PRAGMA journal_mode", soci::into(journal);
      EXPECT_EQ(foreign_keys, 1);
      EXPECT_EQ(journal, "wal");
    } else {
      std::string sql_mode;
      long long threshold = -1;
      tx.session() << "SELECT @@SESSION.sql_mode, @@SESSION.in_predicate_conversion_threshold",
          soci::into(sql_mode), soci::into(threshold);
      EXPECT_NE(sql_mode.find("STRICT_ALL_TABLES"), std::string::npos) << sql_mode;
      EXPECT_EQ(threshold, 0);
    }
    return absl::OkStatus();
  }));
}

TEST_P(RepositoryContractTest, Sites_RoundTripLiterallyAndPage) {
  const std::string tricky = "Hôpital 'Édouard'; DROP TABLE sites; -- \"x\" \\ %_";
  ASSERT_OK(db_->Write([&](Tx& tx) -> absl::Status {
    for (const char* code : {"AAA", "BBB", "CCC"}) {
      Site s{0, code, tricky};
      if (auto st = SiteRepository(tx).Insert(s, now_); !st.ok()) return st;
    }
    return absl::OkStatus();
  }));
  ASSERT_OK(db_->Read([&](Tx& tx) -> absl::Status {
    auto found = SiteRepository(tx).FindByCode("BBB");
    EXPECT_TRUE(found.ok());
    EXPECT_EQ(found->name, tricky);
    EXPECT_STATUS_CODE(SiteRepository(tx).FindByCode("bbb"), absl::StatusCode::kNotFound);
    auto first = SiteRepository(tx).List(0, 2);
    EXPECT_EQ(first->size(), 2u);
    auto rest = SiteRepository(tx).List(first->back().id, 2);
    EXPECT_EQ(rest->size(), 1u);
    EXPECT_EQ(rest->front().code, "CCC");
    return absl::OkStatus();
  }));
}

TEST_P(RepositoryContractTest, Write_ErrorRollsBackEverything) {
  absl::Status s = db_->Write([&](Tx& tx) -> absl::Status {
    Site site{0, "PSL", "Paris"};
    if (auto st = SiteRepository(tx).Insert(site, now_); !st.ok()) return st;
    return absl::FailedPreconditionError("changed my mind");
  });
  EXPECT_STATUS_CODE(s, absl::StatusCode::kFailedPrecondition);
  auto counts = CountRows(*db_);
  ASSERT_OK(counts);
  EXPECT_EQ(counts->at("sites"), 0);
}

TEST_P(RepositoryContractTest, UniqueKeyRace_IsAbortedAndNothingIsWritten) {
  // Write() retries ABORTED; a duplicate that the work does not check for keeps failing.
  ASSERT_OK(db_->Write([&](Tx& tx) {
    Site s{0, "PSL", "Paris"};
    return SiteRepository(tx).Insert(s, now_);
  }));
  absl::Status dup = db_->Write([&](Tx& tx) {
    Site s{0, "PSL", "again"};
    return SiteRepository(tx).Insert(s, now_);
  });
  EXPECT_STATUS_CODE(dup, absl::StatusCode::kAborted);
  EXPECT_EQ(CountRows(*db_)->at("sites"), 1);
}

TEST_P(RepositoryContractTest, TrustedKeys_OneRowPerSiteRevokedTogetherAndKept) {
  auto key = [&](const std::string& site) {
    TrustedKeyRecord k;
    k.site_code = site;
    k.public_key = "ed25519:AAAA";
    k.fingerprint = "0123456789abcdef0123456789abcdef";
    k.reason = "read over the phone; 'quoted' \\ %_";
    k.added_by = "admin";
    k.added_at = now_;
    return k;
  };
  ASSERT_OK(db_->Write([&](Tx& tx) -> absl::Status {
    for (const char* site : {"PSL", "PSE"}) {
      TrustedKeyRecord k = key(site);
      if (auto st = TrustedKeyRepository(tx).Insert(k); !st.ok()) return st;
      EXPECT_GT(k.id, 0);
    }
    return absl::OkStatus();
  }));
  EXPECT_STATUS_CODE(db_->Write([&](Tx& tx) {
                       TrustedKeyRecord again = key("PSL");
                       return TrustedKeyRepository(tx).Insert(again);
                     }),
                     absl::StatusCode::kAborted);
  ASSERT_OK(db_->Write([&](Tx& tx) -> absl::Status {
    TrustedKeyRepository keys(tx);
    auto revoked = keys.Revoke("0123456789abcdef0123456789abcdef", "boss", now_, "compromised");
    EXPECT_EQ(*revoked, 2);
    EXPECT_EQ(*keys.Revoke("0123456789abcdef0123456789abcdef", "boss", now_, "again"), 0);
    EXPECT_EQ(*keys.Revoke("ffff", "boss", now_, "unknown"), 0);
    return absl::OkStatus();
  }));
  ASSERT_OK(db_->Read([&](Tx& tx) -> absl::Status {
    auto rows = TrustedKeyRepository(tx).FindByFingerprint("0123456789abcdef0123456789abcdef");
    EXPECT_EQ(rows->size(), 2u);
    for (const TrustedKeyRecord& row : *rows) {
      EXPECT_TRUE(row.revoked());
      EXPECT_EQ(row.revoke_reason, "compromised");
      EXPECT_EQ(row.reason, "read over the phone; 'quoted' \\ %_");
      EXPECT_EQ(row.added_at, now_);
    }
    EXPECT_TRUE(TrustedKeyRepository(tx).FindByFingerprint("ffff")->empty());
    EXPECT_EQ(TrustedKeyRepository(tx).List()->size(), 2u);
    return absl::OkStatus();
  }));
}

TEST_P(RepositoryContractTest, Tokens_RefusedFromTheirExpiryOn) {
  int64_t user_id = 0;
  ASSERT_OK(db_->Write([&](Tx& tx) -> absl::Status {
    UserRecord user;
    user.username = "tech";
    user.role = Role::kTechnician;
    if (auto st = UserRepository(tx).Insert(user, now_); !st.ok()) return st;
    user_id = user.id;
    if (auto st = UserRepository(tx).InsertToken(user_id, "hash-forever", now_); !st.ok()) {
      return st;
    }
    return UserRepository(tx).InsertToken(user_id, "hash-a-day", now_, now_ + absl::Hours(24));
  }));
  ASSERT_OK(db_->Read([&](Tx& tx) -> absl::Status {
    UserRepository users(tx);
    EXPECT_TRUE(users.FindByTokenHash("hash-a-day", now_ + absl::Hours(23))->has_value());
    EXPECT_FALSE(users.FindByTokenHash("hash-a-day", now_ + absl::Hours(24))->has_value());
    EXPECT_TRUE(users.FindByTokenHash("hash-forever", now_ + absl::Hours(24 * 3650))->has_value());
    return absl::OkStatus();
  }));
}

TEST_P(RepositoryContractTest, Protocol_KeepsTimepointOrderAndKits) {
  World w = MakeWorld();
  ASSERT_OK(db_->Read([&](Tx& tx) -> absl::Status {
    auto p = ProtocolRepository(tx).FindByCode("CART-SLE");
    EXPECT_TRUE(p.ok()) << p.status();
    EXPECT_EQ(p->timepoints.size(), 2u);
    EXPECT_EQ(p->timepoints[0].code, "M0");
    EXPECT_EQ(p->timepoints[1].offset_days, 90);
    EXPECT_EQ(p->timepoints[1].window_before_days, 7);
    if (p->timepoints.size() != 2 || p->timepoints[0].expected_samples.size() != 1) return absl::InternalError("unexpected shape");
    EXPECT_EQ(p->timepoints[0].expected_samples[0].sample_type, "SER");
    EXPECT_EQ(p->timepoints[0].expected_samples[0].count, 2);
    EXPECT_TRUE(p->timepoints[1].expected_samples.empty());
    auto e = EnrollmentRepository(tx).FindById(w.enrollment.id);
    EXPECT_EQ(e->anchor_date, absl::CivilDay(2026, 3, 1));
    EXPECT_EQ(e->patient_registry_id, "MATHEC-0001");
    EXPECT_EQ(e->protocol_code, "CART-SLE");
    return absl::OkStatus();
  }));
}

TEST_P(RepositoryContractTest, NextSequence_CountsPerSiteAndYear) {
  World w = MakeWorld();
  std::vector<int64_t> got;
  ASSERT_OK(db_->Write([&](Tx& tx) -> absl::Status {
    SampleRepository samples(tx);
    for (int year : {26, 26, 26, 27}) got.push_back(*samples.NextSequence(w.site.id, year));
    return absl::OkStatus();
  }));
  EXPECT_EQ(got, (std::vector<int64_t>{1, 2, 3, 1}));
}

TEST_P(RepositoryContractTest, Sample_RoundTripsExactly) {
  World w = MakeWorld();
  Sample parent = Insert(w, "PSL26-000001-" + std::string(1, *Mod37_2CheckCharacter("PSL26000001")));
  Sample child = NewSample(w, "1234567890");
  child.parent_id = parent.id;
  child.quantity = *Quantity::FromValue(0.5, "mL");
  child.status = SampleStatus::kInProcessing;
  child.window_offset_days = -3;
  ASSERT_OK(db_->Write([&](Tx& tx) { return SampleRepository(tx).Insert(child, now_); }));
  ASSERT_OK(db_->Read([&](Tx& tx) -> absl::Status {
    auto got = SampleRepository(tx).FindByBarcode("1234567890");
    EXPECT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(got->parent_barcode, parent.barcode);
    EXPECT_EQ(got->quantity.canonical_amount(), 500000);  // nL
    EXPECT_EQ(got->status, SampleStatus::kInProcessing);
    EXPECT_EQ(got->window_offset_days, -3);
    EXPECT_EQ(got->collected_at, child.collected_at);
    EXPECT_EQ(got->patient_registry_id, "MATHEC-0001");
    EXPECT_EQ(got->timepoint_code, "M0");
    EXPECT_EQ(got->site_code, "PSL");
    EXPECT_STATUS_CODE(SampleRepository(tx).FindByBarcode("1234567891"),
                     absl::StatusCode::kNotFound);
    return absl::OkStatus();
  }));
}

TEST_P(RepositoryContractTest, Update_StaleVersionIsAborted) {
  World w = MakeWorld();
  Sample s = Insert(w, "TUBE-0001");
  Sample stale = s;
  s.status = SampleStatus::kInProcessing;
  ASSERT_OK(db_->Write([&](Tx& tx) { return SampleRepository(tx).Update(s); }));
  stale.status = SampleStatus::kConsumed;
  EXPECT_STATUS_CODE(db_->Write([&](Tx& tx) { return SampleRepository(tx).Update(stale); }),
                   absl::StatusCode::kAborted);
  ASSERT_OK(db_->Read([&](Tx& tx) -> absl::Status {
    EXPECT_EQ(SampleRepository(tx).FindByBarcode("TUBE-0001")->status,
              SampleStatus::kInProcessing);
    return absl::OkStatus();
  }));
}

TEST_P(RepositoryContractTest, Placements_DatabaseAllowsOneTubePerPositionAndOnePositionPerTube) {
  World w = MakeWorld();
  Sample a = Insert(w, "TUBE-A");
  Sample b = Insert(w, "TUBE-B");
  ASSERT_OK(db_->Write(
      [&](Tx& tx) { return PlacementRepository(tx).Insert({a.id, w.box.id, 1}, now_); }));
  // Second tube into the occupied position.
  EXPECT_STATUS_CODE(db_->Write([&](Tx& tx) {
    return PlacementRepository(tx).Insert({b.id, w.box.id, 1}, now_);
  }),
                   absl::StatusCode::kAborted);
  // Same tube into a second position.
  EXPECT_STATUS_CODE(db_->Write([&](Tx& tx) {
    return PlacementRepository(tx).Insert({a.id, w.box.id, 2}, now_);
  }),
                   absl::StatusCode::kAborted);
  ASSERT_OK(db_->Read([&](Tx& tx) -> absl::Status {
    auto slots = PlacementRepository(tx).ListBox(w.box.id);
    EXPECT_EQ(slots->size(), 1u);
    EXPECT_EQ(slots->front().barcode, "TUBE-A");
    auto resolved = SampleRepository(tx).Resolve("TUBE-A");
    EXPECT_TRUE(resolved->location.has_value());
    EXPECT_EQ(resolved->location->position, 1);
    EXPECT_EQ(resolved->location->box_path, "Site PSL / Box B-1");
    EXPECT_FALSE(SampleRepository(tx).Resolve("TUBE-B")->location.has_value());
    return absl::OkStatus();
  }));
}

TEST_P(RepositoryContractTest, AuditLog_AppendsInOrderPerEntity) {
  ASSERT_OK(db_->Write([&](Tx& tx) -> absl::Status {
    for (const char* action : {"sample.collected", "storage.placed"}) {
      AuditEvent e;
      e.at = now_;
      e.actor = "tech1";
      e.action = action;
      e.entity_type = "sample";
      e.entity_key = "TUBE-1";
      e.after_json = "{\"status\":\"STORED\"}";
      if (auto st = AuditLog(tx).Append(e); !st.ok()) return st;
    }
    return absl::OkStatus();
  }));
  ASSERT_OK(db_->Read([&](Tx& tx) -> absl::Status {
    auto events = AuditLog(tx).ListForEntity("sample", "TUBE-1");
    EXPECT_EQ(events->size(), 2u);
    EXPECT_EQ((*events)[1].action, "storage.placed");
    EXPECT_EQ((*events)[0].at, now_);
    EXPECT_TRUE(AuditLog(tx).ListForEntity("sample", "TUBE-2")->empty());
    return absl::OkStatus();
  }));
}

TEST_P(RepositoryContractTest, RequestLog_StoresBinaryBodiesExactly) {
  const std::string binary("\x00\x01\xff\x08 body", 9);
  ASSERT_OK(db_->Write([&](Tx& tx) {
    return RequestLog(tx).Insert({"req-1", "PlaceSample", binary, binary + binary}, now_);
  }));
  EXPECT_STATUS_CODE(db_->Write([&](Tx& tx) {
    return RequestLog(tx).Insert({"req-1", "PlaceSample", "", ""}, now_);
  }),
                   absl::StatusCode::kAborted);
  ASSERT_OK(db_->Read([&](Tx& tx) -> absl::Status {
    auto found = RequestLog(tx).Find("req-1");
    EXPECT_TRUE(found->has_value());
    EXPECT_EQ((*found)->request_body, binary);
    EXPECT_EQ((*found)->response_body, binary + binary);
    EXPECT_FALSE(RequestLog(tx).Find("req-2")->has_value());
    return absl::OkStatus();
  }));
  // Purged by age: what is older than the cut goes, the rest stays.
  ASSERT_OK(db_->Write([&](Tx& tx) {
    return RequestLog(tx).Insert({"req-3", "PlaceSample", "", ""}, now_ + absl::Hours(48));
  }));
  ASSERT_OK(db_->Write([&](Tx& tx) -> absl::Status {
    EXPECT_EQ(*RequestLog(tx).PurgeBefore(now_ + absl::Hours(24)), 1);
    EXPECT_FALSE(RequestLog(tx).Find("req-1")->has_value());
    EXPECT_TRUE(RequestLog(tx).Find("req-3")->has_value());
    return absl::OkStatus();
  }));
}

TEST_P(RepositoryContractTest, Consents_AppendOnlyHistoryInRecordingOrder) {
  const World w = MakeWorld();
  ASSERT_OK(db_->Write([&](Tx& tx) -> absl::Status {
    ConsentRepository consents(tx);
    ConsentEvent grant;
    grant.scope = ConsentScope::kSharingOutsideEu;
    grant.effective_on = absl::CivilDay(2026, 2, 28);
    grant.form_version = "v2.1-é";
    grant.recorded_by = "coord";
    grant.recorded_at_micros = absl::ToUnixMicros(now_);
    if (auto st = consents.Append(w.patient.id, grant); !st.ok()) return st;
    EXPECT_GT(grant.id, 0);
    ConsentEvent withdrawal = grant;
    withdrawal.action = ConsentAction::kWithdraw;
    withdrawal.effective_on = absl::CivilDay(2026, 3, 1);
    withdrawal.form_version = "";
    withdrawal.reason = "moved abroad";
    return consents.Append(w.patient.id, withdrawal);
  }));
  ASSERT_OK(db_->Read([&](Tx& tx) -> absl::Status {
    auto by_patient = ConsentRepository(tx).ListForPatient(w.patient.id);
    EXPECT_TRUE(by_patient.ok()) << by_patient.status();
    EXPECT_EQ(by_patient->size(), 2u);
    const ConsentEvent& first = (*by_patient)[0];
    EXPECT_EQ(first.scope, ConsentScope::kSharingOutsideEu);
    EXPECT_EQ(first.action, ConsentAction::kGrant);
    EXPECT_EQ(first.effective_on, absl::CivilDay(2026, 2, 28));
    EXPECT_EQ(first.form_version, "v2.1-é");
    EXPECT_EQ(first.recorded_by, "coord");
    EXPECT_EQ(first.recorded_at_micros, absl::ToUnixMicros(now_));
    EXPECT_EQ((*by_patient)[1].action, ConsentAction::kWithdraw);
    EXPECT_EQ((*by_patient)[1].reason, "moved abroad");
    EXPECT_LT(first.id, (*by_patient)[1].id);
    auto by_enrollment = ConsentRepository(tx).ListForEnrollment(w.enrollment.id);
    EXPECT_EQ(by_enrollment->size(), 2u);
    EXPECT_TRUE(ConsentRepository(tx).ListForPatient(w.patient.id + 1000)->empty());
    EXPECT_TRUE(ConsentRepository(tx).ListForEnrollment(w.enrollment.id + 1000)->empty());
    return absl::OkStatus();
  }));
}

// Two approvals at once: the second's candidate read waits for the first to commit and sees what
// it reserved, so neither takes a tube on a view that is already out of date (the retention
// rule counts what remains).
TEST_P(RepositoryContractTest, Candidates_AnApprovalsReadWaitsForAnotherAndSeesItsReservations) {
  const World w = MakeWorld();
  std::vector<Sample> tubes = {NewSample(w, "2000000001"), NewSample(w, "2000000002")};
  SampleRequestRecord first, second;
  ASSERT_OK(db_->Write([&](Tx& tx) -> absl::Status {
    for (Sample& t : tubes) {
      t.status = SampleStatus::kStored;
      if (auto st = SampleRepository(tx).Insert(t, now_); !st.ok()) return st;
    }
    for (SampleRequestRecord* r : {&first, &second}) {
      r->title = "race";
      r->ethics_reference = "CPP";
      r->criteria_json = "{}";
      r->status = "SUBMITTED";
      r->submitted_by = "researcher";
      r->submitted_at = now_;
      if (auto st = RequestRepository(tx).Insert(*r); !st.ok()) return st;
    }
    return absl::OkStatus();
  }));
  const CandidateFilter filter{{w.protocol.timepoints[0].id}, {"SER"}, {}, /*to_reserve=*/true};
  std::atomic<bool> first_reserved{false};
  absl::Status first_done;
  std::thread approval([&] {
    first_done = db_->Write([&](Tx& tx) -> absl::Status {
      auto found = RequestRepository(tx).FindCandidates(filter);
      if (!found.ok()) return found.status();
      EXPECT_EQ(found->rows.size(), 2u);
      if (auto st = RequestRepository(tx).Reserve(first.id, tubes[0].id, now_); !st.ok()) return st;
      first_reserved = true;
      absl::SleepFor(absl::Milliseconds(300));  // still uncommitted while the other reads
      return absl::OkStatus();
    });
  });
  while (!first_reserved) absl::SleepFor(absl::Milliseconds(5));
  std::vector<int64_t> seen;
  ASSERT_OK(db_->Write([&](Tx& tx) -> absl::Status {
    auto found = RequestRepository(tx).FindCandidates(filter);
    if (!found.ok()) return found.status();
    seen.clear();
    for (const CandidateRow& row : found->rows) seen.push_back(row.sample_id);
    return absl::OkStatus();
  }));
  approval.join();
  ASSERT_OK(first_done);
  EXPECT_EQ(seen, std::vector<int64_t>{tubes[1].id});
}

INSTANTIATE_TEST_SUITE_P(Sqlite, RepositoryContractTest, ::testing::Values(Backend::kSqlite));
INSTANTIATE_TEST_SUITE_P(MariaDb, RepositoryContractTest, ::testing::Values(Backend::kMariaDb));

}  // namespace
}  // namespace lims::db
