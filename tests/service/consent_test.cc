// Patient consent over real gRPC: record, partial and full withdrawal, append-only history, the
// state shown by ResolveBarcode, and refusals that leave the database unchanged.
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpc_status_matchers.h"
#include "lims/db/audit_log.h"
#include "lims/v1/user.grpc.pb.h"
#include "service_fixture.h"

namespace lims::testing {
namespace {

using grpc::StatusCode;

class ConsentTest : public ServiceTest {
 protected:
  static std::string Today() {
    return absl::FormatTime("%Y-%m-%d", absl::Now(), absl::UTCTimeZone());
  }

  grpc::Status Record(std::vector<v1::ConsentScope> scopes, const std::string& signed_on,
                      const std::string& version, v1::RecordConsentResponse* resp,
                      const std::string& token = "") {
    v1::RecordConsentRequest req;
    req.set_patient_id(patient_id_);
    for (auto s : scopes) req.add_scopes(s);
    req.set_signed_on(signed_on);
    req.set_version(version);
    return registry_->RecordConsent(Ctx(token).get(), req, resp);
  }

  grpc::Status Withdraw(std::vector<v1::ConsentScope> scopes, const std::string& on,
                        const std::string& reason, v1::WithdrawConsentResponse* resp,
                        const std::string& token = "") {
    v1::WithdrawConsentRequest req;
    req.set_patient_id(patient_id_);
    for (auto s : scopes) req.add_scopes(s);
    req.set_withdrawn_on(on);
    req.set_reason(reason);
    return registry_->WithdrawConsent(Ctx(token).get(), req, resp);
  }

  v1::PatientConsent Get(const std::string& token = "") {
    v1::GetConsentRequest req;
    req.set_patient_id(patient_id_);
    v1::GetConsentResponse resp;
    grpc::Status s = registry_->GetConsent(Ctx(token).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.consent();
  }

  static std::vector<v1::ConsentScope> Granted(const v1::PatientConsent& c) {
    std::vector<v1::ConsentScope> out;
    for (const auto& g : c.granted()) out.push_back(g.scope());
    return out;
  }

  v1::ResolveBarcodeResponse Resolve(const std::string& barcode) {
    v1::ResolveBarcodeRequest req;
    req.set_barcode(barcode);
    v1::ResolveBarcodeResponse resp;
    grpc::Status s = samples_->ResolveBarcode(Ctx().get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }
};

using Scopes = std::vector<v1::ConsentScope>;

Scopes Shown(const v1::ResolveBarcodeResponse& resolved) {
  Scopes out;
  for (int s : resolved.consent_scopes()) out.push_back(static_cast<v1::ConsentScope>(s));
  return out;
}

TEST_P(ConsentTest, RecordThenPartialThenFullWithdrawal_KeepsTheWholeHistory) {
  Seed();
  const v1::Sample tube = CollectSerum();
  v1::ResolveBarcodeResponse none = Resolve(tube.barcode());
  EXPECT_TRUE(none.consent_scopes().empty());
  EXPECT_FALSE(none.consent_withdrawn());

  v1::RecordConsentResponse recorded;
  LIMS_ASSERT_GRPC_OK(Record({v1::CONSENT_SCOPE_STORAGE, v1::CONSENT_SCOPE_RESEARCH,
                              v1::CONSENT_SCOPE_GENETIC},
                             "2026-01-10", "v2.1", &recorded));
  EXPECT_EQ(recorded.consent().patient_registry_id(), "MATHEC-0042");
  EXPECT_EQ(recorded.consent().as_of(), Today());
  EXPECT_EQ(Granted(recorded.consent()),
            (Scopes{v1::CONSENT_SCOPE_STORAGE, v1::CONSENT_SCOPE_RESEARCH,
                    v1::CONSENT_SCOPE_GENETIC}));
  EXPECT_EQ(recorded.consent().granted(0).since(), "2026-01-10");
  EXPECT_EQ(recorded.consent().granted(0).version(), "v2.1");
  ASSERT_EQ(recorded.consent().history_size(), 3);
  EXPECT_EQ(recorded.consent().history(0).recorded_by(), "admin");

  v1::ResolveBarcodeResponse all = Resolve(tube.barcode());
  EXPECT_EQ(Shown(all),
            (Scopes{v1::CONSENT_SCOPE_STORAGE, v1::CONSENT_SCOPE_RESEARCH,
                    v1::CONSENT_SCOPE_GENETIC}));
  EXPECT_FALSE(all.consent_withdrawn());

  // Partial: genetic research only.
  v1::WithdrawConsentResponse partial;
  LIMS_ASSERT_GRPC_OK(
      Withdraw({v1::CONSENT_SCOPE_GENETIC}, "2026-02-01", "no sequencing", &partial));
  EXPECT_EQ(Granted(partial.consent()),
            (Scopes{v1::CONSENT_SCOPE_STORAGE, v1::CONSENT_SCOPE_RESEARCH}));
  ASSERT_EQ(partial.consent().withdrawn_scopes_size(), 1);
  EXPECT_EQ(partial.consent().withdrawn_scopes(0), v1::CONSENT_SCOPE_GENETIC);
  v1::ResolveBarcodeResponse some = Resolve(tube.barcode());
  EXPECT_EQ(Shown(some),
            (Scopes{v1::CONSENT_SCOPE_STORAGE, v1::CONSENT_SCOPE_RESEARCH}));
  EXPECT_TRUE(some.consent_withdrawn());

  // Full: empty scopes withdraw everything still granted.
  v1::WithdrawConsentResponse full;
  LIMS_ASSERT_GRPC_OK(Withdraw({}, "2026-03-01", "patient left the study", &full));
  EXPECT_TRUE(full.consent().granted().empty());
  EXPECT_EQ(full.consent().withdrawn_scopes_size(), 3);
  v1::ResolveBarcodeResponse gone = Resolve(tube.barcode());
  EXPECT_TRUE(gone.consent_scopes().empty());
  EXPECT_TRUE(gone.consent_withdrawn());

  // Nothing was deleted or changed: 3 grants, 1 + 2 withdrawals, in recording order.
  const v1::PatientConsent c = Get();
  ASSERT_EQ(c.history_size(), 6);
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(c.history(i).withdrawn());
    EXPECT_EQ(c.history(i).effective_on(), "2026-01-10");
    EXPECT_EQ(c.history(i).version(), "v2.1");
  }
  EXPECT_TRUE(c.history(3).withdrawn());
  EXPECT_EQ(c.history(3).scope(), v1::CONSENT_SCOPE_GENETIC);
  EXPECT_EQ(c.history(3).reason(), "no sequencing");
  EXPECT_EQ(c.history(4).scope(), v1::CONSENT_SCOPE_STORAGE);
  EXPECT_EQ(c.history(5).scope(), v1::CONSENT_SCOPE_RESEARCH);
  EXPECT_EQ(c.history(5).effective_on(), "2026-03-01");
  EXPECT_EQ(c.history(5).reason(), "patient left the study");
  EXPECT_EQ(Rows()["consent_events"], 6);

  // The state of any day can be asked for; the history is the same.
  v1::GetConsentRequest past;
  past.set_patient_id(patient_id_);
  past.set_as_of("2026-02-15");
  v1::GetConsentResponse then;
  LIMS_ASSERT_GRPC_OK(registry_->GetConsent(Ctx().get(), past, &then));
  EXPECT_EQ(then.consent().as_of(), "2026-02-15");
  EXPECT_EQ(Granted(then.consent()),
            (Scopes{v1::CONSENT_SCOPE_STORAGE, v1::CONSENT_SCOPE_RESEARCH}));
  EXPECT_EQ(then.consent().history_size(), 6);
  past.set_as_of("2026-01-09");
  LIMS_ASSERT_GRPC_OK(registry_->GetConsent(Ctx().get(), past, &then));
  EXPECT_TRUE(then.consent().granted().empty());
  EXPECT_TRUE(then.consent().withdrawn_scopes().empty());
  past.set_as_of("2026-02-31");
  LIMS_EXPECT_GRPC(registry_->GetConsent(Ctx().get(), past, &then), StatusCode::INVALID_ARGUMENT,
                   "as_of");

  // A new form grants again; the history only grows.
  v1::RecordConsentResponse again;
  LIMS_ASSERT_GRPC_OK(Record({v1::CONSENT_SCOPE_STORAGE}, "2026-04-01", "v3", &again));
  EXPECT_EQ(Granted(again.consent()), (Scopes{v1::CONSENT_SCOPE_STORAGE}));
  EXPECT_EQ(again.consent().history_size(), 7);
}

TEST_P(ConsentTest, EveryChangeIsAuditedOnThePatientWithBeforeAndAfter) {
  Seed();
  v1::RecordConsentResponse recorded;
  LIMS_ASSERT_GRPC_OK(Record({v1::CONSENT_SCOPE_STORAGE}, "2026-01-10", "v1", &recorded));
  v1::WithdrawConsentResponse withdrawn;
  LIMS_ASSERT_GRPC_OK(Withdraw({}, "2026-01-20", "asked by phone", &withdrawn));

  std::vector<db::AuditEvent> events;
  ASSERT_TRUE(db_->Read([&](db::Tx& tx) -> absl::Status {
                   auto listed = db::AuditLog(tx).ListForEntity("patient", "MATHEC-0042");
                   if (!listed.ok()) return listed.status();
                   events = *listed;
                   return absl::OkStatus();
                 }).ok());
  std::vector<db::AuditEvent> consent;
  for (const auto& e : events) {
    if (e.action.rfind("consent.", 0) == 0) consent.push_back(e);
  }
  ASSERT_EQ(consent.size(), 2u);
  EXPECT_EQ(consent[0].action, "consent.recorded");
  EXPECT_NE(consent[0].before_json.find("\"granted\":[]"), std::string::npos)
      << consent[0].before_json;
  EXPECT_NE(consent[0].after_json.find("\"storage\""), std::string::npos) << consent[0].after_json;
  EXPECT_EQ(consent[1].action, "consent.withdrawn");
  EXPECT_EQ(consent[1].reason, "asked by phone");
  EXPECT_NE(consent[1].before_json.find("\"storage\""), std::string::npos);
  EXPECT_NE(consent[1].after_json.find("\"withdrawn\":[\"storage\"]"), std::string::npos)
      << consent[1].after_json;
}

TEST_P(ConsentTest, RefusedCalls_ChangeNothing) {
  Seed();
  v1::RecordConsentResponse recorded;
  LIMS_ASSERT_GRPC_OK(Record({v1::CONSENT_SCOPE_STORAGE, v1::CONSENT_SCOPE_RESEARCH},
                             "2026-01-10", "v1", &recorded));
  const auto before = Rows();

  v1::RecordConsentResponse r;
  LIMS_EXPECT_GRPC(Record({v1::CONSENT_SCOPE_STORAGE}, "2026-02-30", "v1", &r),
                   StatusCode::INVALID_ARGUMENT, "signed_on");
  LIMS_EXPECT_GRPC(Record({v1::CONSENT_SCOPE_STORAGE}, "10/01/2026", "v1", &r),
                   StatusCode::INVALID_ARGUMENT, "signed_on");
  LIMS_EXPECT_GRPC(Record({v1::CONSENT_SCOPE_STORAGE}, "2999-01-01", "v1", &r),
                   StatusCode::INVALID_ARGUMENT, "future");
  LIMS_EXPECT_GRPC(Record({v1::CONSENT_SCOPE_UNSPECIFIED}, "2026-01-10", "v1", &r),
                   StatusCode::INVALID_ARGUMENT, "scope");
  LIMS_EXPECT_GRPC(Record({static_cast<v1::ConsentScope>(42)}, "2026-01-10", "v1", &r),
                   StatusCode::INVALID_ARGUMENT, "scope");
  LIMS_EXPECT_GRPC(Record({}, "2026-01-10", "v1", &r), StatusCode::INVALID_ARGUMENT, "scopes");
  LIMS_EXPECT_GRPC(Record({v1::CONSENT_SCOPE_STORAGE}, "2026-01-10", "", &r),
                   StatusCode::INVALID_ARGUMENT, "version");

  v1::WithdrawConsentResponse w;
  LIMS_EXPECT_GRPC(Withdraw({v1::CONSENT_SCOPE_RESEARCH}, "2026-02-01", "", &w),
                   StatusCode::INVALID_ARGUMENT, "reason");
  LIMS_EXPECT_GRPC(Withdraw({v1::CONSENT_SCOPE_RESEARCH}, "2026-13-01", "r", &w),
                   StatusCode::INVALID_ARGUMENT, "withdrawn_on");
  LIMS_EXPECT_GRPC(Withdraw({v1::CONSENT_SCOPE_GENETIC}, "2026-02-01", "r", &w),
                   StatusCode::FAILED_PRECONDITION, "genetic");
  LIMS_EXPECT_GRPC(Withdraw({}, "2026-01-09", "before signing", &w),
                   StatusCode::FAILED_PRECONDITION, "nothing to withdraw");

  v1::RecordConsentRequest unknown;
  unknown.set_patient_id("999999");
  unknown.add_scopes(v1::CONSENT_SCOPE_STORAGE);
  unknown.set_signed_on("2026-01-10");
  unknown.set_version("v1");
  LIMS_EXPECT_GRPC(registry_->RecordConsent(Ctx().get(), unknown, &r), StatusCode::NOT_FOUND,
                   "999999");

  EXPECT_EQ(Rows(), before);
  EXPECT_EQ(Get().history_size(), 2);
}

TEST_P(ConsentTest, SiteAndRoleRules) {
  Seed();
  {
    v1::CreateSiteRequest req;
    req.set_code("LYO");
    req.set_name("Lyon");
    v1::CreateSiteResponse resp;
    LIMS_ASSERT_GRPC_OK(registry_->CreateSite(Ctx().get(), req, &resp));
  }
  const std::string psl_tech = MakeUser("tech.psl", v1::ROLE_TECHNICIAN, "PSL");
  const std::string lyo_tech = MakeUser("tech.lyo", v1::ROLE_TECHNICIAN, "LYO");
  const std::string psl_coord = MakeUser("coord.psl", v1::ROLE_COORDINATOR, "PSL");
  const std::string lyo_coord = MakeUser("coord.lyo", v1::ROLE_COORDINATOR, "LYO");
  const std::string researcher = MakeUser("res", v1::ROLE_RESEARCHER, "PSL");

  v1::RecordConsentResponse r;
  LIMS_ASSERT_GRPC_OK(Record({v1::CONSENT_SCOPE_STORAGE}, "2026-01-10", "v1", &r, psl_coord));
  EXPECT_EQ(r.consent().history(0).recorded_by(), "coord.psl");
  const auto before = Rows();

  // Technicians read their site's consent but may not change it.
  EXPECT_EQ(Get(psl_tech).granted_size(), 1);
  LIMS_EXPECT_GRPC(Record({v1::CONSENT_SCOPE_RESEARCH}, "2026-01-10", "v1", &r, psl_tech),
                   StatusCode::PERMISSION_DENIED, "RecordConsent");
  v1::GetConsentRequest get;
  get.set_patient_id(patient_id_);
  v1::GetConsentResponse got;
  // Named by the id asked about: another site's registry ids are not shown.
  const grpc::Status refused = registry_->GetConsent(Ctx(lyo_tech).get(), get, &got);
  LIMS_EXPECT_GRPC(refused, StatusCode::PERMISSION_DENIED, "patient " + patient_id_);
  EXPECT_EQ(refused.error_message().find("MATHEC-0042"), std::string::npos);
  LIMS_EXPECT_GRPC(registry_->GetConsent(Ctx(researcher).get(), get, &got),
                   StatusCode::PERMISSION_DENIED, "GetConsent");
  // Another site's coordinator may neither record nor withdraw.
  LIMS_EXPECT_GRPC(Record({v1::CONSENT_SCOPE_RESEARCH}, "2026-01-10", "v1", &r, lyo_coord),
                   StatusCode::PERMISSION_DENIED, "patient " + patient_id_);
  v1::WithdrawConsentResponse w;
  LIMS_EXPECT_GRPC(Withdraw({}, "2026-02-01", "r", &w, lyo_coord), StatusCode::PERMISSION_DENIED,
                   "patient " + patient_id_);
  LIMS_EXPECT_GRPC(Withdraw({}, "2026-02-01", "r", &w, lyo_tech), StatusCode::PERMISSION_DENIED,
                   "WithdrawConsent");
  EXPECT_EQ(Rows(), before);
}

TEST_P(ConsentTest, RetriedRequestId_RecordsOnce) {
  Seed();
  v1::RecordConsentRequest req;
  req.set_patient_id(patient_id_);
  req.add_scopes(v1::CONSENT_SCOPE_RESEARCH);
  req.set_signed_on("2026-01-10");
  req.set_version("v1");
  req.set_request_id("consent-retry-1");
  v1::RecordConsentResponse first, second;
  LIMS_ASSERT_GRPC_OK(registry_->RecordConsent(Ctx().get(), req, &first));
  LIMS_ASSERT_GRPC_OK(registry_->RecordConsent(Ctx().get(), req, &second));
  EXPECT_EQ(second.consent().history_size(), 1);
  EXPECT_EQ(Get().history_size(), 1);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, ConsentTest, ::testing::Values(db::Backend::kSqlite));
INSTANTIATE_TEST_SUITE_P(MariaDb, ConsentTest, ::testing::Values(db::Backend::kMariaDb));

}  // namespace
}  // namespace lims::testing
