// ShipmentTest: two independent installations, Paris (the ServiceTest server, site PSL) packing,
// dispatching and exporting, and Lyon (a second lims-server on its own database, site LYO, which
// trusts Paris's signing key for PSL) importing and receiving. Shared by shipment_test.cc and
// manifest_trust_test.cc.
#ifndef LIMS_TESTS_SERVICE_SHIPMENT_FIXTURE_H_
#define LIMS_TESTS_SERVICE_SHIPMENT_FIXTURE_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "grpc_status_matchers.h"
#include "lims/db/schema_description.h"
#include "lims/v1/shipment.grpc.pb.h"
#include "lims/v1/user.grpc.pb.h"
#include "service_fixture.h"
#include "user_operations.h"

namespace lims::testing {

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
  // A user of LYO made by Lyon's admin; returns its token.
  std::string MakeUser(const std::string& name, v1::Role role) const {
    v1::CreateUserRequest req;
    req.set_username(name);
    req.set_role(role);
    req.add_site_codes("LYO");
    v1::CreateUserResponse made;
    grpc::Status s = v1::UserService::NewStub(channel)->CreateUser(Ctx().get(), req, &made);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return made.token();
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
    if (HasFatalFailure()) return;  // no database: the failure says why
    auto fresh = TestDatabase::Create(GetParam());
    ASSERT_TRUE(fresh.ok()) << fresh.status();
    lyon_.test_db = std::move(*fresh);
    auto db = db::Database::Open(lyon_.test_db->url());
    ASSERT_TRUE(db.ok()) << db.status();
    lyon_.db = std::move(*db);
    auto admin = services::EnsureAdminUser(*lyon_.db, [&](const services::FirstAdmin& first) {
      lyon_.admin_token = first.token;
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

}  // namespace lims::testing

#endif  // LIMS_TESTS_SERVICE_SHIPMENT_FIXTURE_H_
