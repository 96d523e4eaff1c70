// ImportRegistryCsv over real gRPC: every error with its line, all or nothing, dry runs, updates.
#include <chrono>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "grpc_status_matchers.h"
#include "lims/v1/user.grpc.pb.h"
#include "service_fixture.h"

namespace lims::testing {
namespace {

using grpc::StatusCode;

constexpr char kHeader[] = "registry_id,site_code,protocol_code,anchor_date\n";

class RegistryImportTest : public ServiceTest {
 protected:
  v1::ImportRegistryCsvResponse Import(const std::string& csv, bool dry_run = false,
                                       const std::string& token = "") {
    v1::ImportRegistryCsvRequest req;
    req.set_csv(csv);
    req.set_dry_run(dry_run);
    v1::ImportRegistryCsvResponse resp;
    auto ctx = Ctx(token);
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(5));
    grpc::Status s = registry_->ImportRegistryCsv(ctx.get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  // "line N: message" of every error, for readable failures.
  static std::string Errors(const v1::ImportRegistryCsvResponse& resp) {
    std::string out;
    for (const auto& e : resp.errors()) absl::StrAppend(&out, "line ", e.line(), ": ", e.message(), "\n");
    return out;
  }

  static bool HasError(const v1::ImportRegistryCsvResponse& resp, int line,
                       const std::string& fragment) {
    for (const auto& e : resp.errors()) {
      if (e.line() == line && e.message().find(fragment) != std::string::npos) return true;
    }
    return false;
  }

  std::string AnchorOf(const std::string& registry_id, const std::string& protocol = "CART-SLE") {
    v1::GetPatientRequest req;
    req.set_registry_id(registry_id);
    v1::GetPatientResponse resp;
    grpc::Status s = registry_->GetPatient(Ctx().get(), req, &resp);
    if (!s.ok()) return "(" + s.error_message() + ")";
    for (const auto& e : resp.enrollments()) {
      if (e.protocol_code() == protocol) return e.anchor_date();
    }
    return "(not enrolled)";
  }

  void CreateSite(const std::string& code) {
    v1::CreateSiteRequest req;
    req.set_code(code);
    req.set_name("Site " + code);
    v1::CreateSiteResponse resp;
    LIMS_ASSERT_GRPC_OK(registry_->CreateSite(Ctx().get(), req, &resp));
  }
};

TEST_P(RegistryImportTest, NewAndExistingRows_CreatesWhatIsMissingAndCounts) {
  Seed();
  const auto before = Rows();
  auto resp = Import(std::string(kHeader) +
                     "MATHEC-0042,PSL,CART-SLE,2026-01-15\n"  // already there, same anchor
                     "MATHEC-0100,PSL,CART-SLE,2026-03-01\n"
                     "MATHEC-0101,PSL,CART-SLE,2026-03-02\n");
  EXPECT_EQ(resp.error_count(), 0) << Errors(resp);
  EXPECT_EQ(resp.rows_read(), 3);
  EXPECT_EQ(resp.rows_accepted(), 3);
  EXPECT_EQ(resp.patients_created(), 2);
  EXPECT_EQ(resp.enrollments_created(), 2);
  EXPECT_EQ(resp.enrollments_updated(), 0);
  EXPECT_EQ(AnchorOf("MATHEC-0100"), "2026-03-01");
  auto after = Rows();
  EXPECT_EQ(after["patients"], before.at("patients") + 2);
  EXPECT_EQ(after["enrollments"], before.at("enrollments") + 2);
}

TEST_P(RegistryImportTest, EachError_ReportedWithItsLine) {
  Seed();
  auto resp = Import(std::string(kHeader) +
                     "MATHEC-0100,PSL,CART-SLE,2026-03-01\n"   // 2: fine
                     "MATHEC-0101,PSL,CART-SLE,2026-02-30\n"   // 3: bad date
                     "MATHEC-0102,PSL,NOPE,2026-03-01\n"       // 4: unknown protocol
                     "MATHEC-0103,XYZ,CART-SLE,2026-03-01\n"   // 5: unknown site
                     "MATHEC-0100,PSL,CART-SLE,2026-03-05\n"   // 6: duplicate of line 2
                     "bad id!,PSL,CART-SLE,2026-03-01\n"       // 7: registry id format
                     "MATHEC-0104,PSL,CART-SLE\n");            // 8: a field short
  EXPECT_TRUE(HasError(resp, 3, "anchor_date '2026-02-30'")) << Errors(resp);
  EXPECT_TRUE(HasError(resp, 4, "unknown protocol 'NOPE'")) << Errors(resp);
  EXPECT_TRUE(HasError(resp, 5, "unknown site 'XYZ'")) << Errors(resp);
  EXPECT_TRUE(HasError(resp, 6, "duplicate row")) << Errors(resp);
  EXPECT_TRUE(HasError(resp, 6, "line 2")) << Errors(resp);
  EXPECT_TRUE(HasError(resp, 7, "registry_id 'bad id!'")) << Errors(resp);
  EXPECT_TRUE(HasError(resp, 8, "3 fields")) << Errors(resp);
  EXPECT_EQ(resp.error_count(), 6) << Errors(resp);
  EXPECT_EQ(resp.errors_size(), 6);
  EXPECT_EQ(resp.rows_read(), 7);
  EXPECT_EQ(resp.rows_accepted(), 0);
  EXPECT_EQ(resp.patients_created(), 0);
}

TEST_P(RegistryImportTest, MissingColumn_ErrorOnLine1) {
  Seed();
  auto resp = Import("registry_id,site_code,protocol_code\nMATHEC-0100,PSL,CART-SLE\n");
  ASSERT_EQ(resp.errors_size(), 1) << Errors(resp);
  EXPECT_EQ(resp.errors(0).line(), 1);
  EXPECT_NE(resp.errors(0).message().find("missing column anchor_date"), std::string::npos)
      << Errors(resp);
  EXPECT_EQ(resp.rows_accepted(), 0);
  auto empty = Import("");
  ASSERT_EQ(empty.errors_size(), 1);
  EXPECT_EQ(empty.errors(0).line(), 1);
}

TEST_P(RegistryImportTest, BomCrlfQuotedFieldsAndExtraColumns_Accepted) {
  Seed();
  const std::string csv =
      "\xEF\xBB\xBFnote,anchor_date,\"protocol_code\",site_code,registry_id\r\n"
      "\"first, with a comma\",2026-04-01,CART-SLE,PSL,\"MATHEC-0200\"\r\n"
      "\"two\r\nlines \"\"quoted\"\"\",2026-04-02,\"CART-SLE\",PSL,MATHEC-0201\r\n"
      "plain,2026-04-03,CART-SLE,PSL,MATHEC-0202\r\n";
  auto resp = Import(csv);
  EXPECT_EQ(resp.error_count(), 0) << Errors(resp);
  EXPECT_EQ(resp.rows_accepted(), 3);
  EXPECT_EQ(resp.enrollments_created(), 3);
  EXPECT_EQ(AnchorOf("MATHEC-0200"), "2026-04-01");
  EXPECT_EQ(AnchorOf("MATHEC-0201"), "2026-04-02");
  EXPECT_EQ(AnchorOf("MATHEC-0202"), "2026-04-03");

  // Line numbers stay physical after a field spanning two lines.
  auto bad = Import(csv.substr(0, csv.size() - 2) + ",extra\r\n");
  EXPECT_TRUE(HasError(bad, 5, "6 fields")) << Errors(bad);
}

TEST_P(RegistryImportTest, OneBadLine_ChangesNothing) {
  Seed();
  const auto before = Rows();
  auto resp = Import(std::string(kHeader) +
                     "MATHEC-0042,PSL,CART-SLE,2026-02-01\n"  // would move the anchor
                     "MATHEC-0300,PSL,CART-SLE,2026-03-01\n"
                     "MATHEC-0301,PSL,CART-SLE,2026-13-01\n");
  EXPECT_EQ(resp.error_count(), 1) << Errors(resp);
  EXPECT_TRUE(HasError(resp, 4, "anchor_date")) << Errors(resp);
  EXPECT_EQ(Rows(), before);
  EXPECT_EQ(AnchorOf("MATHEC-0042"), "2026-01-15");
}

TEST_P(RegistryImportTest, DryRun_CountsTheSameAndChangesNothing) {
  Seed();
  const std::string csv = std::string(kHeader) +
                          "MATHEC-0042,PSL,CART-SLE,2026-02-01\n"
                          "MATHEC-0400,PSL,CART-SLE,2026-03-01\n";
  const auto before = Rows();
  auto dry = Import(csv, /*dry_run=*/true);
  EXPECT_EQ(dry.error_count(), 0) << Errors(dry);
  EXPECT_TRUE(dry.dry_run());
  EXPECT_EQ(Rows(), before);
  EXPECT_EQ(AnchorOf("MATHEC-0042"), "2026-01-15");
  auto real = Import(csv);
  EXPECT_EQ(dry.rows_accepted(), real.rows_accepted());
  EXPECT_EQ(dry.patients_created(), 1);
  EXPECT_EQ(real.patients_created(), 1);
  EXPECT_EQ(dry.enrollments_created(), real.enrollments_created());
  EXPECT_EQ(dry.enrollments_updated(), 1);
  EXPECT_EQ(real.enrollments_updated(), 1);
}

TEST_P(RegistryImportTest, ReImport_UpdatesTheAnchorDateWithAudit) {
  Seed();
  auto first = Import(std::string(kHeader) + "MATHEC-0500,PSL,CART-SLE,2026-05-01\n");
  EXPECT_EQ(first.enrollments_created(), 1) << Errors(first);
  const int64_t events_before = Rows()["audit_events"];
  auto again = Import(std::string(kHeader) + "MATHEC-0500,PSL,CART-SLE,2026-05-08\n");
  // The move (with before/after) and the import's summary.
  EXPECT_EQ(Rows()["audit_events"], events_before + 2);
  EXPECT_EQ(again.error_count(), 0) << Errors(again);
  EXPECT_EQ(again.patients_created(), 0);
  EXPECT_EQ(again.enrollments_created(), 0);
  EXPECT_EQ(again.enrollments_updated(), 1);
  EXPECT_EQ(AnchorOf("MATHEC-0500"), "2026-05-08");
  auto same = Import(std::string(kHeader) + "MATHEC-0500,PSL,CART-SLE,2026-05-08\n");
  EXPECT_EQ(same.enrollments_updated(), 0);
  EXPECT_EQ(same.rows_accepted(), 1);
}

TEST_P(RegistryImportTest, SiteOfAnotherCoordinator_ErrorOnItsLine) {
  Seed();
  CreateSite("LYO");
  auto users = v1::UserService::NewStub(channel_);
  v1::CreateUserRequest make;
  make.set_username("coord");
  make.set_role(v1::ROLE_COORDINATOR);
  make.add_site_codes("PSL");
  v1::CreateUserResponse made;
  LIMS_ASSERT_GRPC_OK(users->CreateUser(Ctx().get(), make, &made));
  const auto before = Rows();
  auto resp = Import(std::string(kHeader) +
                         "MATHEC-0600,PSL,CART-SLE,2026-05-01\n"
                         "MATHEC-0601,LYO,CART-SLE,2026-05-01\n"
                         "MATHEC-0042,LYO,CART-SLE,2026-05-01\n",
                     false, made.token());
  EXPECT_TRUE(HasError(resp, 3, "you do not work at site LYO")) << Errors(resp);
  EXPECT_TRUE(HasError(resp, 4, "you do not work at site LYO")) << Errors(resp);
  EXPECT_EQ(Rows(), before);

  // A technician may not import at all.
  make.set_username("tech");
  make.set_role(v1::ROLE_TECHNICIAN);
  LIMS_ASSERT_GRPC_OK(users->CreateUser(Ctx().get(), make, &made));
  v1::ImportRegistryCsvRequest req;
  req.set_csv(kHeader);
  v1::ImportRegistryCsvResponse out;
  LIMS_EXPECT_GRPC(registry_->ImportRegistryCsv(Ctx(made.token()).get(), req, &out),
                   StatusCode::PERMISSION_DENIED, "ImportRegistryCsv");
}

TEST_P(RegistryImportTest, PatientAtAnotherSite_Refused) {
  Seed();
  CreateSite("LYO");
  auto resp = Import(std::string(kHeader) + "MATHEC-0042,LYO,CART-SLE,2026-01-15\n"
                                            "MATHEC-0700,PSL,CART-SLE,2026-01-15\n"
                                            "MATHEC-0700,LYO,CART-SLE,2026-01-15\n");
  EXPECT_TRUE(HasError(resp, 2, "registered at site PSL, not LYO")) << Errors(resp);
  EXPECT_TRUE(HasError(resp, 4, "line 3")) << Errors(resp);
}

// The bulk case: a registry's whole list in one file. 100,000 rows on SQLite; MariaDB commits
// the same code path with 5,000 (100k rows there take over two minutes on this machine).
TEST_P(RegistryImportTest, ManyRows_ImportedInOneGo) {
  Seed();
  const int rows = GetParam() == db::Backend::kSqlite ? 100000 : 5000;
  std::string csv = kHeader;
  csv.reserve(rows * 48);
  for (int i = 0; i < rows; ++i) {
    absl::StrAppendFormat(&csv, "BULK-%06d,PSL,CART-SLE,2026-%02d-%02d\r\n", i, 1 + i % 12,
                          1 + i % 28);
  }
  auto resp = Import(csv);
  EXPECT_EQ(resp.error_count(), 0) << Errors(resp);
  EXPECT_EQ(resp.rows_accepted(), rows);
  EXPECT_EQ(resp.patients_created(), rows);
  EXPECT_EQ(resp.enrollments_created(), rows);
  EXPECT_EQ(Rows()["enrollments"], rows + 1);
  EXPECT_EQ(AnchorOf(absl::StrFormat("BULK-%06d", rows - 1)),
            absl::StrFormat("2026-%02d-%02d", 1 + (rows - 1) % 12, 1 + (rows - 1) % 28));
}

INSTANTIATE_TEST_SUITE_P(Sqlite, RegistryImportTest, ::testing::Values(db::Backend::kSqlite));
INSTANTIATE_TEST_SUITE_P(MariaDb, RegistryImportTest, ::testing::Values(db::Backend::kMariaDb));

}  // namespace
}  // namespace lims::testing
