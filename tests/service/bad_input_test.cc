// Every refused call answers the right code with a message that says what to do, and changes
// nothing in the database.
#include "lims/core/check_character.h"
#include "service_fixture.h"
#include "grpc_status_matchers.h"

namespace lims::testing {
namespace {

using grpc::StatusCode;

class BadInputTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    if (HasFatalFailure()) return;
    Seed();
    tube_ = CollectSerum();
    before_ = Rows();
  }
  void TearDown() override {
    EXPECT_EQ(Rows(), before_) << "a refused call changed the database";
    ServiceTest::TearDown();
  }

  grpc::Status Resolve(const std::string& code) {
    v1::ResolveBarcodeRequest req;
    req.set_barcode(code);
    v1::ResolveBarcodeResponse resp;
    return samples_->ResolveBarcode(Ctx().get(), req, &resp);
  }

  grpc::Status Collect(double value, const std::string& unit, const std::string& barcode = "",
                       const std::string& timepoint = "M3",
                       const std::string& enrollment = "") {
    v1::CollectSampleRequest req;
    req.set_enrollment_id(enrollment.empty() ? enrollment_id_ : enrollment);
    req.set_timepoint_code(timepoint);
    req.set_sample_type("SER");
    req.mutable_quantity()->set_value(value);
    req.mutable_quantity()->set_unit(unit);
    req.mutable_collected_at()->set_seconds(1776000000);
    req.set_barcode(barcode);
    v1::CollectSampleResponse resp;
    return samples_->CollectSample(Ctx().get(), req, &resp);
  }

  v1::Sample tube_;
  std::map<std::string, int64_t> before_;
};

TEST_P(BadInputTest, MistypedMintedId_IsRefusedByItsCheckCharacter) {
  // Change one digit of a real id: the check character no longer matches, so it can never
  // resolve to another tube.
  std::string typo = tube_.barcode();
  typo[8] = typo[8] == '9' ? '8' : static_cast<char>(typo[8] + 1);
  LIMS_EXPECT_GRPC(Resolve(typo), StatusCode::INVALID_ARGUMENT, "check character");
}

TEST_P(BadInputTest, MalformedBarcode_IsInvalidArgument) {
  LIMS_EXPECT_GRPC(Resolve(""), StatusCode::INVALID_ARGUMENT, "empty");
  LIMS_EXPECT_GRPC(Resolve("ab"), StatusCode::INVALID_ARGUMENT, "");
  LIMS_EXPECT_GRPC(Resolve(std::string("TUBE\0X01", 8)), StatusCode::INVALID_ARGUMENT, "");
  LIMS_EXPECT_GRPC(Resolve(std::string(200, '7')), StatusCode::INVALID_ARGUMENT, "");
}

TEST_P(BadInputTest, UnknownBarcode_IsNotFound) {
  LIMS_EXPECT_GRPC(Resolve("9999999999"), StatusCode::NOT_FOUND, "9999999999");
}

TEST_P(BadInputTest, UnknownBox_IsNotFound) {
  LIMS_EXPECT_GRPC(Place(tube_.barcode(), "987654", "A1"), StatusCode::NOT_FOUND, "987654");
  LIMS_EXPECT_GRPC(Place(tube_.barcode(), "box-1", "A1"), StatusCode::INVALID_ARGUMENT, "box_id");
}

TEST_P(BadInputTest, PositionOutsideLayout_IsInvalidArgument) {
  LIMS_EXPECT_GRPC(Place(tube_.barcode(), box_id_, "J1"), StatusCode::INVALID_ARGUMENT, "J1");
  LIMS_EXPECT_GRPC(Place(tube_.barcode(), box_id_, "A10"), StatusCode::INVALID_ARGUMENT, "A10");
  LIMS_EXPECT_GRPC(Place(tube_.barcode(), box_id_, "82"), StatusCode::INVALID_ARGUMENT, "82");
  LIMS_EXPECT_GRPC(Place(tube_.barcode(), box_id_, "0"), StatusCode::INVALID_ARGUMENT, "");
}

TEST_P(BadInputTest, PlaceIntoAFreezer_IsRefused) {
  LIMS_EXPECT_GRPC(Place(tube_.barcode(), freezer_id_, "A1"), StatusCode::FAILED_PRECONDITION,
                   "not a box");
}

TEST_P(BadInputTest, ZeroOrNegativeQuantity_IsInvalidArgument) {
  LIMS_EXPECT_GRPC(Collect(0, "mL"), StatusCode::INVALID_ARGUMENT, "quantity");
  LIMS_EXPECT_GRPC(Collect(-1, "mL"), StatusCode::INVALID_ARGUMENT, "quantity");
}

TEST_P(BadInputTest, UnknownUnit_IsInvalidArgument) {
  LIMS_EXPECT_GRPC(Collect(1, "gallons"), StatusCode::INVALID_ARGUMENT, "gallons");
  LIMS_EXPECT_GRPC(Collect(1, ""), StatusCode::INVALID_ARGUMENT, "quantity");
}

TEST_P(BadInputTest, DuplicatePreprintedBarcode_IsAlreadyExists) {
  // The fixture's tube has a minted id; register one pre-printed code, then try it again.
  before_.clear();
  ASSERT_TRUE(Collect(1, "mL", "5500000001").ok());
  before_ = Rows();
  LIMS_EXPECT_GRPC(Collect(1, "mL", "5500000001"), StatusCode::ALREADY_EXISTS, "5500000001");
  // A minted-looking code cannot be pre-printed: those ids belong to the LIMS.
  LIMS_EXPECT_GRPC(Collect(1, "mL", tube_.barcode()), StatusCode::INVALID_ARGUMENT, "");
}

TEST_P(BadInputTest, DerivingMoreThanTheParentHolds_IsFailedPrecondition) {
  v1::DeriveSamplesRequest req;
  req.set_parent_barcode(tube_.barcode());
  req.set_sample_type("SER");
  req.set_count(9);
  req.mutable_quantity_each()->set_value(0.5);
  req.mutable_quantity_each()->set_unit("mL");  // 4.5 mL from a 4 mL tube
  v1::DeriveSamplesResponse resp;
  LIMS_EXPECT_GRPC(samples_->DeriveSamples(Ctx().get(), req, &resp),
                   StatusCode::FAILED_PRECONDITION, tube_.barcode());
  EXPECT_EQ(resp.samples_size(), 0);
}

TEST_P(BadInputTest, UnknownTimepointOrEnrollment_IsRefused) {
  LIMS_EXPECT_GRPC(Collect(1, "mL", "", "M99"), StatusCode::INVALID_ARGUMENT, "M99");
  LIMS_EXPECT_GRPC(Collect(1, "mL", "", "M3", "424242"), StatusCode::NOT_FOUND, "424242");
}

TEST_P(BadInputTest, Duplicates_AreAlreadyExists) {
  v1::CreateSiteRequest site;
  site.set_code("PSL");
  site.set_name("again");
  v1::CreateSiteResponse site_resp;
  LIMS_EXPECT_GRPC(registry_->CreateSite(Ctx().get(), site, &site_resp),
                   StatusCode::ALREADY_EXISTS, "PSL");
  v1::EnrollPatientRequest enroll;
  enroll.set_patient_id(patient_id_);
  enroll.set_protocol_code("CART-SLE");
  enroll.set_anchor_date("2026-02-01");
  v1::EnrollPatientResponse enroll_resp;
  LIMS_EXPECT_GRPC(registry_->EnrollPatient(Ctx().get(), enroll, &enroll_resp),
                   StatusCode::ALREADY_EXISTS, "already enrolled");
}

TEST_P(BadInputTest, BadDatesAndCodes_AreInvalidArgument) {
  v1::EnrollPatientRequest enroll;
  enroll.set_patient_id(patient_id_);
  enroll.set_protocol_code("CART-SLE");
  enroll.set_anchor_date("2026-02-30");
  v1::EnrollPatientResponse enroll_resp;
  LIMS_EXPECT_GRPC(registry_->EnrollPatient(Ctx().get(), enroll, &enroll_resp),
                   StatusCode::INVALID_ARGUMENT, "2026-02-30");
  v1::CreatePatientRequest patient;
  patient.set_registry_id("Jean Dupont; DROP TABLE patients");
  patient.set_site_code("PSL");
  v1::CreatePatientResponse patient_resp;
  LIMS_EXPECT_GRPC(registry_->CreatePatient(Ctx().get(), patient, &patient_resp),
                   StatusCode::INVALID_ARGUMENT, "registry_id");
  patient.set_registry_id("MATHEC-0099");
  patient.set_site_code("XYZ");
  LIMS_EXPECT_GRPC(registry_->CreatePatient(Ctx().get(), patient, &patient_resp),
                   StatusCode::NOT_FOUND, "XYZ");
}

INSTANTIATE_TEST_SUITE_P(Sqlite, BadInputTest, ::testing::Values(db::Backend::kSqlite));
INSTANTIATE_TEST_SUITE_P(MariaDb, BadInputTest, ::testing::Values(db::Backend::kMariaDb));

}  // namespace
}  // namespace lims::testing
