// RequestRepository's reads behind a criteria preview, on both backends: candidates read as
// numbers (MariaDB: binary rows of a server-side statement) and the patients of the candidates'
// enrollments, read in chunks.
#include <gtest/gtest.h>

#include <string>

#include "absl/strings/str_format.h"
#include "lims/db/placements.h"
#include "lims/db/requests.h"
#include "repository_fixture.h"
#include "status_matchers.h"

namespace lims::db {
namespace {

class RequestCandidatesTest : public RepositoryTest {};

TEST_P(RequestCandidatesTest, PatientsOfEnrollmentsAcrossChunks) {
  World w = MakeWorld();
  // More enrollments than one chunk (5,000) holds, with patient ids unlike their enrollments'.
  std::vector<int64_t> enrollments;
  std::map<int64_t, int64_t> expected;
  ASSERT_OK(db_->Write([&](Tx& tx) -> absl::Status {
    for (int i = 0; i < 7003; ++i) {
      Patient p;
      p.registry_id = absl::StrFormat("CHUNK-%05d", i);
      p.site_id = w.site.id;
      if (auto st = PatientRepository(tx).Insert(p, now_); !st.ok()) return st;
      Enrollment e;
      e.patient_id = p.id;
      e.protocol_id = w.protocol.id;
      e.anchor_date = absl::CivilDay(2026, 3, 1);
      if (auto st = EnrollmentRepository(tx).Insert(e, now_); !st.ok()) return st;
      if (i % 7 != 3) {  // 6,002 of them: two chunks
        enrollments.push_back(e.id);
        expected[e.id] = p.id;
      }
    }
    return absl::OkStatus();
  }));
  ASSERT_OK(db_->Read([&](Tx& tx) -> absl::Status {
    auto got = RequestRepository(tx).PatientsOfEnrollments(enrollments);
    if (!got.ok()) return got.status();
    EXPECT_EQ(got->size(), expected.size());
    for (const auto& [enrollment, patient] : expected) EXPECT_EQ(got->at(enrollment), patient);
    EXPECT_TRUE(RequestRepository(tx).PatientsOfEnrollments({})->empty());
    return absl::OkStatus();
  }));
}

TEST_P(RequestCandidatesTest, CandidatesWithAndWithoutTypesAndTheirBoxes) {
  World w = MakeWorld();
  Sample serum = Insert(w, "TUBE-SER");
  Sample plasma = NewSample(w, "TUBE-PL1");
  plasma.sample_type = "PL1";
  plasma.quantity = *Quantity::FromValue(250, "uL");
  ASSERT_OK(db_->Write([&](Tx& tx) { return SampleRepository(tx).Insert(plasma, now_); }));
  ASSERT_OK(db_->Write([&](Tx& tx) -> absl::Status {
    for (Sample* s : {&serum, &plasma}) {
      s->status = SampleStatus::kStored;
      if (auto st = SampleRepository(tx).Update(*s); !st.ok()) return st;
    }
    return PlacementRepository(tx).Insert({serum.id, w.box.id, 5}, now_);
  }));
  ASSERT_OK(db_->Read([&](Tx& tx) -> absl::Status {
    RequestRepository requests(tx);
    CandidateFilter any{{w.protocol.timepoints[0].id}, {}, {}, /*to_reserve=*/true};
    auto all = requests.FindCandidates(any);
    if (!all.ok()) return all.status();
    EXPECT_EQ(all->rows.size(), 2u);
    for (const CandidateRow& row : all->rows) {
      const std::string& type = all->sample_types.at(static_cast<size_t>(row.sample_type));
      EXPECT_EQ(row.enrollment_id, w.enrollment.id);
      if (row.sample_id == serum.id) {
        EXPECT_EQ(type, "SER");
        EXPECT_EQ(row.box_id, w.box.id);
        EXPECT_EQ(row.quantity, *Quantity::FromValue(4, "mL"));
      } else {
        EXPECT_EQ(row.sample_id, plasma.id);
        EXPECT_EQ(type, "PL1");
        EXPECT_EQ(row.box_id, 0);  // not in a box
        EXPECT_EQ(row.quantity, *Quantity::FromValue(250, "uL"));
      }
    }
    // Types named (and quoted oddly): numbered in the order given; an unknown one matches none.
    // Without a minimum quantity in the criteria, quantities are not read.
    CandidateFilter typed{{w.protocol.timepoints[0].id},
                          {"PL1", "X'Y", "SER"},
                          {w.site.id},
                          false,
                          /*with_quantity=*/false};
    auto some = requests.FindCandidates(typed);
    if (!some.ok()) return some.status();
    EXPECT_EQ(some->rows.size(), 2u);
    for (const CandidateRow& row : some->rows) {
      EXPECT_EQ(row.sample_id, 0);  // a preview does not ask for ids
      EXPECT_TRUE(row.sample_type == 0 || row.sample_type == 2) << row.sample_type;
      EXPECT_EQ(row.quantity, Quantity());
    }
    CandidateFilter elsewhere{{w.protocol.timepoints[0].id}, {"SER"}, {w.site.id + 1000}, false};
    EXPECT_TRUE(requests.FindCandidates(elsewhere)->rows.empty());
    return absl::OkStatus();
  }));
}

INSTANTIATE_TEST_SUITE_P(Sqlite, RequestCandidatesTest, ::testing::Values(Backend::kSqlite));
INSTANTIATE_TEST_SUITE_P(MariaDb, RequestCandidatesTest, ::testing::Values(Backend::kMariaDb));

}  // namespace
}  // namespace lims::db
