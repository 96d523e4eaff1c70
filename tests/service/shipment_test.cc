// ShipmentService across two independent installations: the fixture's lims-server (site PSL)
// packs, dispatches and exports; a second lims-server on its own database (site LYO) imports
// the manifest and receives tube by tube. Tampering, refused tubes, partial and repeated
// receipts, discrepancies that block closing, and what the receiver ends up knowing.
#include <thread>

#include "grpc_status_matchers.h"
#include "lims/v1/audit.grpc.pb.h"
#include "lims/v1/shipment.grpc.pb.h"
#include "service_fixture.h"
#include "lims/db/schema_description.h"
#include "manifest.h"
#include "tokens.h"
#include "user_operations.h"

namespace lims::testing {
namespace {

using grpc::StatusCode;

// The receiving installation: its own database and server, and its admin.
struct Receiver {
  std::unique_ptr<TestDatabase> test_db;
  std::unique_ptr<db::Database> db;
  std::unique_ptr<services::LimsServer> server;
  std::shared_ptr<grpc::Channel> channel;
  std::string admin_token;

  std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token = "") const {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    ctx->AddMetadata("authorization", "Bearer " + (token.empty() ? admin_token : token));
    return ctx;
  }
  std::map<std::string, int64_t> Rows() const {
    auto counts = db::CountRows(*db);
    EXPECT_TRUE(counts.ok()) << counts.status();
    return counts.ok() ? *counts : std::map<std::string, int64_t>();
  }
};

class ShipmentTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    auto fresh = TestDatabase::Create(GetParam());
    ASSERT_TRUE(fresh.ok()) << fresh.status();
    lyon_.test_db = std::move(*fresh);
    auto db = db::Database::Open(lyon_.test_db->url());
    ASSERT_TRUE(db.ok()) << db.status();
    lyon_.db = std::move(*db);
    auto admin = services::EnsureAdminUser(*lyon_.db, [&](const std::string& token) {
      lyon_.admin_token = token;
      return absl::OkStatus();
    });
    ASSERT_TRUE(admin.ok()) << admin.status();
    services::LimsServer::Options options;
    options.signing_key = services::SigningKey::Generate();
    options.listen = "127.0.0.1:0";
    auto server = services::LimsServer::Start(*lyon_.db, options);
    ASSERT_TRUE(server.ok()) << server.status();
    lyon_.server = std::move(*server);
    lyon_.channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", lyon_.server->port()),
                                        grpc::InsecureChannelCredentials());
    paris_ship_ = v1::ShipmentService::NewStub(channel_);
    lyon_ship_ = v1::ShipmentService::NewStub(lyon_.channel);
    v1::CreateSiteRequest site;
    site.set_code("LYO");
    site.set_name("Lyon Sud");
    v1::CreateSiteResponse made;
    ASSERT_TRUE(v1::RegistryService::NewStub(lyon_.channel)->CreateSite(lyon_.Ctx().get(), site, &made).ok());
    // Lyon's admin trusts Paris's key for PSL, as read from Paris's `lims trust show`.
    v1::GetSigningKeyResponse paris_key;
    LIMS_ASSERT_GRPC_OK(paris_ship_->GetSigningKey(Ctx().get(), {}, &paris_key));
    ASSERT_EQ(paris_key.fingerprint(), signing_key_.fingerprint());
    LIMS_ASSERT_GRPC_OK(Trust("PSL", paris_key.public_key(), &paris_trusted_));
  }

  grpc::Status Trust(const std::string& site, const std::string& key,
                     v1::AddTrustedKeyResponse* resp, const std::string& token = "") {
    v1::AddTrustedKeyRequest req;
    req.set_site_code(site);
    req.set_public_key(key);
    req.set_reason("fingerprint read over the phone with Paris, 2026-12-04");
    return lyon_ship_->AddTrustedKey(lyon_.Ctx(token).get(), req, resp);
  }
  void TearDown() override {
    if (lyon_.server) lyon_.server->Shutdown(absl::Seconds(1));
    lyon_.server.reset();
    lyon_.db.reset();
    ServiceTest::TearDown();
  }

  std::vector<std::string> Aliquots(const std::string& parent, int count) {
    v1::DeriveSamplesRequest req;
    req.set_parent_barcode(parent);
    req.set_sample_type("SER");
    req.set_count(count);
    req.mutable_quantity_each()->set_value(0.5);
    req.mutable_quantity_each()->set_unit("mL");
    v1::DeriveSamplesResponse resp;
    EXPECT_TRUE(samples_->DeriveSamples(Ctx().get(), req, &resp).ok());
    std::vector<std::string> out;
    for (const auto& s : resp.samples()) out.push_back(s.barcode());
    return out;
  }

  // Paris packs: two loose serum tubes (one checked out) and a box of two aliquots of the first.
  void Pack() {
    Seed();
    ConsentToResearch("v2.1");
    tubes_ = {CollectSerum().barcode(), CollectSerum().barcode()};
    aliquots_ = Aliquots(tubes_[0], 2);
    ASSERT_EQ(aliquots_.size(), 2u);
    ASSERT_TRUE(Place(tubes_[0], box_id_, "A1").ok());
    ASSERT_TRUE(Place(tubes_[1], box_id_, "A2").ok());
    v1::RetrieveSampleRequest out;
    out.set_barcode(tubes_[1]);
    out.set_reason("thaw check");
    v1::RetrieveSampleResponse out_resp;
    ASSERT_TRUE(storage_->RetrieveSample(Ctx().get(), out, &out_resp).ok());
    aliquot_box_ = CreateBoxInFreezer("B-0043");
    ASSERT_TRUE(Place(aliquots_[0], aliquot_box_, "A1").ok());
    ASSERT_TRUE(Place(aliquots_[1], aliquot_box_, "B3").ok());

    v1::CreateShipmentRequest create;
    create.set_from_site_code("PSL");
    create.set_destination("Lyon Sud biobank, 69495 Pierre-Bénite");
    create.set_packaging(v1::PACKAGING_DRY_ICE);
    create.set_courier("World Courier");
    create.set_tracking_number("WC-123456");
    create.set_logger_id("LOG-77");
    v1::CreateShipmentResponse created;
    ASSERT_TRUE(paris_ship_->CreateShipment(Ctx().get(), create, &created).ok());
    shipment_id_ = created.shipment().id();
    EXPECT_EQ(created.shipment().status(), v1::SHIPMENT_STATUS_DRAFT);
  }

  grpc::Status Add(const std::vector<std::string>& barcodes, const std::vector<std::string>& boxes,
                   v1::AddShipmentItemsResponse* resp) {
    v1::AddShipmentItemsRequest req;
    req.set_shipment_id(shipment_id_);
    for (const auto& b : barcodes) req.add_barcodes(b);
    for (const auto& b : boxes) req.add_box_ids(b);
    return paris_ship_->AddShipmentItems(Ctx().get(), req, resp);
  }

  // Packed, dispatched and exported.
  v1::ExportManifestResponse Dispatched() {
    Pack();
    v1::AddShipmentItemsResponse added;
    EXPECT_TRUE(Add(tubes_, {aliquot_box_}, &added).ok());
    v1::DispatchShipmentRequest dispatch;
    dispatch.set_shipment_id(shipment_id_);
    v1::DispatchShipmentResponse dispatched;
    EXPECT_TRUE(paris_ship_->DispatchShipment(Ctx().get(), dispatch, &dispatched).ok());
    v1::ExportManifestRequest req;
    req.set_shipment_id(shipment_id_);
    v1::ExportManifestResponse exported;
    EXPECT_TRUE(paris_ship_->ExportManifest(Ctx().get(), req, &exported).ok());
    return exported;
  }

  grpc::Status Import(const std::string& manifest, v1::ImportManifestResponse* resp,
                      const std::string& token = "", const std::string& site = "LYO") {
    v1::ImportManifestRequest req;
    req.set_manifest_json(manifest);
    req.set_receiving_site_code(site);
    return lyon_ship_->ImportManifest(lyon_.Ctx(token).get(), req, resp);
  }

  grpc::Status Receive(const std::string& id,
                       const std::vector<std::pair<std::string, v1::ItemCondition>>& scans,
                       v1::ReceiveShipmentResponse* resp) {
    v1::ReceiveShipmentRequest req;
    req.set_shipment_id(id);
    for (const auto& [barcode, condition] : scans) {
      v1::ReceivedItem* item = req.add_items();
      item->set_barcode(barcode);
      item->set_condition(condition);
    }
    return lyon_ship_->ReceiveShipment(lyon_.Ctx().get(), req, resp);
  }

  v1::Sample LyonSample(const std::string& barcode) {
    v1::GetSampleRequest req;
    req.set_barcode(barcode);
    v1::GetSampleResponse resp;
    EXPECT_TRUE(v1::SampleService::NewStub(lyon_.channel)->GetSample(lyon_.Ctx().get(), req, &resp).ok());
    return resp.sample();
  }

  Receiver lyon_;
  std::unique_ptr<v1::ShipmentService::Stub> paris_ship_, lyon_ship_;
  v1::AddTrustedKeyResponse paris_trusted_;
  std::vector<std::string> tubes_, aliquots_;
  std::string aliquot_box_, shipment_id_;
};

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
  auto users = v1::UserService::NewStub(lyon_.channel);
  v1::CreateUserRequest tech;
  tech.set_username("tech.lyo");
  tech.set_role(v1::ROLE_TECHNICIAN);
  tech.add_site_codes("LYO");
  v1::CreateUserResponse tech_made;
  LIMS_ASSERT_GRPC_OK(users->CreateUser(lyon_.Ctx().get(), tech, &tech_made));
  LIMS_EXPECT_GRPC(Import(exported.manifest_json(), &imported, tech_made.token()),
                   StatusCode::PERMISSION_DENIED, "ImportManifest");

  // An admin works at every site: which one receives must be said.
  LIMS_EXPECT_GRPC(Import(exported.manifest_json(), &imported, "", ""),
                   StatusCode::INVALID_ARGUMENT, "receiving_site_code is required");
  // A manager of the one receiving site need not say it.
  v1::CreateUserRequest manager = tech;
  manager.set_username("manager.lyo");
  manager.set_role(v1::ROLE_MANAGER);
  v1::CreateUserResponse manager_made;
  LIMS_ASSERT_GRPC_OK(users->CreateUser(lyon_.Ctx().get(), manager, &manager_made));
  LIMS_ASSERT_GRPC_OK(Import(exported.manifest_json(), &imported, manager_made.token(), ""));
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

// The attack from the review: a dispatched manifest edited to grant commercial use and resealed
// (its digest recomputed), by someone without the sending installation's private key.
TEST_P(ShipmentTest, ForgedResealedOrRevokedManifests_RefusedSayingWhichAndNothingChanges) {
  const v1::ExportManifestResponse exported = Dispatched();
  const nlohmann::json original = nlohmann::json::parse(exported.manifest_json());
  ASSERT_TRUE(original.contains("signature"));
  EXPECT_EQ(original["signature"]["fingerprint"], signing_key_.fingerprint());
  const auto before = lyon_.Rows();
  v1::ImportManifestResponse imported;
  auto commercial = [&] {
    nlohmann::json m = original;
    m["patients"][0]["consent"].push_back({{"scope", "commercial"}, {"since", "2026-01-10"}});
    return m;
  };
  auto digest_recomputed = [](nlohmann::json m) {
    m.erase("digest");
    m.erase("signature");
    m["digest"] = services::Sha256Hex(m.dump());
    return m;
  };
  // Digest recomputed, the old signature left on: it does not cover the new content.
  nlohmann::json forged = digest_recomputed(commercial());
  forged["signature"] = original["signature"];
  LIMS_EXPECT_GRPC(Import(forged.dump(), &imported), StatusCode::INVALID_ARGUMENT,
                   "signature does not match its content");
  // Digest recomputed, signature dropped.
  LIMS_EXPECT_GRPC(Import(digest_recomputed(commercial()).dump(), &imported),
                   StatusCode::INVALID_ARGUMENT, "not signed");
  // Signed properly, by a key nobody here trusts.
  nlohmann::json resigned = commercial();
  const services::SigningKey forger = services::SigningKey::Generate();
  services::SealManifest(resigned, forger);
  LIMS_EXPECT_GRPC(Import(resigned.dump(), &imported), StatusCode::INVALID_ARGUMENT,
                   "unknown key (fingerprint " + forger.fingerprint());
  // One byte of the signature changed.
  nlohmann::json flipped = original;
  std::string value = flipped["signature"]["value"];
  value[10] = value[10] == 'A' ? 'B' : 'A';
  flipped["signature"]["value"] = value;
  LIMS_EXPECT_GRPC(Import(flipped.dump(), &imported), StatusCode::INVALID_ARGUMENT,
                   "signature does not match");
  EXPECT_EQ(lyon_.Rows(), before);

  // Only an admin trusts or revokes keys, with a reason; revoking is audited and final.
  auto users = v1::UserService::NewStub(lyon_.channel);
  v1::CreateUserRequest manager;
  manager.set_username("manager.lyo");
  manager.set_role(v1::ROLE_MANAGER);
  manager.add_site_codes("LYO");
  v1::CreateUserResponse manager_made;
  LIMS_ASSERT_GRPC_OK(users->CreateUser(lyon_.Ctx().get(), manager, &manager_made));
  v1::AddTrustedKeyResponse trusted;
  LIMS_EXPECT_GRPC(Trust("PSL", forger.public_key(), &trusted, manager_made.token()),
                   StatusCode::PERMISSION_DENIED, "AddTrustedKey");
  LIMS_EXPECT_GRPC(Trust("PSL", "ed25519:not-a-key", &trusted), StatusCode::INVALID_ARGUMENT,
                   "not an Ed25519 public key");
  LIMS_EXPECT_GRPC(Trust("PSL", paris_trusted_.key().public_key(), &trusted),
                   StatusCode::ALREADY_EXISTS, "trusted for PSL already");
  v1::RevokeTrustedKeyRequest revoke;
  revoke.set_fingerprint(paris_trusted_.key().fingerprint());
  v1::RevokeTrustedKeyResponse revoked;
  LIMS_EXPECT_GRPC(lyon_ship_->RevokeTrustedKey(lyon_.Ctx().get(), revoke, &revoked),
                   StatusCode::INVALID_ARGUMENT, "reason");
  revoke.set_reason("Paris's server was compromised");
  LIMS_ASSERT_GRPC_OK(lyon_ship_->RevokeTrustedKey(lyon_.Ctx().get(), revoke, &revoked));
  ASSERT_EQ(revoked.keys_size(), 1);
  EXPECT_TRUE(revoked.keys(0).revoked());
  LIMS_EXPECT_GRPC(Import(exported.manifest_json(), &imported), StatusCode::INVALID_ARGUMENT,
                   "revoked here on");
  LIMS_EXPECT_GRPC(Trust("PSL", paris_trusted_.key().public_key(), &trusted),
                   StatusCode::FAILED_PRECONDITION, "makes a new one");
  v1::ListTrustedKeysResponse listed;
  LIMS_ASSERT_GRPC_OK(lyon_ship_->ListTrustedKeys(lyon_.Ctx().get(), {}, &listed));
  ASSERT_EQ(listed.keys_size(), 1);
  EXPECT_EQ(listed.keys(0).revoke_reason(), "Paris's server was compromised");
  v1::ListAuditEventsRequest audit;
  audit.set_page_size(500);
  v1::ListAuditEventsResponse events;
  LIMS_ASSERT_GRPC_OK(v1::AuditService::NewStub(lyon_.channel)
                          ->ListAuditEvents(lyon_.Ctx().get(), audit, &events));
  std::set<std::string> actions;
  for (const auto& e : events.events()) actions.insert(e.action());
  EXPECT_TRUE(actions.count("trust.key_added") && actions.count("trust.key_revoked"));
}

// A trusted signer vouches for its own sites only; a registry id known here at another site is
// never merged; what the import creates is audited as the importer's, on the signer's word.
TEST_P(ShipmentTest, Import_CreatesOnlyWhatItsSignerVouchesFor) {
  const v1::ExportManifestResponse exported = Dispatched();
  v1::ImportManifestResponse imported;
  // Signed by Paris's own key, but naming a patient of a site Paris is not trusted for.
  nlohmann::json elsewhere = nlohmann::json::parse(exported.manifest_json());
  elsewhere["patients"][0]["site_code"] = "GRE";
  services::SealManifest(elsewhere, signing_key_);
  const auto before = lyon_.Rows();
  LIMS_EXPECT_GRPC(Import(elsewhere.dump(), &imported), StatusCode::FAILED_PRECONDITION,
                   "patient MATHEC-0042 of site GRE, which its signer is not trusted for");
  nlohmann::json from_lyon = nlohmann::json::parse(exported.manifest_json());
  from_lyon["origin"]["site_code"] = "GRE";
  services::SealManifest(from_lyon, signing_key_);
  LIMS_EXPECT_GRPC(Import(from_lyon.dump(), &imported), StatusCode::FAILED_PRECONDITION,
                   "comes from GRE, but its signer is not trusted for that site");
  EXPECT_EQ(lyon_.Rows(), before);

  // The same registry id registered in Lyon at LYO: another person, or a mistake.
  v1::CreatePatientRequest patient;
  patient.set_registry_id("MATHEC-0042");
  patient.set_site_code("LYO");
  v1::CreatePatientResponse made;
  LIMS_ASSERT_GRPC_OK(v1::RegistryService::NewStub(lyon_.channel)
                          ->CreatePatient(lyon_.Ctx().get(), patient, &made));
  const auto with_patient = lyon_.Rows();
  LIMS_EXPECT_GRPC(Import(exported.manifest_json(), &imported), StatusCode::FAILED_PRECONDITION,
                   "registered here at site LYO, but the manifest says at PSL");
  EXPECT_EQ(lyon_.Rows(), with_patient);
}

TEST_P(ShipmentTest, Import_RecordsConsentAndWhoVouchedInTheAuditTrail) {
  const v1::ExportManifestResponse exported = Dispatched();
  v1::ImportManifestResponse imported;
  LIMS_ASSERT_GRPC_OK(Import(exported.manifest_json(), &imported));
  EXPECT_EQ(imported.signer_fingerprint(), signing_key_.fingerprint());
  EXPECT_EQ(imported.signer_site_code(), "PSL");
  v1::ListAuditEventsRequest audit;
  audit.set_page_size(500);
  v1::ListAuditEventsResponse events;
  LIMS_ASSERT_GRPC_OK(v1::AuditService::NewStub(lyon_.channel)
                          ->ListAuditEvents(lyon_.Ctx().get(), audit, &events));
  std::map<std::string, v1::AuditEvent> by_action;
  for (const auto& e : events.events()) by_action[e.action()] = e;
  for (const char* action : {"site.created", "protocol.created", "patient.created",
                             "consent.imported", "enrollment.created", "sample.expected",
                             "shipment.imported"}) {
    SCOPED_TRACE(action);
    ASSERT_TRUE(by_action.count(action));
    EXPECT_EQ(by_action[action].actor(), "admin");
    EXPECT_NE(by_action[action].reason().find("manifest signed by key " +
                                              signing_key_.fingerprint() + " (trusted for PSL)"),
              std::string::npos)
        << by_action[action].reason();
  }
  EXPECT_NE(by_action["consent.imported"].after_json().find("research"), std::string::npos);
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

// A manifest nesting a million arrays in one field once overflowed the server's stack.
TEST_P(ShipmentTest, Import_DeeplyNestedManifest_RefusedAndTheServerKeepsServing) {
  const std::string deep = "{\"format\": " + std::string(1'000'000, '[') +
                           std::string(1'000'000, ']') + "}";
  v1::ImportManifestResponse imported;
  LIMS_EXPECT_GRPC(Import(deep, &imported), StatusCode::INVALID_ARGUMENT, "nests arrays or objects");
  v1::GetSigningKeyResponse key;
  LIMS_ASSERT_GRPC_OK(lyon_ship_->GetSigningKey(lyon_.Ctx().get(), {}, &key));
  EXPECT_EQ(key.public_key().rfind("ed25519:", 0), 0u);
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
