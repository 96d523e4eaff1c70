// GetCompleteness and ListDueTimepoints over real gRPC: every status for a fixed day, derived
// aliquots not counted, paging, and site scoping.
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "grpc_status_matchers.h"
#include "lims/v1/user.grpc.pb.h"
#include "service_fixture.h"

namespace lims::testing {
namespace {

using grpc::StatusCode;

// Judged on this day throughout.
constexpr char kAsOf[] = "2026-05-01";

class CompletenessTest : public ServiceTest {
 protected:
  // Sites PSL and LYO; protocol CMPL:
  //   BASELINE -14 (14/0) SER×1, D0 0 (0/0) SER×2, D7 7 (2/2) any sample, M3 90 (14/14) SER×1,
  //   M12 365 (30/30) SER×1.
  // MATHEC-0001 (PSL, anchor 2026-01-15): BASELINE complete, D0 partial (1 of 2; 3 aliquots
  //   derived from it do not count), D7 complete (a urine tube), M3 overdue (window closed
  //   04-29), M12 not yet due.
  // MATHEC-0002 (PSL, anchor 2026-02-01): BASELINE, D0, D7 overdue; M3 due (window 04-18 ..
  //   05-16); M12 not yet due.
  // MATHEC-0003 (LYO, anchor 2026-01-15): nothing collected.
  void SetUpWorld() {
    for (const char* code : {"PSL", "LYO"}) {
      v1::CreateSiteRequest req;
      req.set_code(code);
      req.set_name(std::string("Site ") + code);
      v1::CreateSiteResponse resp;
      LIMS_ASSERT_GRPC_OK(registry_->CreateSite(Ctx().get(), req, &resp));
    }
    v1::CreateProtocolRequest req;
    req.set_code("CMPL");
    req.set_name("Completeness test protocol");
    struct Tp { const char* code; int offset, before, after, serum; };
    for (Tp tp : {Tp{"BASELINE", -14, 14, 0, 1}, Tp{"D0", 0, 0, 0, 2}, Tp{"D7", 7, 2, 2, 0},
                  Tp{"M3", 90, 14, 14, 1}, Tp{"M12", 365, 30, 30, 1}}) {
      v1::Timepoint* t = req.add_timepoints();
      t->set_code(tp.code);
      t->set_offset_days(tp.offset);
      t->set_window_before_days(tp.before);
      t->set_window_after_days(tp.after);
      if (tp.serum > 0) {
        v1::ExpectedSample* kit = t->add_expected_samples();
        kit->set_sample_type("SER");
        kit->set_count(tp.serum);
      }
    }
    v1::CreateProtocolResponse resp;
    LIMS_ASSERT_GRPC_OK(registry_->CreateProtocol(Ctx().get(), req, &resp));

    const std::string e1 = Enroll("MATHEC-0001", "PSL", "2026-01-15");
    const std::string e2 = Enroll("MATHEC-0002", "PSL", "2026-02-01");
    Enroll("MATHEC-0003", "LYO", "2026-01-15");
    Collect(e1, "BASELINE", "SER", absl::CivilDay(2025, 12, 30));
    const std::string d0 = Collect(e1, "D0", "SER", absl::CivilDay(2026, 1, 15));
    Derive(d0, 3, 0.5);
    Collect(e1, "D7", "URN", absl::CivilDay(2026, 1, 22));
    (void)e2;
  }

  std::string Enroll(const std::string& registry_id, const std::string& site,
                     const std::string& anchor) {
    v1::CreatePatientRequest preq;
    preq.set_registry_id(registry_id);
    preq.set_site_code(site);
    v1::CreatePatientResponse presp;
    EXPECT_TRUE(registry_->CreatePatient(Ctx().get(), preq, &presp).ok());
    v1::EnrollPatientRequest req;
    req.set_patient_id(presp.patient().id());
    req.set_protocol_code("CMPL");
    req.set_anchor_date(anchor);
    v1::EnrollPatientResponse resp;
    grpc::Status s = registry_->EnrollPatient(Ctx().get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.enrollment().id();
  }

  std::string Collect(const std::string& enrollment, const std::string& timepoint,
                      const std::string& type, absl::CivilDay day) {
    v1::CollectSampleRequest req;
    req.set_enrollment_id(enrollment);
    req.set_timepoint_code(timepoint);
    req.set_sample_type(type);
    req.mutable_quantity()->set_value(4);
    req.mutable_quantity()->set_unit("mL");
    req.mutable_collected_at()->set_seconds(absl::ToUnixSeconds(
        absl::FromCivil(absl::CivilSecond(day.year(), day.month(), day.day(), 9, 0, 0),
                        absl::UTCTimeZone())));
    v1::CollectSampleResponse resp;
    grpc::Status s = samples_->CollectSample(Ctx().get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.sample().barcode();
  }

  grpc::Status Matrix(v1::GetCompletenessResponse* out, const std::string& site = "",
                      const std::string& token = "", int page_size = 0,
                      const std::string& page_token = "") {
    v1::GetCompletenessRequest req;
    req.set_protocol_code("CMPL");
    req.set_site_code(site);
    req.set_as_of(kAsOf);
    req.set_page_size(page_size);
    req.set_page_token(page_token);
    return registry_->GetCompleteness(Ctx(token).get(), req, out);
  }

  static std::vector<std::string> RowIds(const v1::GetCompletenessResponse& m) {
    std::vector<std::string> ids;
    for (const auto& row : m.rows()) ids.push_back(row.patient_registry_id());
    return ids;
  }
};

using Ids = std::vector<std::string>;

TEST_P(CompletenessTest, Matrix_EveryStatusForAFixedDay) {
  SetUpWorld();
  v1::GetCompletenessResponse m;
  LIMS_ASSERT_GRPC_OK(Matrix(&m));
  EXPECT_EQ(m.as_of(), kAsOf);
  ASSERT_EQ(m.timepoint_codes_size(), 5);
  EXPECT_EQ(m.timepoint_codes(0), "BASELINE");
  EXPECT_EQ(m.timepoint_codes(4), "M12");
  ASSERT_EQ(RowIds(m), (Ids{"MATHEC-0001", "MATHEC-0002", "MATHEC-0003"}));

  const v1::CompletenessRow& a = m.rows(0);
  ASSERT_EQ(a.cells_size(), 5);
  EXPECT_EQ(a.site_code(), "PSL");
  EXPECT_EQ(a.anchor_date(), "2026-01-15");
  EXPECT_EQ(a.cells(0).timepoint_code(), "BASELINE");
  EXPECT_EQ(a.cells(0).status(), v1::COMPLETENESS_STATUS_COMPLETE);
  EXPECT_EQ(a.cells(0).due_date(), "2026-01-01");
  // D0 expects two serum tubes; one was collected and three aliquots derived from it.
  EXPECT_EQ(a.cells(1).status(), v1::COMPLETENESS_STATUS_PARTIAL);
  EXPECT_EQ(a.cells(1).expected_count(), 2);
  EXPECT_EQ(a.cells(1).collected_count(), 1);
  // No kit: one primary sample of any type.
  EXPECT_EQ(a.cells(2).status(), v1::COMPLETENESS_STATUS_COMPLETE);
  EXPECT_EQ(a.cells(2).expected_count(), 1);
  EXPECT_EQ(a.cells(2).collected_count(), 1);
  EXPECT_EQ(a.cells(3).status(), v1::COMPLETENESS_STATUS_OVERDUE);
  EXPECT_EQ(a.cells(3).due_date(), "2026-04-15");
  EXPECT_EQ(a.cells(3).window_start(), "2026-04-01");
  EXPECT_EQ(a.cells(3).window_end(), "2026-04-29");
  EXPECT_EQ(a.cells(4).status(), v1::COMPLETENESS_STATUS_NOT_YET_DUE);
  EXPECT_EQ(a.cells(4).due_date(), "2027-01-15");

  const v1::CompletenessRow& b = m.rows(1);
  EXPECT_EQ(b.cells(0).status(), v1::COMPLETENESS_STATUS_OVERDUE);
  EXPECT_EQ(b.cells(1).status(), v1::COMPLETENESS_STATUS_OVERDUE);
  EXPECT_EQ(b.cells(2).status(), v1::COMPLETENESS_STATUS_OVERDUE);
  EXPECT_EQ(b.cells(3).status(), v1::COMPLETENESS_STATUS_DUE);
  EXPECT_EQ(b.cells(3).due_date(), "2026-05-02");
  EXPECT_EQ(b.cells(3).collected_count(), 0);
  EXPECT_EQ(b.cells(4).status(), v1::COMPLETENESS_STATUS_NOT_YET_DUE);
  EXPECT_EQ(m.rows(2).site_code(), "LYO");
}

TEST_P(CompletenessTest, AsOf_MovesTheStatusesAndDefaultsToToday) {
  SetUpWorld();
  v1::GetCompletenessRequest req;
  req.set_protocol_code("CMPL");
  req.set_as_of("2026-04-29");  // the last day of MATHEC-0001's M3 window
  v1::GetCompletenessResponse m;
  LIMS_ASSERT_GRPC_OK(registry_->GetCompleteness(Ctx().get(), req, &m));
  EXPECT_EQ(m.rows(0).cells(3).status(), v1::COMPLETENESS_STATUS_DUE);
  req.set_as_of("2026-03-31");  // the day before it opens
  LIMS_ASSERT_GRPC_OK(registry_->GetCompleteness(Ctx().get(), req, &m));
  EXPECT_EQ(m.rows(0).cells(3).status(), v1::COMPLETENESS_STATUS_NOT_YET_DUE);
  req.clear_as_of();
  LIMS_ASSERT_GRPC_OK(registry_->GetCompleteness(Ctx().get(), req, &m));
  EXPECT_EQ(m.as_of(), absl::FormatCivilTime(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone())));
  req.set_as_of("2026-02-30");
  LIMS_EXPECT_GRPC(registry_->GetCompleteness(Ctx().get(), req, &m),
                   StatusCode::INVALID_ARGUMENT, "as_of");
  req.set_as_of(kAsOf);
  req.set_protocol_code("NOPE");
  LIMS_EXPECT_GRPC(registry_->GetCompleteness(Ctx().get(), req, &m), StatusCode::NOT_FOUND,
                   "NOPE");
}

TEST_P(CompletenessTest, Paging_ThroughPatients) {
  SetUpWorld();
  Ids seen;
  std::string token;
  int pages = 0;
  do {
    v1::GetCompletenessResponse m;
    LIMS_ASSERT_GRPC_OK(Matrix(&m, "", "", 2, token));
    EXPECT_LE(m.rows_size(), 2);
    EXPECT_EQ(m.timepoint_codes_size(), 5);
    for (const auto& id : RowIds(m)) seen.push_back(id);
    token = m.next_page_token();
    ASSERT_LT(++pages, 5);
  } while (!token.empty());
  EXPECT_EQ(seen, (Ids{"MATHEC-0001", "MATHEC-0002", "MATHEC-0003"}));
}

TEST_P(CompletenessTest, SiteScoping_OtherSitesRowsLeftOut) {
  SetUpWorld();
  v1::GetCompletenessResponse m;
  LIMS_ASSERT_GRPC_OK(Matrix(&m, "PSL"));
  EXPECT_EQ(RowIds(m), (Ids{"MATHEC-0001", "MATHEC-0002"}));
  LIMS_ASSERT_GRPC_OK(Matrix(&m, "LYO"));
  EXPECT_EQ(RowIds(m), (Ids{"MATHEC-0003"}));

  for (v1::Role role : {v1::ROLE_COORDINATOR, v1::ROLE_TECHNICIAN, v1::ROLE_MANAGER}) {
    const std::string token = MakeUser("user" + std::to_string(role), role, "LYO");
    LIMS_ASSERT_GRPC_OK(Matrix(&m, "", token));
    EXPECT_EQ(RowIds(m), (Ids{"MATHEC-0003"})) << role;
    LIMS_EXPECT_GRPC(Matrix(&m, "PSL", token), StatusCode::PERMISSION_DENIED, "PSL");
  }
  const std::string researcher = MakeUser("reader", v1::ROLE_RESEARCHER, "PSL");
  LIMS_EXPECT_GRPC(Matrix(&m, "PSL", researcher), StatusCode::PERMISSION_DENIED, "");
}

TEST_P(CompletenessTest, DueTimepoints_WindowsMeetingTheWeekNotComplete) {
  SetUpWorld();
  v1::ListDueTimepointsRequest req;
  req.set_site_code("PSL");
  req.set_from("2026-04-27");
  req.set_to("2026-05-03");
  req.set_as_of(kAsOf);
  v1::ListDueTimepointsResponse due;
  LIMS_ASSERT_GRPC_OK(registry_->ListDueTimepoints(Ctx().get(), req, &due));
  ASSERT_EQ(due.items_size(), 2);
  EXPECT_EQ(due.items(0).patient_registry_id(), "MATHEC-0001");
  EXPECT_EQ(due.items(0).protocol_code(), "CMPL");
  EXPECT_EQ(due.items(0).timepoint_code(), "M3");
  EXPECT_EQ(due.items(0).due_date(), "2026-04-15");
  EXPECT_EQ(due.items(0).window_end(), "2026-04-29");
  EXPECT_EQ(due.items(0).status(), v1::COMPLETENESS_STATUS_OVERDUE);
  EXPECT_EQ(due.items(1).patient_registry_id(), "MATHEC-0002");
  EXPECT_EQ(due.items(1).timepoint_code(), "M3");
  EXPECT_EQ(due.items(1).due_date(), "2026-05-02");
  EXPECT_EQ(due.items(1).window_start(), "2026-04-18");
  EXPECT_EQ(due.items(1).window_end(), "2026-05-16");
  EXPECT_EQ(due.items(1).status(), v1::COMPLETENESS_STATUS_DUE);

  // January to 1 February: MATHEC-0001's D0 is partial (listed), its BASELINE and D7 complete
  // (not listed); MATHEC-0002's D0 is on the last day of the range.
  req.set_from("2026-01-01");
  req.set_to("2026-02-01");
  LIMS_ASSERT_GRPC_OK(registry_->ListDueTimepoints(Ctx().get(), req, &due));
  std::vector<std::string> got;
  for (const auto& item : due.items()) {
    got.push_back(item.patient_registry_id() + "/" + item.timepoint_code());
  }
  EXPECT_EQ(got, (Ids{"MATHEC-0001/D0", "MATHEC-0002/BASELINE", "MATHEC-0002/D0"}));

  const std::string lyon = MakeUser("lyon", v1::ROLE_COORDINATOR, "LYO");
  LIMS_EXPECT_GRPC(registry_->ListDueTimepoints(Ctx(lyon).get(), req, &due),
                   StatusCode::PERMISSION_DENIED, "PSL");
  req.set_to("2025-12-01");
  LIMS_EXPECT_GRPC(registry_->ListDueTimepoints(Ctx().get(), req, &due),
                   StatusCode::INVALID_ARGUMENT, "before");
  req.set_to("2027-06-01");
  LIMS_EXPECT_GRPC(registry_->ListDueTimepoints(Ctx().get(), req, &due),
                   StatusCode::INVALID_ARGUMENT, "366");
  req.set_to("");
  LIMS_EXPECT_GRPC(registry_->ListDueTimepoints(Ctx().get(), req, &due),
                   StatusCode::INVALID_ARGUMENT, "to");
}

INSTANTIATE_TEST_SUITE_P(Sqlite, CompletenessTest, ::testing::Values(db::Backend::kSqlite));
INSTANTIATE_TEST_SUITE_P(MariaDb, CompletenessTest, ::testing::Values(db::Backend::kMariaDb));

}  // namespace
}  // namespace lims::testing
