// Cell-therapy products over real gRPC, on SQLite and MariaDB: a CAR-T therapy from the
// patient's apheresis to the infusion, each step checked by its ISBT 128 DIN, a bag of another
// patient refused at receipt and at issue (and both refusals recorded), the two-person check,
// the LN2 canister's numbered slots, and the chain of identity in one call.
#include "absl/strings/str_cat.h"
#include "grpc_status_matchers.h"
#include "lims/core/check_character.h"
#include "lims/v1/label.grpc.pb.h"
#include "lims/v1/product.grpc.pb.h"
#include "lims/v1/sample.grpc.pb.h"
#include "png_barcodes.h"
#include "service_fixture.h"

namespace lims::testing {
namespace {

using grpc::StatusCode;

// "W1234 26 00000N C": a DIN of our facility, printed with its check character.
std::string PrintedDin(int n) {
  const std::string code =
      absl::StrCat("W123426", std::string(6 - std::to_string(n).size(), '0'), n);
  return absl::StrCat(code.substr(0, 5), " ", code.substr(5, 2), " ", code.substr(7), " ",
                      std::string(1, *Mod37_2CheckCharacter(code)));
}

class ProductTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    if (HasFatalFailure()) return;  // no database: the failure says why
    products_ = v1::ProductService::NewStub(channel_);
  }

  v1::RegisterProductRequest Registration(v1::ProductKind kind, const std::string& din,
                                          const std::string& source = "") {
    v1::RegisterProductRequest r;
    r.set_kind(kind);
    r.set_din(din);
    r.set_product_code(kind == v1::PRODUCT_KIND_APHERESIS ? "E0713V00" : "=<S1234V00");
    r.set_patient_id(patient_id_);
    r.set_enrollment_id(enrollment_id_);
    r.set_timepoint_code("D0");
    r.mutable_volume()->set_value(70);
    r.mutable_volume()->set_unit("mL");
    r.set_cell_count(2.5e8);
    r.set_viability_percent(92.5);
    r.set_batch("LOT-7");
    r.set_expires_on("2099-01-01");
    r.set_source_din(source);
    return r;
  }

  v1::Product Register(const v1::RegisterProductRequest& r) {
    v1::RegisterProductResponse resp;
    grpc::Status s = products_->RegisterProduct(Ctx().get(), r, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.product();
  }

  grpc::Status Custody(const std::string& din, v1::CustodyEvent event,
                       v1::RecordCustodyEventResponse* out,
                       const std::function<void(v1::RecordCustodyEventRequest&)>& more = {}) {
    v1::RecordCustodyEventRequest r;
    r.set_din(din);
    r.set_event(event);
    if (more) more(r);
    return products_->RecordCustodyEvent(Ctx().get(), r, out);
  }

  std::unique_ptr<v1::ProductService::Stub> products_;
};

TEST_P(ProductTest, ACarTTherapy_FromApheresisToInfusion_WrongPatientRefusedAndRecorded) {
  Seed();
  // The apheresis: ICCBBA's worked example, typed as printed.
  const v1::Product apheresis =
      Register(Registration(v1::PRODUCT_KIND_APHERESIS, "G1234 98 654321 H"));
  EXPECT_EQ(apheresis.din(), "G123498654321");
  EXPECT_EQ(apheresis.din_printed(), "G1234 98 654321 H");
  EXPECT_EQ(apheresis.status(), v1::PRODUCT_STATUS_COLLECTED);
  ASSERT_EQ(apheresis.coi().rfind("COI-PSL-000001-", 0), 0u) << apheresis.coi();
  v1::RegisterProductResponse refused;
  LIMS_EXPECT_GRPC(
      products_->RegisterProduct(
          Ctx().get(), Registration(v1::PRODUCT_KIND_APHERESIS, "=G12349865432100"), &refused),
      StatusCode::ALREADY_EXISTS, "registered already");
  LIMS_EXPECT_GRPC(
      products_->RegisterProduct(
          Ctx().get(), Registration(v1::PRODUCT_KIND_APHERESIS, "G1234 98 654321 J"), &refused),
      StatusCode::INVALID_ARGUMENT, "mistyped");

  v1::RecordCustodyEventResponse done;
  LIMS_ASSERT_GRPC_OK(Custody(apheresis.din(), v1::CUSTODY_EVENT_SHIPPED_TO_MANUFACTURER, &done,
                              [](auto& r) { r.set_destination("CellFab Leiden"); }));
  EXPECT_EQ(done.product().status(), v1::PRODUCT_STATUS_SHIPPED);

  // Another patient's therapy, and the CAR-T bag made from our patient's apheresis.
  const std::string our_patient = patient_id_, our_enrollment = enrollment_id_;
  std::tie(patient_id_, enrollment_id_) = EnrollAnotherPatient("MATHEC-0099");
  const v1::Product theirs = Register(Registration(v1::PRODUCT_KIND_APHERESIS, PrintedDin(9)));
  EXPECT_NE(theirs.coi(), apheresis.coi());
  patient_id_ = our_patient;
  enrollment_id_ = our_enrollment;
  LIMS_EXPECT_GRPC(
      products_->RegisterProduct(
          Ctx().get(), Registration(v1::PRODUCT_KIND_CAR_T, PrintedDin(2), theirs.din()), &refused),
      StatusCode::FAILED_PRECONDITION, "own patient's material");
  const v1::Product bag =
      Register(Registration(v1::PRODUCT_KIND_CAR_T, PrintedDin(1), "G1234 98 654321 H"));
  EXPECT_EQ(bag.coi(), apheresis.coi()) << "a product carries its source's COI";
  EXPECT_EQ(bag.status(), v1::PRODUCT_STATUS_EXPECTED);
  EXPECT_EQ(bag.source_din(), apheresis.din());

  // Received: the papers say another patient's therapy; refused, recorded, nothing moved on.
  LIMS_EXPECT_GRPC(Custody(bag.din(), v1::CUSTODY_EVENT_RECEIVED, &done,
                           [&](auto& r) { r.set_expected_coi(theirs.coi()); }),
                   StatusCode::FAILED_PRECONDITION, "WRONG BAG");
  LIMS_ASSERT_GRPC_OK(Custody(bag.din(), v1::CUSTODY_EVENT_RECEIVED, &done, [&](auto& r) {
    r.set_expected_coi(apheresis.coi());
    r.set_expected_patient_registry_id("MATHEC-0042");
  }));
  EXPECT_EQ(done.product().status(), v1::PRODUCT_STATUS_RECEIVED);

  // Stored in slot 3 of an LN2 canister; the slot then refuses another bag; a box is no place.
  v1::CreateStorageUnitRequest canister;
  canister.set_parent_id(freezer_id_);
  canister.set_kind(v1::STORAGE_KIND_CANISTER);
  canister.set_name("C-1");
  canister.set_columns(6);  // numbered slots
  v1::CreateStorageUnitResponse made;
  LIMS_ASSERT_GRPC_OK(storage_->CreateStorageUnit(Ctx().get(), canister, &made));
  LIMS_ASSERT_GRPC_OK(Custody(bag.din(), v1::CUSTODY_EVENT_STORED, &done, [&](auto& r) {
    r.set_unit_id(made.unit().id());
    r.set_slot(3);
  }));
  EXPECT_EQ(done.product().slot(), 3);
  v1::GetCapacityRequest capacity_req;
  capacity_req.set_unit_id(freezer_id_);
  v1::GetCapacityResponse capacity;
  LIMS_ASSERT_GRPC_OK(storage_->GetCapacity(Ctx().get(), capacity_req, &capacity));
  bool seen = false;
  for (const auto& row : capacity.rows()) {
    if (row.unit_id() != made.unit().id()) continue;
    seen = true;
    EXPECT_EQ(row.positions(), 6);
    EXPECT_EQ(row.occupied(), 1);
  }
  EXPECT_TRUE(seen) << capacity.DebugString();
  EXPECT_EQ(done.product().unit_path(), made.unit().path());
  LIMS_EXPECT_GRPC(Custody(theirs.din(), v1::CUSTODY_EVENT_STORED, &done,
                           [&](auto& r) {
                             r.set_unit_id(made.unit().id());
                             r.set_slot(3);
                           }),
                   StatusCode::FAILED_PRECONDITION, "holds another bag");
  LIMS_EXPECT_GRPC(Custody(theirs.din(), v1::CUSTODY_EVENT_STORED, &done,
                           [&](auto& r) { r.set_unit_id(box_id_); }),
                   StatusCode::FAILED_PRECONDITION, "canister, cassette or bin");
  v1::ListProductsRequest inventory;
  inventory.set_status(v1::PRODUCT_STATUS_STORED);
  v1::ListProductsResponse stored;
  LIMS_ASSERT_GRPC_OK(products_->ListProducts(Ctx().get(), inventory, &stored));
  ASSERT_EQ(stored.products_size(), 1);
  EXPECT_EQ(stored.products(0).din(), bag.din());

  LIMS_EXPECT_GRPC(Custody(bag.din(), v1::CUSTODY_EVENT_STORED, &done,
                           [&](auto& r) { r.set_unit_id(made.unit().id()); }),
                   StatusCode::INVALID_ARGUMENT, "slots 1..6");
  // Two retention tubes taken from the bag carry its chain of identity.
  v1::DeriveProductSamplesRequest retain;
  retain.set_din(bag.din());
  retain.set_sample_type("CEL");
  retain.set_count(2);
  retain.mutable_quantity_each()->set_value(0.5);
  retain.mutable_quantity_each()->set_unit("mL");
  v1::DeriveProductSamplesResponse retained;
  LIMS_ASSERT_GRPC_OK(products_->DeriveProductSamples(Ctx().get(), retain, &retained));
  ASSERT_EQ(retained.samples_size(), 2);
  v1::ResolveBarcodeRequest resolve;
  resolve.set_barcode(retained.samples(1).barcode());
  v1::ResolveBarcodeResponse resolved;
  LIMS_ASSERT_GRPC_OK(samples_->ResolveBarcode(Ctx().get(), resolve, &resolved));
  EXPECT_EQ(resolved.sample().coi(), apheresis.coi());
  EXPECT_EQ(resolved.sample().product_din(), bag.din());
  EXPECT_EQ(resolved.sample().timepoint_code(), "D0");
  LIMS_ASSERT_GRPC_OK(Custody(bag.din(), v1::CUSTODY_EVENT_THAWED, &done));
  EXPECT_EQ(done.product().unit_id(), "") << "a thawed bag has left the canister";

  // The issue: the other patient's registry id scanned from the prescription is refused.
  v1::IssueProductRequest issue;
  issue.set_din("=W12342600000100");
  issue.set_patient_registry_id("MATHEC-0099");
  v1::IssueProductResponse issued;
  const auto before = Rows();
  LIMS_EXPECT_GRPC(products_->IssueProduct(Ctx().get(), issue, &issued),
                   StatusCode::FAILED_PRECONDITION, "DO NOT INFUSE");
  EXPECT_EQ(Rows()["custody_events"], before.at("custody_events") + 1) << "the refusal is kept";
  issue.set_patient_registry_id("MATHEC-0042");
  LIMS_ASSERT_GRPC_OK(products_->IssueProduct(Ctx().get(), issue, &issued));
  EXPECT_EQ(issued.product().status(), v1::PRODUCT_STATUS_ISSUE_PENDING);
  v1::RecordInfusionRequest infuse;
  infuse.set_din(bag.din());
  v1::RecordInfusionResponse infused;
  LIMS_EXPECT_GRPC(products_->RecordInfusion(Ctx().get(), infuse, &infused),
                   StatusCode::FAILED_PRECONDITION, "second person");
  v1::ConfirmIssueRequest confirm;
  confirm.set_issue_id(issued.issue_id());
  v1::ConfirmIssueResponse confirmed;
  LIMS_EXPECT_GRPC(products_->ConfirmIssue(Ctx().get(), confirm, &confirmed),
                   StatusCode::PERMISSION_DENIED, "second person");
  const std::string nurse = MakeUser("nurse-2", v1::ROLE_TECHNICIAN, "PSL");
  LIMS_ASSERT_GRPC_OK(products_->ConfirmIssue(Ctx(nurse).get(), confirm, &confirmed));
  EXPECT_EQ(confirmed.product().status(), v1::PRODUCT_STATUS_ISSUED);
  LIMS_ASSERT_GRPC_OK(products_->RecordInfusion(Ctx().get(), infuse, &infused));
  EXPECT_EQ(infused.product().status(), v1::PRODUCT_STATUS_INFUSED);
  LIMS_EXPECT_GRPC(Custody(bag.din(), v1::CUSTODY_EVENT_DISCARDED, &done,
                           [](auto& r) { r.set_reason("bag torn"); }),
                   StatusCode::FAILED_PRECONDITION, "infused");

  // The chain of identity, by patient: both materials, every step with who, where and why.
  v1::GetChainOfIdentityRequest chain_req;
  chain_req.set_patient_registry_id("MATHEC-0042");
  v1::GetChainOfIdentityResponse chain;
  LIMS_ASSERT_GRPC_OK(products_->GetChainOfIdentity(Ctx().get(), chain_req, &chain));
  EXPECT_EQ(chain.coi(), apheresis.coi());
  ASSERT_EQ(chain.materials_size(), 2);
  std::vector<v1::CustodyEvent> steps;
  for (const auto& e : chain.events()) steps.push_back(e.event());
  EXPECT_EQ(steps,
            (std::vector<v1::CustodyEvent>{
                v1::CUSTODY_EVENT_COLLECTED, v1::CUSTODY_EVENT_SHIPPED_TO_MANUFACTURER,
                v1::CUSTODY_EVENT_REGISTERED, v1::CUSTODY_EVENT_RECEIPT_REFUSED,
                v1::CUSTODY_EVENT_RECEIVED, v1::CUSTODY_EVENT_STORED, v1::CUSTODY_EVENT_THAWED,
                v1::CUSTODY_EVENT_ISSUE_REFUSED, v1::CUSTODY_EVENT_ISSUED,
                v1::CUSTODY_EVENT_ISSUE_CONFIRMED, v1::CUSTODY_EVENT_INFUSED}));
  EXPECT_EQ(chain.events(1).where(), "to CellFab Leiden");
  EXPECT_NE(chain.events(7).why().find("MATHEC-0099"), std::string::npos);
  EXPECT_EQ(chain.events(9).actor(), "nurse-2");
  EXPECT_EQ(chain.sample_barcodes_size(), 2);
  chain_req.clear_patient_registry_id();
  chain_req.set_din(PrintedDin(1));
  LIMS_ASSERT_GRPC_OK(products_->GetChainOfIdentity(Ctx().get(), chain_req, &chain));
  EXPECT_EQ(chain.coi(), apheresis.coi());
  chain_req.clear_din();
  chain_req.set_coi(theirs.coi());
  LIMS_ASSERT_GRPC_OK(products_->GetChainOfIdentity(Ctx().get(), chain_req, &chain));
  EXPECT_EQ(chain.patient_registry_id(), "MATHEC-0099");
}

// The bag's label: its DIN in ISBT 128's scanned form as Code 128 and DataMatrix, read back
// from the picture, the DIN printed with its check character, the COI.
TEST_P(ProductTest, ABagLabel_CarriesTheDinBothWays_AndTheCoi) {
  Seed();
  auto registration = Registration(v1::PRODUCT_KIND_CAR_T, PrintedDin(3));
  registration.set_expires_on("");
  const v1::Product bag = Register(registration);
  auto labels = v1::LabelService::NewStub(channel_);
  v1::PreviewLabelRequest req;
  req.set_din(bag.din());
  req.set_dpi(300);
  v1::PreviewLabelResponse resp;
  LIMS_ASSERT_GRPC_OK(labels->PreviewLabel(Ctx().get(), req, &resp));
  EXPECT_EQ(resp.template_(), "bag");
  EXPECT_NE(resp.zpl().find(bag.coi()), std::string::npos) << resp.zpl();
  EXPECT_NE(resp.zpl().find(bag.din_printed()), std::string::npos) << resp.zpl();
  const auto [width, height] = PngSize(resp.png());
  // The bar code on the left; the DataMatrix beside it is read back on its own crop by
  // label_render_test (ZXing) and by libdmtx in e2e_cli_products.
  std::set<std::string> codes;
  for (const auto& b : DecodePngRegion(resp.png(), 0, 0, width * 58 / 76, height / 3)) {
    codes.insert(b.format + ":" + b.text);
  }
  EXPECT_EQ(codes, (std::set<std::string>{"Code128:=W12342600000300"}));
  req.set_din("W1234 26 000003 Z");
  LIMS_EXPECT_GRPC(labels->PreviewLabel(Ctx().get(), req, &resp), StatusCode::INVALID_ARGUMENT,
                   "mistyped");
}

TEST_P(ProductTest, AnExpiredBag_IsRefusedAtIssue_AndAResearcherHandlesNoBags) {
  Seed();
  auto r = Registration(v1::PRODUCT_KIND_MSC, PrintedDin(5));
  r.set_expires_on("2020-01-01");
  const v1::Product bag = Register(r);
  v1::RecordCustodyEventResponse done;
  LIMS_ASSERT_GRPC_OK(Custody(bag.din(), v1::CUSTODY_EVENT_RECEIVED, &done));
  v1::IssueProductRequest issue;
  issue.set_din(bag.din());
  issue.set_patient_registry_id("MATHEC-0042");
  v1::IssueProductResponse issued;
  LIMS_EXPECT_GRPC(products_->IssueProduct(Ctx().get(), issue, &issued),
                   StatusCode::FAILED_PRECONDITION, "expired on 2020-01-01");
  EXPECT_TRUE(issued.issue_id().empty());

  const std::string researcher = MakeUser("res-9", v1::ROLE_RESEARCHER, "PSL");
  v1::RegisterProductResponse resp;
  LIMS_EXPECT_GRPC(
      products_->RegisterProduct(Ctx(researcher).get(),
                                 Registration(v1::PRODUCT_KIND_MSC, PrintedDin(6)), &resp),
      StatusCode::PERMISSION_DENIED, "");
  const auto before = Rows();
  for (const char* din : {"", "G123498654321X", "=G1234", "W1234 26 000005 *"}) {
    LIMS_EXPECT_GRPC(Custody(din, v1::CUSTODY_EVENT_THAWED, &done), StatusCode::INVALID_ARGUMENT,
                     "");
  }
  LIMS_EXPECT_GRPC(Custody(bag.din(), v1::CUSTODY_EVENT_INFUSED, &done),
                   StatusCode::INVALID_ARGUMENT, "own calls");
  LIMS_EXPECT_GRPC(Custody(PrintedDin(77), v1::CUSTODY_EVENT_THAWED, &done), StatusCode::NOT_FOUND,
                   "register it first");
  EXPECT_EQ(Rows(), before) << "refused input changes nothing";
}

INSTANTIATE_TEST_SUITE_P(Sqlite, ProductTest, ::testing::Values(db::Backend::kSqlite));
INSTANTIATE_TEST_SUITE_P(MariaDb, ProductTest, ::testing::Values(db::Backend::kMariaDb));

}  // namespace
}  // namespace lims::testing
