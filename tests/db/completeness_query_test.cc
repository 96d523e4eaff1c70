// CompletenessQuery on SQLite and MariaDB: enrollments of a protocol (and site) in id order with
// their patients, and the primary samples counted per (enrollment, timepoint, type) for exactly
// that page — derived aliquots, other protocols and other pages left out.
#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>

#include "lims/db/completeness_query.h"
#include "lims/db/enrollments.h"
#include "lims/db/patients.h"
#include "lims/db/protocols.h"
#include "lims/db/samples.h"
#include "lims/db/sites.h"
#include "status_matchers.h"
#include "test_databases.h"

namespace lims::db {
namespace {

using ::lims::testing::TestDatabase;
using Count = std::tuple<int64_t, int64_t, std::string, int>;

class CompletenessQueryTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto fresh = TestDatabase::Create(GetParam());
    ASSERT_TRUE(fresh.ok()) << fresh.status();
    test_db_ = std::move(*fresh);
    auto db = Database::Open(test_db_->url());
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    // Sites PSL, LYO; protocols A (T0, T1) and B (T0); enrollments in A: e1 (PSL), e2 (LYO),
    // e3 (PSL); in B: e4 (PSL, same patient as e1).
    ASSERT_OK(db_->Write([&](Tx& tx) -> absl::Status {
      for (Site* s : {&psl_, &lyo_}) {
        if (auto st = SiteRepository(tx).Insert(*s, now_); !st.ok()) return st;
      }
      a_.code = "PROTO-A";
      a_.name = "A";
      a_.timepoints = {{0, "T0", "", 0, 0, 0, {{"SER", 2}}}, {0, "T1", "", 30, 5, 5, {}}};
      b_.code = "PROTO-B";
      b_.name = "B";
      b_.timepoints = {{0, "T0", "", 0, 0, 0, {}}};
      for (Protocol* p : {&a_, &b_}) {
        if (auto st = ProtocolRepository(tx).Insert(*p, now_); !st.ok()) return st;
      }
      const std::pair<const char*, int64_t> patients[] = {
          {"P-1", psl_.id}, {"P-2", lyo_.id}, {"P-3", psl_.id}};
      for (const auto& [registry_id, site_id] : patients) {
        Patient p;
        p.registry_id = registry_id;
        p.site_id = site_id;
        if (auto st = PatientRepository(tx).Insert(p, now_); !st.ok()) return st;
        patients_.push_back(p);
      }
      auto enroll = [&](const Patient& p, const Protocol& r, absl::CivilDay anchor) {
        Enrollment e;
        e.patient_id = p.id;
        e.protocol_id = r.id;
        e.anchor_date = anchor;
        e.site_id = p.site_id;
        absl::Status st = EnrollmentRepository(tx).Insert(e, now_);
        enrollments_.push_back(e);
        return st;
      };
      for (auto st : {enroll(patients_[0], a_, absl::CivilDay(2024, 2, 29)),
                      enroll(patients_[1], a_, absl::CivilDay(2026, 1, 15)),
                      enroll(patients_[2], a_, absl::CivilDay(2026, 1, 31)),
                      enroll(patients_[0], b_, absl::CivilDay(2026, 3, 1))}) {
        if (!st.ok()) return st;
      }
      return absl::OkStatus();
    }));
    const int64_t e1 = enrollments_[0].id, e2 = enrollments_[1].id, e3 = enrollments_[2].id,
                  e4 = enrollments_[3].id;
    const int64_t a0 = a_.timepoints[0].id, a1 = a_.timepoints[1].id, b0 = b_.timepoints[0].id;
    const int64_t parent = Collect(e1, a0, psl_.id, "SER", 0);
    Collect(e1, a0, psl_.id, "SER", 0);
    Collect(e1, a0, psl_.id, "PL1", 0);
    for (int i = 0; i < 3; ++i) Collect(e1, a0, psl_.id, "SER", parent);  // aliquots
    Collect(e1, a1, psl_.id, "URN", 0);
    Collect(e2, a0, lyo_.id, "SER", 0);
    Collect(e3, a1, psl_.id, "SER", 0);
    Collect(e4, b0, psl_.id, "SER", 0);
  }

  int64_t Collect(int64_t enrollment, int64_t timepoint, int64_t site, const std::string& type,
                  int64_t parent) {
    Sample s;
    s.barcode = "T-" + std::to_string(++serial_);
    s.parent_id = parent;
    s.enrollment_id = enrollment;
    s.timepoint_id = timepoint;
    s.site_id = site;
    s.sample_type = type;
    s.quantity = *Quantity::FromValue(1, "mL");
    s.collected_at = absl::FromUnixSeconds(1772000000);
    absl::Status st = db_->Write([&](Tx& tx) { return SampleRepository(tx).Insert(s, now_); });
    EXPECT_TRUE(st.ok()) << st;
    return s.id;
  }

  CompletenessPage Load(int64_t protocol, int64_t site, int64_t after, int limit) {
    CompletenessPage page;
    absl::Status st = db_->Read([&](Tx& tx) -> absl::Status {
      auto loaded = CompletenessQuery(tx).Load(protocol, site, after, limit);
      if (!loaded.ok()) return loaded.status();
      page = std::move(*loaded);
      return absl::OkStatus();
    });
    EXPECT_TRUE(st.ok()) << st;
    return page;
  }

  static std::vector<Count> Counts(const CompletenessPage& page) {
    std::vector<Count> out;
    for (const auto& c : page.counts) {
      out.emplace_back(c.enrollment_id, c.timepoint_id, c.sample_type, c.count);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  absl::Time now_ = absl::FromUnixSeconds(1774000000);
  std::unique_ptr<TestDatabase> test_db_;
  std::unique_ptr<Database> db_;
  Site psl_{0, "PSL", "Paris"}, lyo_{0, "LYO", "Lyon"};
  Protocol a_, b_;
  std::vector<Patient> patients_;
  std::vector<Enrollment> enrollments_;
  int serial_ = 0;
};

TEST_P(CompletenessQueryTest, Protocol_EnrollmentsWithPatientsAndPrimaryCounts) {
  const CompletenessPage page = Load(a_.id, 0, 0, 10);
  ASSERT_EQ(page.enrollments.size(), 3u);
  const CompletenessEnrollment& first = page.enrollments[0];
  EXPECT_EQ(first.enrollment_id, enrollments_[0].id);
  EXPECT_EQ(first.patient_registry_id, "P-1");
  EXPECT_EQ(first.site_code, "PSL");
  EXPECT_EQ(first.site_id, psl_.id);
  EXPECT_EQ(first.protocol_code, "PROTO-A");
  EXPECT_EQ(first.anchor_date, absl::CivilDay(2024, 2, 29));
  EXPECT_EQ(page.enrollments[1].site_code, "LYO");
  const int64_t e1 = enrollments_[0].id, e2 = enrollments_[1].id, e3 = enrollments_[2].id;
  const int64_t a0 = a_.timepoints[0].id, a1 = a_.timepoints[1].id;
  // Two primary SER (the three aliquots are not counted), one PL1; protocol B's sample is not.
  std::vector<Count> want = {{e1, a0, "PL1", 1}, {e1, a0, "SER", 2}, {e1, a1, "URN", 1},
                             {e2, a0, "SER", 1}, {e3, a1, "SER", 1}};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(Counts(page), want);
}

TEST_P(CompletenessQueryTest, SiteFilter_AndPaging_CountsFollowThePage) {
  const CompletenessPage psl = Load(a_.id, psl_.id, 0, 10);
  ASSERT_EQ(psl.enrollments.size(), 2u);
  EXPECT_EQ(psl.enrollments[0].patient_registry_id, "P-1");
  EXPECT_EQ(psl.enrollments[1].patient_registry_id, "P-3");
  for (const auto& c : psl.counts) EXPECT_NE(c.enrollment_id, enrollments_[1].id);

  const CompletenessPage first = Load(a_.id, 0, 0, 1);
  ASSERT_EQ(first.enrollments.size(), 1u);
  for (const auto& c : first.counts) EXPECT_EQ(c.enrollment_id, enrollments_[0].id);
  EXPECT_EQ(first.counts.size(), 3u);
  const CompletenessPage second = Load(a_.id, 0, first.enrollments.back().enrollment_id, 1);
  ASSERT_EQ(second.enrollments.size(), 1u);
  EXPECT_EQ(second.enrollments[0].patient_registry_id, "P-2");
  ASSERT_EQ(second.counts.size(), 1u);
  EXPECT_EQ(second.counts[0].enrollment_id, enrollments_[1].id);
  const CompletenessPage done = Load(a_.id, 0, enrollments_[2].id, 10);
  EXPECT_TRUE(done.enrollments.empty());
  EXPECT_TRUE(done.counts.empty());

  // No protocol: every protocol (the due list walks a site this way).
  const CompletenessPage all_psl = Load(0, psl_.id, 0, 10);
  ASSERT_EQ(all_psl.enrollments.size(), 3u);
  EXPECT_EQ(all_psl.enrollments[2].protocol_code, "PROTO-B");
}

INSTANTIATE_TEST_SUITE_P(Sqlite, CompletenessQueryTest, ::testing::Values(Backend::kSqlite));
INSTANTIATE_TEST_SUITE_P(MariaDb, CompletenessQueryTest, ::testing::Values(Backend::kMariaDb));

}  // namespace
}  // namespace lims::db
