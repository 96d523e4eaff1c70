// ShipmentService across two independent installations: the fixture's lims-server (site PSL)
// packs, dispatches and exports; a second lims-server on its own database (site LYO) imports
// the manifest and receives tube by tube. Tampering, refused tubes, partial and repeated
// receipts, discrepancies that block closing, and what the receiver ends up knowing. Signatures
// and trust between the two: manifest_trust_test.cc.
#include <thread>

#include <nlohmann/json.hpp>

#include "lims/v1/audit.grpc.pb.h"
#include "manifest.h"
#include "shipment_fixture.h"

namespace lims::testing {
namespace {

using grpc::StatusCode;

TEST_P(ShipmentTest, AddShipmentItems_RefusesTubesThatMayNotTravelAndAddsNothing) {
  Pack();
  const std::string collected = CollectSerum().barcode();  // never stored
  const auto before = Rows();
  v1::AddShipmentItemsResponse resp;
  LIMS_EXPECT_GRPC(Add({tubes_[0], collected, "7777777777"}, {}, &resp),
                   StatusCode::FAILED_PRECONDITION, collected + " is COLLECTED");
  grpc::Status s = Add({tubes_[0], collected, "7777777777"}, {}, &resp);
  EXPECT_NE(s.error_message().find("7777777777 is not a known tube"), std::string::npos)
      << s.error_message();
  EXPECT_EQ(Rows(), before);
  LIMS_ASSERT_GRPC_OK(Add({tubes_[0]}, {aliquot_box_}, &resp));
  EXPECT_EQ(resp.added_size(), 3);
  LIMS_EXPECT_GRPC(Add({tubes_[0]}, {}, &resp), StatusCode::FAILED_PRECONDITION,
                   "on this shipment already");
  // Another site's technician sees nothing of it.
  CreateSite("LYO", "Lyon");
  const std::string lyon_tech = MakeUser("tech.lyo", v1::ROLE_TECHNICIAN, "LYO");
  v1::GetShipmentRequest get;
  get.set_shipment_id(shipment_id_);
  v1::GetShipmentResponse got;
  LIMS_EXPECT_GRPC(paris_ship_->GetShipment(Ctx(lyon_tech).get(), get, &got),
                   StatusCode::PERMISSION_DENIED, "shipment");
}

TEST_P(ShipmentTest, Dispatch_ShipsEveryTubeFreesItsPositionAndFreezesTheManifest) {
  const v1::ExportManifestResponse exported = Dispatched();
  v1::GetSampleRequest get;
  get.set_barcode(aliquots_[1]);
  v1::GetSampleResponse sample;
  LIMS_ASSERT_GRPC_OK(samples_->GetSample(Ctx().get(), get, &sample));
  EXPECT_EQ(sample.sample().status(), v1::SAMPLE_STATUS_SHIPPED);
  v1::GetBoxContentsRequest box;
  box.set_box_id(aliquot_box_);
  v1::GetBoxContentsResponse contents;
  LIMS_ASSERT_GRPC_OK(storage_->GetBoxContents(Ctx().get(), box, &contents));
  EXPECT_EQ(contents.slots_size(), 0);
  // The manifest cannot change any more.
  v1::AddShipmentItemsResponse resp;
  LIMS_EXPECT_GRPC(Add({CollectSerum().barcode()}, {}, &resp), StatusCode::FAILED_PRECONDITION,
                   "frozen");
  // One CSV line per tube, with where it was packed from.
  EXPECT_EQ(std::count(exported.manifest_csv().begin(), exported.manifest_csv().end(), '\n'), 5);
  EXPECT_NE(exported.manifest_csv().find(aliquots_[1] + ",SER,500 uL,MATHEC-0042,CART-SLE,M3,B-0043,B3"),
            std::string::npos)
      << exported.manifest_csv();
  EXPECT_NE(exported.manifest_json().find("\"digest\""), std::string::npos);
}

TEST_P(ShipmentTest, ImportOnAnotherInstallation_TamperedRefused_TubesArriveWithTheirHistory) {
  const v1::ExportManifestResponse exported = Dispatched();
  const auto lyon_before = lyon_.Rows();
  v1::ImportManifestResponse imported;
  // A changed quantity: refused, nothing created.
  std::string tampered = exported.manifest_json();
  const size_t at = tampered.find("\"quantity_text\":\"500 uL\"");
  ASSERT_NE(at, std::string::npos);
  tampered.replace(at, 24, "\"quantity_text\":\"900 uL\"");
  LIMS_EXPECT_GRPC(Import(tampered, &imported), StatusCode::INVALID_ARGUMENT, "digest");
  LIMS_EXPECT_GRPC(Import("{not json", &imported), StatusCode::INVALID_ARGUMENT, "JSON");
  // A digest proves integrity, not good faith: a resealed manifest with a hostile field is
  // checked like typed input.
  nlohmann::json hostile = nlohmann::json::parse(exported.manifest_json());
  hostile["patients"][0]["registry_id"] = std::string(200, 'X');
  services::SealManifest(hostile, signing_key_);
  LIMS_EXPECT_GRPC(Import(hostile.dump(), &imported), StatusCode::INVALID_ARGUMENT, "registry_id");
  hostile = nlohmann::json::parse(exported.manifest_json());
  hostile["tubes"][0]["barcode"] = "PSL26-000001-0";  // a wrong check character
  services::SealManifest(hostile, signing_key_);
  LIMS_EXPECT_GRPC(Import(hostile.dump(), &imported), StatusCode::INVALID_ARGUMENT, "not a tube code");
  EXPECT_EQ(lyon_.Rows(), lyon_before);
  // Only managers import.
  LIMS_EXPECT_GRPC(Import(exported.manifest_json(), &imported,
                          lyon_.MakeUser("tech.lyo", v1::ROLE_TECHNICIAN)),
                   StatusCode::PERMISSION_DENIED, "ImportManifest");

  // An admin works at every site: which one receives must be said.
  LIMS_EXPECT_GRPC(Import(exported.manifest_json(), &imported, "", ""),
                   StatusCode::INVALID_ARGUMENT, "receiving_site_code is required");
  // A manager of the one receiving site need not say it.
  LIMS_ASSERT_GRPC_OK(Import(exported.manifest_json(), &imported,
                             lyon_.MakeUser("manager.lyo", v1::ROLE_MANAGER), ""));
  EXPECT_EQ(imported.shipment().receiving_site_code(), "LYO");
  EXPECT_EQ(imported.shipment().status(), v1::SHIPMENT_STATUS_IN_TRANSIT);
  EXPECT_EQ(imported.shipment().direction(), v1::SHIPMENT_DIRECTION_INCOMING);
  EXPECT_EQ(imported.shipment().from_site_code(), "PSL");
  EXPECT_EQ(imported.shipment().item_count(), 4);
  EXPECT_EQ(imported.sites_created(), 1);
  EXPECT_EQ(imported.patients_created(), 1);
  EXPECT_EQ(imported.protocols_created(), 1);
  EXPECT_EQ(imported.enrollments_created(), 1);
  LIMS_EXPECT_GRPC(Import(exported.manifest_json(), &imported), StatusCode::ALREADY_EXISTS,
                   "imported before");

  // The receiver knows whose tube it is, when and what: patient, timepoint, lineage, consent.
  v1::ResolveBarcodeRequest resolve;
  resolve.set_barcode(aliquots_[0]);
  v1::ResolveBarcodeResponse resolved;
  LIMS_ASSERT_GRPC_OK(v1::SampleService::NewStub(lyon_.channel)
                          ->ResolveBarcode(lyon_.Ctx().get(), resolve, &resolved));
  EXPECT_EQ(resolved.patient_registry_id(), "MATHEC-0042");
  EXPECT_EQ(resolved.protocol_code(), "CART-SLE");
  EXPECT_EQ(resolved.timepoint_code(), "M3");
  EXPECT_EQ(resolved.sample().status(), v1::SAMPLE_STATUS_SHIPPED);
  EXPECT_EQ(resolved.sample().parent_barcode(), tubes_[0]);
  EXPECT_EQ(resolved.consent_scopes_size(), 2);
}

// A withdrawal takes effect on shipments too: a tube whose patient withdrew consent to research
// is not added to a shipment, and a dispatched manifest naming them is not exported again.
TEST_P(ShipmentTest, Withdrawal_StopsTubesAndManifestsFromLeaving) {
  const v1::ExportManifestResponse exported = Dispatched();
  const std::string spare = CollectSerum().barcode();
  ASSERT_TRUE(Place(spare, box_id_, "C1").ok());
  WithdrawResearchConsent();
  v1::ExportManifestRequest again;
  again.set_shipment_id(shipment_id_);
  v1::ExportManifestResponse refused;
  LIMS_EXPECT_GRPC(paris_ship_->ExportManifest(Ctx().get(), again, &refused),
                   StatusCode::FAILED_PRECONDITION, "withdrew consent to storage or research");
  v1::CreateShipmentRequest create;
  create.set_from_site_code("PSL");
  create.set_destination("Lyon");
  create.set_packaging(v1::PACKAGING_DRY_ICE);
  v1::CreateShipmentResponse created;
  LIMS_ASSERT_GRPC_OK(paris_ship_->CreateShipment(Ctx().get(), create, &created));
  shipment_id_ = created.shipment().id();
  v1::AddShipmentItemsResponse added;
  LIMS_EXPECT_GRPC(Add({spare}, {}, &added), StatusCode::FAILED_PRECONDITION,
                   spare + ": the patient withdrew consent to storage or research");
}

TEST_P(ShipmentTest, Receive_TubeByTube_DiscrepanciesMustBeResolvedBeforeClosing) {
  const v1::ExportManifestResponse exported = Dispatched();
  v1::ImportManifestResponse imported;
  LIMS_ASSERT_GRPC_OK(Import(exported.manifest_json(), &imported));
  const std::string id = imported.shipment().id();
  const int thaws_before = LyonSample(aliquots_[0]).freeze_thaw_count();

  v1::ReceiveShipmentResponse r;
  LIMS_ASSERT_GRPC_OK(Receive(id, {{tubes_[0], v1::ITEM_CONDITION_OK},
                                   {aliquots_[0], v1::ITEM_CONDITION_THAWED},
                                   {"7777777777", v1::ITEM_CONDITION_OK}},
                              &r));
  EXPECT_EQ(r.received_size(), 2);
  EXPECT_EQ(r.missing_size(), 2);
  ASSERT_EQ(r.unexpected_size(), 1);
  EXPECT_EQ(r.unexpected(0).barcode(), "7777777777");
  EXPECT_EQ(r.shipment().status(), v1::SHIPMENT_STATUS_PARTLY_RECEIVED);
  EXPECT_EQ(LyonSample(aliquots_[0]).freeze_thaw_count(), thaws_before + 1);
  EXPECT_EQ(LyonSample(tubes_[0]).status(), v1::SAMPLE_STATUS_RECEIVED);

  // The same tube scanned again (a second bench, a retry): nothing changes.
  const auto before = lyon_.Rows();
  LIMS_ASSERT_GRPC_OK(Receive(id, {{tubes_[0], v1::ITEM_CONDITION_OK}}, &r));
  EXPECT_EQ(r.received_size(), 0);
  ASSERT_EQ(r.already_received_size(), 1);
  EXPECT_EQ(r.already_received(0), tubes_[0]);
  EXPECT_EQ(LyonSample(aliquots_[0]).freeze_thaw_count(), thaws_before + 1);
  // Only the shipment's version moved; no tube, item or audit row more.
  auto after = lyon_.Rows();
  EXPECT_EQ(after["audit_events"], before.at("audit_events"));
  EXPECT_EQ(after["shipment_items"], before.at("shipment_items"));

  // Later: one more tube; the last never comes.
  LIMS_ASSERT_GRPC_OK(Receive(id, {{aliquots_[1], v1::ITEM_CONDITION_DAMAGED}}, &r));
  EXPECT_EQ(r.missing_size(), 1);
  EXPECT_EQ(r.missing(0).barcode(), tubes_[1]);

  v1::CloseShipmentRequest close;
  close.set_shipment_id(id);
  v1::CloseShipmentResponse closed;
  grpc::Status refused = lyon_ship_->CloseShipment(lyon_.Ctx().get(), close, &closed);
  EXPECT_EQ(refused.error_code(), StatusCode::FAILED_PRECONDITION);
  for (const std::string& what : {tubes_[1] + " (missing)", std::string("7777777777 (unexpected)"),
                                  aliquots_[0] + " (thawed)", aliquots_[1] + " (damaged)"}) {
    EXPECT_NE(refused.error_message().find(what), std::string::npos) << refused.error_message();
  }
  for (const std::string& barcode : {tubes_[1], std::string("7777777777"), aliquots_[0], aliquots_[1]}) {
    v1::ResolveDiscrepancyRequest resolve;
    resolve.set_shipment_id(id);
    resolve.set_barcode(barcode);
    v1::ResolveDiscrepancyResponse resolved;
    LIMS_EXPECT_GRPC(lyon_ship_->ResolveDiscrepancy(lyon_.Ctx().get(), resolve, &resolved),
                     StatusCode::INVALID_ARGUMENT, "reason");
    resolve.set_reason("reported to the sending centre, case 2026-117");
    LIMS_ASSERT_GRPC_OK(lyon_ship_->ResolveDiscrepancy(lyon_.Ctx().get(), resolve, &resolved));
  }
  v1::ResolveDiscrepancyRequest fine;
  fine.set_shipment_id(id);
  fine.set_barcode(tubes_[0]);
  fine.set_reason("x");
  v1::ResolveDiscrepancyResponse fine_resp;
  LIMS_EXPECT_GRPC(lyon_ship_->ResolveDiscrepancy(lyon_.Ctx().get(), fine, &fine_resp),
                   StatusCode::FAILED_PRECONDITION, "nothing to resolve");
  LIMS_ASSERT_GRPC_OK(lyon_ship_->CloseShipment(lyon_.Ctx().get(), close, &closed));
  EXPECT_EQ(closed.shipment().status(), v1::SHIPMENT_STATUS_CLOSED);
  EXPECT_EQ(LyonSample(tubes_[1]).status(), v1::SAMPLE_STATUS_MISSING);
  LIMS_EXPECT_GRPC(Receive(id, {{tubes_[1], v1::ITEM_CONDITION_OK}}, &r),
                   StatusCode::FAILED_PRECONDITION, "CLOSED");

  // Received tubes go into the receiver's boxes; both audit chains hold.
  auto storage = v1::StorageService::NewStub(lyon_.channel);
  std::string parent;
  for (auto [kind, name] : {std::pair{v1::STORAGE_KIND_SITE, "LYO"}, {v1::STORAGE_KIND_FREEZER, "F-1"},
                            {v1::STORAGE_KIND_BOX, "L-0001"}}) {
    v1::CreateStorageUnitRequest unit;
    unit.set_parent_id(parent);
    unit.set_kind(kind);
    unit.set_name(name);
    if (kind == v1::STORAGE_KIND_BOX) {
      unit.set_rows(9);
      unit.set_columns(9);
    }
    v1::CreateStorageUnitResponse made;
    LIMS_ASSERT_GRPC_OK(storage->CreateStorageUnit(lyon_.Ctx().get(), unit, &made));
    parent = made.unit().id();
  }
  v1::PlaceSampleRequest place;
  place.set_barcode(tubes_[0]);
  place.set_box_id(parent);
  place.set_position("A1");
  v1::PlaceSampleResponse placed;
  LIMS_ASSERT_GRPC_OK(storage->PlaceSample(lyon_.Ctx().get(), place, &placed));
  for (auto* channel : {&channel_, &lyon_.channel}) {
    auto audit = v1::AuditService::NewStub(*channel);
    v1::VerifyAuditChainRequest verify;
    v1::VerifyAuditChainResponse verified;
    LIMS_ASSERT_GRPC_OK(audit->VerifyAuditChain(
        (channel == &channel_ ? Ctx() : lyon_.Ctx()).get(), verify, &verified));
    EXPECT_TRUE(verified.ok());
  }
}

// Two benches scan the same tubes out of the same box at the same moment: each tube is received
// once, a thawed one counts one freeze-thaw cycle, not two.
TEST_P(ShipmentTest, Receive_TwoBenchesAtOnce_EachTubeReceivedOnce) {
  const v1::ExportManifestResponse exported = Dispatched();
  v1::ImportManifestResponse imported;
  LIMS_ASSERT_GRPC_OK(Import(exported.manifest_json(), &imported));
  const std::string id = imported.shipment().id();
  const int thaws_before = LyonSample(aliquots_[0]).freeze_thaw_count();
  const std::vector<std::pair<std::string, v1::ItemCondition>> scans = {
      {tubes_[0], v1::ITEM_CONDITION_OK},
      {aliquots_[0], v1::ITEM_CONDITION_THAWED},
      {aliquots_[1], v1::ITEM_CONDITION_OK}};
  grpc::Status a, b;
  v1::ReceiveShipmentResponse ra, rb;
  std::thread ta([&] { a = Receive(id, scans, &ra); });
  std::thread tb([&] { b = Receive(id, scans, &rb); });
  ta.join();
  tb.join();
  ASSERT_TRUE(a.ok() || b.ok()) << a.error_message() << " / " << b.error_message();
  for (const grpc::Status& s : {a, b}) {
    if (!s.ok()) {
      EXPECT_EQ(s.error_code(), StatusCode::ABORTED) << s.error_message();
    }
  }
  const int received = (a.ok() ? ra.received_size() : 0) + (b.ok() ? rb.received_size() : 0);
  EXPECT_EQ(received, 3);
  EXPECT_EQ(LyonSample(aliquots_[0]).freeze_thaw_count(), thaws_before + 1);
  v1::GetShipmentRequest get;
  get.set_shipment_id(id);
  v1::GetShipmentResponse got;
  LIMS_ASSERT_GRPC_OK(lyon_ship_->GetShipment(lyon_.Ctx().get(), get, &got));
  EXPECT_EQ(got.items_size(), 4);  // no item twice, none unexpected
}

INSTANTIATE_TEST_SUITE_P(Sqlite, ShipmentTest, ::testing::Values(db::Backend::kSqlite));
INSTANTIATE_TEST_SUITE_P(MariaDb, ShipmentTest, ::testing::Values(db::Backend::kMariaDb));

}  // namespace
}  // namespace lims::testing
