#include "service_fixture.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "lims/db/schema_description.h"
#include "user_operations.h"

namespace lims::testing {

void ServiceTest::SetUp() {
  auto fresh = TestDatabase::Create(GetParam());
  ASSERT_TRUE(fresh.ok()) << fresh.status();
  test_db_ = std::move(*fresh);
  auto db = db::Database::Open(test_db_->url());
  ASSERT_TRUE(db.ok()) << db.status();
  db_ = std::move(*db);
  auto bootstrapped = services::EnsureAdminUser(*db_, [&](const services::FirstAdmin& admin) {
    admin_token_ = admin.token;
    admin_password_ = admin.password;
    return absl::OkStatus();
  });
  ASSERT_TRUE(bootstrapped.ok() && *bootstrapped) << bootstrapped.status();
  services::LimsServer::Options options;
  options.signing_key = signing_key_;
  options.listen = "127.0.0.1:0";
  Configure(options);
  auto server = services::LimsServer::Start(*db_, options);
  ASSERT_TRUE(server.ok()) << server.status();
  server_ = std::move(*server);
  channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                                 grpc::InsecureChannelCredentials());
  registry_ = v1::RegistryService::NewStub(channel_);
  samples_ = v1::SampleService::NewStub(channel_);
  storage_ = v1::StorageService::NewStub(channel_);
}

void ServiceTest::TearDown() {
  if (server_) server_->Shutdown(absl::Seconds(1));
  server_.reset();
  db_.reset();
}

std::unique_ptr<grpc::ClientContext> ServiceTest::Ctx(const std::string& token) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  ctx->AddMetadata("authorization", "Bearer " + (token.empty() ? admin_token_ : token));
  return ctx;
}

std::map<std::string, int64_t> ServiceTest::Rows() {
  if (!db_) return {};  // SetUp failed (and said why); nothing to count
  auto counts = db::CountRows(*db_);
  EXPECT_TRUE(counts.ok()) << counts.status();
  return counts.ok() ? *counts : std::map<std::string, int64_t>();
}

void ServiceTest::Seed() {
  {
    v1::CreateSiteRequest req;
    req.set_code("PSL");
    req.set_name("Paris Saint-Louis");
    v1::CreateSiteResponse resp;
    ASSERT_TRUE(registry_->CreateSite(Ctx().get(), req, &resp).ok());
  }
  {
    v1::CreatePatientRequest req;
    req.set_registry_id("MATHEC-0042");
    req.set_site_code("PSL");
    v1::CreatePatientResponse resp;
    ASSERT_TRUE(registry_->CreatePatient(Ctx().get(), req, &resp).ok());
    patient_id_ = resp.patient().id();
  }
  {
    v1::CreateProtocolRequest req;
    req.set_code("CART-SLE");
    req.set_name("CAR-T in lupus");
    struct Tp { const char* code; int offset, before, after; };
    for (Tp tp : {Tp{"BASELINE", -14, 14, 0}, Tp{"D0", 0, 0, 0}, Tp{"M3", 90, 14, 14}}) {
      v1::Timepoint* t = req.add_timepoints();
      t->set_code(tp.code);
      t->set_offset_days(tp.offset);
      t->set_window_before_days(tp.before);
      t->set_window_after_days(tp.after);
      v1::ExpectedSample* kit = t->add_expected_samples();
      kit->set_sample_type("SER");
      kit->set_count(1);
    }
    v1::CreateProtocolResponse resp;
    grpc::Status s = registry_->CreateProtocol(Ctx().get(), req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  {
    v1::EnrollPatientRequest req;
    req.set_patient_id(patient_id_);
    req.set_protocol_code("CART-SLE");
    req.set_anchor_date("2026-01-15");
    v1::EnrollPatientResponse resp;
    grpc::Status s = registry_->EnrollPatient(Ctx().get(), req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
    enrollment_id_ = resp.enrollment().id();
  }
  std::string parent;
  struct Unit { v1::StorageKind kind; const char* name; int rows, cols; };
  for (Unit u : {Unit{v1::STORAGE_KIND_SITE, "PSL", 0, 0}, Unit{v1::STORAGE_KIND_ROOM, "1", 0, 0},
                 Unit{v1::STORAGE_KIND_FREEZER, "F-01", 0, 0}, Unit{v1::STORAGE_KIND_RACK, "R2", 0, 0},
                 Unit{v1::STORAGE_KIND_BOX, "B-0042", 9, 9}}) {
    v1::CreateStorageUnitRequest req;
    req.set_parent_id(parent);
    req.set_kind(u.kind);
    req.set_name(u.name);
    req.set_rows(u.rows);
    req.set_columns(u.cols);
    v1::CreateStorageUnitResponse resp;
    grpc::Status s = storage_->CreateStorageUnit(Ctx().get(), req, &resp);
    ASSERT_TRUE(s.ok()) << u.name << ": " << s.error_message();
    parent = resp.unit().id();
    if (u.kind == v1::STORAGE_KIND_FREEZER) freezer_id_ = parent;
  }
  box_id_ = parent;
}

void ServiceTest::ConsentToResearch(const std::string& version) {
  v1::RecordConsentRequest consent;
  consent.set_patient_id(patient_id_);
  consent.add_scopes(v1::CONSENT_SCOPE_STORAGE);
  consent.add_scopes(v1::CONSENT_SCOPE_RESEARCH);
  consent.set_signed_on("2026-01-10");
  consent.set_version(version);
  v1::RecordConsentResponse consented;
  grpc::Status s = registry_->RecordConsent(Ctx().get(), consent, &consented);
  ASSERT_TRUE(s.ok()) << s.error_message();
}

void ServiceTest::WithdrawResearchConsent() {
  v1::WithdrawConsentRequest w;
  w.set_patient_id(patient_id_);
  w.add_scopes(v1::CONSENT_SCOPE_RESEARCH);
  w.set_withdrawn_on("2026-12-01");
  w.set_reason("patient's wish");
  v1::WithdrawConsentResponse withdrawn;
  grpc::Status s = registry_->WithdrawConsent(Ctx().get(), w, &withdrawn);
  ASSERT_TRUE(s.ok()) << s.error_message();
}

v1::StorageUnit ServiceTest::CreateUnit(const std::string& parent_id, v1::StorageKind kind,
                                        const std::string& name) {
  v1::CreateStorageUnitRequest req;
  req.set_parent_id(parent_id);
  req.set_kind(kind);
  req.set_name(name);
  if (kind == v1::STORAGE_KIND_BOX) {
    req.set_rows(9);
    req.set_columns(9);
  }
  v1::CreateStorageUnitResponse resp;
  grpc::Status status = storage_->CreateStorageUnit(Ctx().get(), req, &resp);
  EXPECT_TRUE(status.ok()) << name << ": " << status.error_message();
  return resp.unit();
}

std::pair<std::string, std::string> ServiceTest::EnrollAnotherPatient(
    const std::string& registry_id) {
  v1::CreatePatientRequest patient;
  patient.set_registry_id(registry_id);
  patient.set_site_code("PSL");
  v1::CreatePatientResponse created;
  grpc::Status s = registry_->CreatePatient(Ctx().get(), patient, &created);
  EXPECT_TRUE(s.ok()) << s.error_message();
  v1::EnrollPatientRequest enroll;
  enroll.set_patient_id(created.patient().id());
  enroll.set_protocol_code("CART-SLE");
  enroll.set_anchor_date("2026-01-15");
  v1::EnrollPatientResponse enrolled;
  s = registry_->EnrollPatient(Ctx().get(), enroll, &enrolled);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return {created.patient().id(), enrolled.enrollment().id()};
}

std::string ServiceTest::CreateBoxInFreezer(const std::string& name) {
  v1::CreateStorageUnitRequest req;
  req.set_parent_id(freezer_id_);
  req.set_kind(v1::STORAGE_KIND_BOX);
  req.set_name(name);
  req.set_rows(9);
  req.set_columns(9);
  v1::CreateStorageUnitResponse resp;
  grpc::Status s = storage_->CreateStorageUnit(Ctx().get(), req, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return resp.unit().id();
}

void ServiceTest::CreateSite(const std::string& code, const std::string& name) {
  v1::CreateSiteRequest req;
  req.set_code(code);
  req.set_name(name);
  v1::CreateSiteResponse resp;
  grpc::Status s = registry_->CreateSite(Ctx().get(), req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
}

std::string ServiceTest::MakeUser(const std::string& name, v1::Role role,
                                  const std::string& site) {
  auto users = v1::UserService::NewStub(channel_);
  v1::CreateUserRequest req;
  req.set_username(name);
  req.set_role(role);
  req.add_site_codes(site);
  v1::CreateUserResponse resp;
  grpc::Status s = users->CreateUser(Ctx().get(), req, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return resp.token();
}

v1::Sample ServiceTest::CollectSerum(const std::string& preprinted) {
  v1::CollectSampleRequest req;
  req.set_enrollment_id(enrollment_id_);
  req.set_timepoint_code("M3");
  req.set_sample_type("SER");
  req.mutable_quantity()->set_value(4);
  req.mutable_quantity()->set_unit("mL");
  req.mutable_collected_at()->set_seconds(absl::ToUnixSeconds(absl::FromCivil(
      absl::CivilSecond(2026, 4, 16, 9, 30, 0), absl::UTCTimeZone())));  // anchor + 91 days
  req.set_barcode(preprinted);
  v1::CollectSampleResponse resp;
  grpc::Status s = samples_->CollectSample(Ctx().get(), req, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return resp.sample();
}

v1::Sample ServiceTest::Derive(const std::string& parent, int count, double ml_each) {
  v1::DeriveSamplesRequest req;
  req.set_parent_barcode(parent);
  req.set_sample_type("SER");
  req.set_count(count);
  req.mutable_quantity_each()->set_value(ml_each);
  req.mutable_quantity_each()->set_unit("mL");
  v1::DeriveSamplesResponse resp;
  grpc::Status s = samples_->DeriveSamples(Ctx().get(), req, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return resp.parent();
}

grpc::Status ServiceTest::Place(const std::string& barcode, const std::string& box_id,
                                const std::string& position) {
  v1::PlaceSampleRequest req;
  req.set_barcode(barcode);
  req.set_box_id(box_id);
  req.set_position(position);
  v1::PlaceSampleResponse resp;
  return storage_->PlaceSample(Ctx().get(), req, &resp);
}

}  // namespace lims::testing
