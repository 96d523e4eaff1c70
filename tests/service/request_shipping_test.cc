// A picked request onto shipments (RequestService.ShipRequest) over real gRPC on SQLite and
// MariaDB: refused before every tube is picked, for a researcher, without packaging or twice;
// the shipment holds the request's tubes and nothing else; its dispatched manifest names tubes
// and patients by request code only and cannot be imported as an installation's manifest; the
// research labels printed for the tubes carry the request codes and nothing else.
#include <algorithm>
#include <set>
#include <thread>
#include <utility>

#include <nlohmann/json.hpp>

#include "grpc_status_matchers.h"
#include "lims/v1/label.grpc.pb.h"
#include "lims/v1/shipment.grpc.pb.h"
#include "loopback_printer.h"
#include "png_barcodes.h"
#include "request_fixture.h"

namespace lims::testing {
namespace {

using grpc::StatusCode;

class RequestShippingTest : public RequestTest {
 protected:
  void SetUp() override {
    RequestTest::SetUp();
    if (HasFatalFailure()) return;  // no database: the failure says why
    shipments_ = v1::ShipmentService::NewStub(channel_);
    labels_ = v1::LabelService::NewStub(channel_);
  }

  // Every tube of the request picked, in pick-list order.
  void PickAll(const std::string& id) {
    v1::GetPickListRequest req;
    req.set_sample_request_id(id);
    v1::GetPickListResponse list;
    LIMS_ASSERT_GRPC_OK(requests_->GetPickList(Ctx(technician_).get(), req, &list));
    for (const auto& item : list.items()) {
      v1::PickTubeRequest pick;
      pick.set_sample_request_id(id);
      pick.set_barcode(item.barcode());
      v1::PickTubeResponse picked;
      LIMS_ASSERT_GRPC_OK(requests_->PickTube(Ctx(technician_).get(), pick, &picked));
    }
  }

  v1::ShipRequestRequest ShipTo(const std::string& id) {
    v1::ShipRequestRequest req;
    req.set_sample_request_id(id);
    req.set_destination("Immunology lab, Hôpital Saint-Louis, 1 av. Claude Vellefaux, Paris");
    req.set_packaging(v1::PACKAGING_DRY_ICE);
    req.set_courier("World Courier");
    return req;
  }

  // `zebra` as "bench-1", 203 dpi, cryotube stock (registered by the admin).
  grpc::Status RegisterPrinter(const LoopbackPrinter& zebra) {
    v1::RegisterPrinterRequest printer;
    printer.set_name("bench-1");
    printer.set_uri(zebra.uri());
    printer.set_dpi(203);
    printer.set_label_stock("cryotube");
    v1::RegisterPrinterResponse registered;
    return labels_->RegisterPrinter(Ctx().get(), printer, &registered);
  }

  // An ordinary draft from PSL holding `barcodes` (none: empty).
  std::string OrdinaryDraft(const std::vector<std::string>& barcodes) {
    v1::CreateShipmentRequest create;
    create.set_from_site_code("PSL");
    create.set_destination("Lyon Edouard Herriot biobank");
    create.set_packaging(v1::PACKAGING_DRY_ICE);
    v1::CreateShipmentResponse created;
    EXPECT_TRUE(shipments_->CreateShipment(Ctx(manager_).get(), create, &created).ok());
    if (!barcodes.empty()) {
      v1::AddShipmentItemsRequest add;
      add.set_shipment_id(created.shipment().id());
      for (const auto& b : barcodes) add.add_barcodes(b);
      v1::AddShipmentItemsResponse added;
      grpc::Status s = shipments_->AddShipmentItems(Ctx(manager_).get(), add, &added);
      EXPECT_TRUE(s.ok()) << s.error_message();
    }
    return created.shipment().id();
  }

  // A second site, LYS, with a freezer and a 9×9 box; returns the box's id.
  std::string SeedSecondSite() {
    v1::CreateSiteRequest site;
    site.set_code("LYS");
    site.set_name("Lyon Edouard Herriot");
    v1::CreateSiteResponse created;
    EXPECT_TRUE(registry_->CreateSite(Ctx().get(), site, &created).ok());
    std::string parent;
    for (auto [kind, name] : {std::pair{v1::STORAGE_KIND_SITE, "LYS"},
                              std::pair{v1::STORAGE_KIND_FREEZER, "F-L1"},
                              std::pair{v1::STORAGE_KIND_BOX, "B-L1"}}) {
      v1::CreateStorageUnitRequest req;
      req.set_parent_id(parent);
      req.set_kind(kind);
      req.set_name(name);
      req.set_rows(kind == v1::STORAGE_KIND_BOX ? 9 : 0);
      req.set_columns(kind == v1::STORAGE_KIND_BOX ? 9 : 0);
      v1::CreateStorageUnitResponse resp;
      grpc::Status s = storage_->CreateStorageUnit(Ctx().get(), req, &resp);
      EXPECT_TRUE(s.ok()) << name << ": " << s.error_message();
      parent = resp.unit().id();
    }
    return parent;
  }

  std::unique_ptr<v1::ShipmentService::Stub> shipments_;
  std::unique_ptr<v1::LabelService::Stub> labels_;
};

int CountOf(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST_P(RequestShippingTest, PickedRequest_LeavesUnderRequestCodesOnly) {
  Patient("MATHEC-0301", 3, {v1::CONSENT_SCOPE_STORAGE, v1::CONSENT_SCOPE_RESEARCH});
  Patient("MATHEC-0302", 3, {v1::CONSENT_SCOPE_STORAGE, v1::CONSENT_SCOPE_RESEARCH}, "", 10);
  v1::Criteria c = Criteria();
  c.set_allow_last_tube(true);
  const std::string id = Submit(c);
  v1::ApproveRequestResponse approved;
  LIMS_ASSERT_GRPC_OK(Approve(id, &approved));
  const std::string code = approved.sample_request().code();

  // A reserved tube cannot leave on an ordinary shipment: it would go under its barcode.
  const std::string ordinary = OrdinaryDraft({});
  v1::AddShipmentItemsRequest add_reserved;
  add_reserved.set_shipment_id(ordinary);
  add_reserved.add_barcodes(barcodes_["MATHEC-0301"][0]);
  v1::AddShipmentItemsResponse not_added;
  LIMS_EXPECT_GRPC(shipments_->AddShipmentItems(Ctx(manager_).get(), add_reserved, &not_added),
                   StatusCode::FAILED_PRECONDITION, "is held by request " + code);

  v1::ShipRequestResponse shipped;
  auto before = Rows();
  LIMS_EXPECT_GRPC(requests_->ShipRequest(Ctx(manager_).get(), ShipTo(id), &shipped),
                   StatusCode::FAILED_PRECONDITION, "0 of 6 tubes picked");
  EXPECT_EQ(Rows(), before);
  PickAll(id);
  before = Rows();
  LIMS_EXPECT_GRPC(requests_->ShipRequest(Ctx(researcher_).get(), ShipTo(id), &shipped),
                   StatusCode::PERMISSION_DENIED, "ShipRequest");
  v1::ShipRequestRequest unpacked = ShipTo(id);
  unpacked.set_packaging(v1::PACKAGING_UNSPECIFIED);
  LIMS_EXPECT_GRPC(requests_->ShipRequest(Ctx(manager_).get(), unpacked, &shipped),
                   StatusCode::INVALID_ARGUMENT, "packaging is required");
  EXPECT_EQ(Rows(), before);

  LIMS_ASSERT_GRPC_OK(requests_->ShipRequest(Ctx(manager_).get(), ShipTo(id), &shipped));
  EXPECT_EQ(shipped.sample_request().status(), v1::SAMPLE_REQUEST_STATUS_PACKED);
  ASSERT_EQ(shipped.shipments_size(), 1);
  const v1::Shipment& shipment = shipped.shipments(0);
  EXPECT_EQ(shipment.status(), v1::SHIPMENT_STATUS_DRAFT);
  EXPECT_EQ(shipment.item_count(), 6);
  EXPECT_EQ(shipment.sample_request_id(), id);
  EXPECT_EQ(shipment.from_site_code(), "PSL");
  ASSERT_EQ(shipped.sample_request().shipment_ids_size(), 1);
  EXPECT_EQ(shipped.sample_request().shipment_ids(0), shipment.id());
  LIMS_EXPECT_GRPC(requests_->ShipRequest(Ctx(manager_).get(), ShipTo(id), &shipped),
                   StatusCode::FAILED_PRECONDITION, "is on shipment " + shipment.id() + " already");

  // A tube of no request cannot travel on it: it would leave under no code.
  const v1::Sample stranger = CollectSerum();
  ASSERT_TRUE(Place(stranger.barcode(), box_id_, "70").ok());
  v1::AddShipmentItemsRequest add;
  add.set_shipment_id(shipment.id());
  add.add_barcodes(stranger.barcode());
  v1::AddShipmentItemsResponse added;
  LIMS_EXPECT_GRPC(shipments_->AddShipmentItems(Ctx(manager_).get(), add, &added),
                   StatusCode::FAILED_PRECONDITION, stranger.barcode() + " is not a picked tube");

  v1::DispatchShipmentRequest dispatch;
  dispatch.set_shipment_id(shipment.id());
  v1::DispatchShipmentResponse dispatched;
  LIMS_ASSERT_GRPC_OK(shipments_->DispatchShipment(Ctx(manager_).get(), dispatch, &dispatched));
  const v1::GetSampleRequestResponse seen = Get(id, researcher_);
  EXPECT_EQ(seen.sample_request().status(), v1::SAMPLE_REQUEST_STATUS_SHIPPED);

  v1::ExportManifestRequest exp;
  exp.set_shipment_id(shipment.id());
  v1::ExportManifestResponse exported;
  LIMS_ASSERT_GRPC_OK(shipments_->ExportManifest(Ctx(manager_).get(), exp, &exported));
  const nlohmann::json manifest = nlohmann::json::parse(exported.manifest_json());
  EXPECT_EQ(manifest["format"], "lims-research-manifest/1");
  EXPECT_EQ(manifest["request"]["code"], code);
  EXPECT_FALSE(manifest["digest"].get<std::string>().empty());
  // Exactly the codes the researcher sees, and the same patient codes.
  std::set<std::string> seen_codes, manifest_codes, seen_patients, manifest_patients;
  for (const auto& s : seen.samples()) {
    seen_codes.insert(s.request_code());
    seen_patients.insert(s.patient_code());
  }
  ASSERT_EQ(manifest["tubes"].size(), 6u);
  for (const auto& t : manifest["tubes"]) {
    manifest_codes.insert(t["request_code"].get<std::string>());
    manifest_patients.insert(t["patient_code"].get<std::string>());
    EXPECT_EQ(t["sample_type"], "SER");
    EXPECT_EQ(t["timepoint_code"], "M3");
    EXPECT_FALSE(t.contains("barcode") || t.contains("collected_at") ||
                 t.contains("patient_registry_id") || t.contains("packed_position"));
  }
  EXPECT_EQ(manifest_codes, seen_codes);
  EXPECT_EQ(manifest_patients, seen_patients);
  EXPECT_EQ(manifest_patients.size(), 2u);
  // Nothing in either file names a tube or a patient.
  for (const auto& [patient, tubes] : barcodes_) {
    for (const std::string* text : {&exported.manifest_json(), &exported.manifest_csv()}) {
      EXPECT_EQ(text->find(patient), std::string::npos) << patient;
      for (const auto& b : tubes) EXPECT_EQ(text->find(b), std::string::npos) << b;
    }
  }
  EXPECT_EQ(exported.manifest_csv().rfind("request_code,patient_code,protocol_code", 0), 0u);
  EXPECT_EQ(std::count(exported.manifest_csv().begin(), exported.manifest_csv().end(), '\n'), 7);

  // It is for the research team: an installation cannot register tubes from it.
  v1::ImportManifestRequest import;
  import.set_manifest_json(exported.manifest_json());
  import.set_receiving_site_code("PSL");
  v1::ImportManifestResponse imported;
  before = Rows();
  LIMS_EXPECT_GRPC(shipments_->ImportManifest(Ctx(manager_).get(), import, &imported),
                   StatusCode::INVALID_ARGUMENT, "researcher's manifest");
  EXPECT_EQ(Rows(), before);
}

TEST_P(RequestShippingTest, TubeReservedAfterItWasPacked_OrdinaryDispatchRefused) {
  Patient("MATHEC-0601", 3, {v1::CONSENT_SCOPE_STORAGE, v1::CONSENT_SCOPE_RESEARCH});
  const std::string draft = OrdinaryDraft({barcodes_["MATHEC-0601"][0]});
  v1::Criteria c = Criteria();
  c.set_allow_last_tube(true);
  v1::ApproveRequestResponse approved;
  LIMS_ASSERT_GRPC_OK(Approve(Submit(c), &approved));
  ASSERT_EQ(approved.sample_request().reserved_count(), 3);  // the packed tube too: still stored
  v1::DispatchShipmentRequest dispatch;
  dispatch.set_shipment_id(draft);
  v1::DispatchShipmentResponse dispatched;
  const auto before = Rows();
  LIMS_EXPECT_GRPC(shipments_->DispatchShipment(Ctx(manager_).get(), dispatch, &dispatched),
                   StatusCode::FAILED_PRECONDITION,
                   barcodes_["MATHEC-0601"][0] + " is held by request " +
                       approved.sample_request().code());
  EXPECT_EQ(Rows(), before);
}

TEST_P(RequestShippingTest, TubesOfTwoSites_OneShipmentEach_ShippedWhenBothLeft) {
  const std::string lyon_box = SeedSecondSite();
  Patient("MATHEC-0501", 2, {v1::CONSENT_SCOPE_STORAGE, v1::CONSENT_SCOPE_RESEARCH});
  Patient("HCL-0001", 2, {v1::CONSENT_SCOPE_STORAGE, v1::CONSENT_SCOPE_RESEARCH}, lyon_box, 1, "LYS");
  v1::Criteria c = Criteria();
  c.set_allow_last_tube(true);
  const std::string id = Submit(c);
  v1::ApproveRequestResponse approved;
  LIMS_ASSERT_GRPC_OK(Approve(id, &approved, admin_token_));  // an admin reserves at every site
  EXPECT_EQ(approved.sample_request().reserved_count(), 4);
  v1::GetPickListRequest list_req;
  list_req.set_sample_request_id(id);
  v1::GetPickListResponse list;
  LIMS_ASSERT_GRPC_OK(requests_->GetPickList(Ctx().get(), list_req, &list));
  for (const auto& item : list.items()) {
    v1::PickTubeRequest pick;
    pick.set_sample_request_id(id);
    pick.set_barcode(item.barcode());
    v1::PickTubeResponse picked;
    LIMS_ASSERT_GRPC_OK(requests_->PickTube(Ctx().get(), pick, &picked));
  }

  // A Paris technician labels the Paris tubes; Lyon's are labelled in Lyon.
  LoopbackPrinter zebra;
  LIMS_ASSERT_GRPC_OK(RegisterPrinter(zebra));
  v1::PrintLabelsRequest print;
  print.set_printer("bench-1");
  print.set_sample_request_id(id);
  v1::PrintLabelsResponse printed;
  LIMS_ASSERT_GRPC_OK(labels_->PrintLabels(Ctx(technician_).get(), print, &printed));
  EXPECT_EQ(printed.labels_printed(), 2);

  // A manager of Paris cannot send Lyon's tubes: nothing is created.
  v1::ShipRequestResponse shipped;
  const auto before = Rows();
  LIMS_EXPECT_GRPC(requests_->ShipRequest(Ctx(manager_).get(), ShipTo(id), &shipped),
                   StatusCode::PERMISSION_DENIED, "LYS");
  EXPECT_EQ(Rows(), before);
  LIMS_ASSERT_GRPC_OK(requests_->ShipRequest(Ctx().get(), ShipTo(id), &shipped));
  ASSERT_EQ(shipped.shipments_size(), 2);
  std::set<std::string> origins;
  for (const auto& s : shipped.shipments()) {
    origins.insert(s.from_site_code());
    EXPECT_EQ(s.item_count(), 2);
    EXPECT_EQ(s.sample_request_id(), id);
  }
  EXPECT_EQ(origins, (std::set<std::string>{"LYS", "PSL"}));

  v1::DispatchShipmentRequest dispatch;
  v1::DispatchShipmentResponse dispatched;
  dispatch.set_shipment_id(shipped.shipments(0).id());
  LIMS_ASSERT_GRPC_OK(shipments_->DispatchShipment(Ctx().get(), dispatch, &dispatched));
  EXPECT_EQ(Get(id, researcher_).sample_request().status(), v1::SAMPLE_REQUEST_STATUS_PACKED);
  dispatch.set_shipment_id(shipped.shipments(1).id());
  LIMS_ASSERT_GRPC_OK(shipments_->DispatchShipment(Ctx().get(), dispatch, &dispatched));
  EXPECT_EQ(Get(id, researcher_).sample_request().status(), v1::SAMPLE_REQUEST_STATUS_SHIPPED);
}

// A request reserving tubes at two sites: a Paris technician sees, picks and is told about the
// Paris tubes only; Lyon's barcodes and places never reach them.
TEST_P(RequestShippingTest, PickList_ShowsStaffTheirOwnSitesTubesOnly) {
  const std::string lyon_box = SeedSecondSite();
  Patient("MATHEC-0601", 2, {v1::CONSENT_SCOPE_STORAGE, v1::CONSENT_SCOPE_RESEARCH});
  Patient("HCL-0002", 2, {v1::CONSENT_SCOPE_STORAGE, v1::CONSENT_SCOPE_RESEARCH}, lyon_box, 1, "LYS");
  v1::Criteria c = Criteria();
  c.set_allow_last_tube(true);
  const std::string id = Submit(c);
  v1::ApproveRequestResponse approved;
  LIMS_ASSERT_GRPC_OK(Approve(id, &approved, admin_token_));
  ASSERT_EQ(approved.sample_request().reserved_count(), 4);
  const std::vector<std::string>& lyon = barcodes_["HCL-0002"];
  ASSERT_EQ(lyon.size(), 2u);

  v1::GetPickListRequest list_req;
  list_req.set_sample_request_id(id);
  v1::GetPickListResponse list;
  LIMS_ASSERT_GRPC_OK(requests_->GetPickList(Ctx(technician_).get(), list_req, &list));
  ASSERT_EQ(list.items_size(), 2);
  for (const auto& item : list.items()) {
    EXPECT_EQ(std::find(lyon.begin(), lyon.end(), item.barcode()), lyon.end());
    EXPECT_EQ(list.DebugString().find("LYS"), std::string::npos);
  }
  EXPECT_EQ(Get(id, technician_).samples_size(), 2);
  EXPECT_EQ(Get(id, researcher_).samples_size(), 4);  // codes only, the whole request

  // A Lyon tube scanned in Paris: not on this technician's list, and nothing of Lyon named.
  v1::PickTubeRequest pick;
  pick.set_sample_request_id(id);
  pick.set_barcode(lyon[0]);
  v1::PickTubeResponse picked;
  grpc::Status refused = requests_->PickTube(Ctx(technician_).get(), pick, &picked);
  LIMS_EXPECT_GRPC(refused, StatusCode::FAILED_PRECONDITION, "next on the list: ");
  EXPECT_EQ(refused.error_message().find(lyon[1]), std::string::npos) << refused.error_message();
  EXPECT_EQ(refused.error_message().find("B-L1"), std::string::npos) << refused.error_message();
  for (int n = 0; n < 2; ++n) {
    pick.set_barcode(list.items(n).barcode());
    LIMS_ASSERT_GRPC_OK(requests_->PickTube(Ctx(technician_).get(), pick, &picked));
    EXPECT_EQ(picked.remaining(), 1 - n);
  }
  pick.set_barcode(lyon[0]);
  LIMS_EXPECT_GRPC(requests_->PickTube(Ctx(technician_).get(), pick, &picked),
                   StatusCode::FAILED_PRECONDITION, "every tube of your sites is picked");
  // Lyon's tubes are still to be picked there: the request is not picked yet.
  EXPECT_EQ(Get(id, researcher_).sample_request().status(), v1::SAMPLE_REQUEST_STATUS_APPROVED);
  for (const std::string& barcode : lyon) {
    pick.set_barcode(barcode);
    LIMS_ASSERT_GRPC_OK(requests_->PickTube(Ctx().get(), pick, &picked));
  }
  EXPECT_EQ(Get(id, researcher_).sample_request().status(), v1::SAMPLE_REQUEST_STATUS_PICKED);
}

// A tube on an ordinary draft being dispatched while an approval reserves tubes: either the
// approval comes first and the dispatch refuses the now-reserved tube, or the dispatch comes
// first and the approval finds it shipped. Never a tube both shipped and reserved.
TEST_P(RequestShippingTest, Dispatch_RacingAnApproval_NeverShipsAReservedTube) {
  for (int round = 0; round < 6; ++round) {
    SCOPED_TRACE(round);
    const std::string registry_id = "DRACE-" + std::to_string(round);
    Patient(registry_id, 2, {v1::CONSENT_SCOPE_STORAGE, v1::CONSENT_SCOPE_RESEARCH}, "",
            1 + round * 2);
    const std::string tube = barcodes_[registry_id][0];
    const std::string draft = OrdinaryDraft({tube});
    v1::Criteria c = Criteria();
    c.set_allow_last_tube(true);
    const std::string id = Submit(c, "race " + std::to_string(round));
    grpc::Status approved_status, dispatched_status;
    v1::ApproveRequestResponse approved;
    v1::DispatchShipmentResponse dispatched;
    std::thread approve([&] { approved_status = Approve(id, &approved, admin_token_); });
    std::thread dispatch([&] {
      v1::DispatchShipmentRequest req;
      req.set_shipment_id(draft);
      dispatched_status = shipments_->DispatchShipment(Ctx(manager_).get(), req, &dispatched);
    });
    approve.join();
    dispatch.join();
    bool reserved = false;
    if (approved_status.ok()) {
      v1::GetPickListRequest list_req;
      list_req.set_sample_request_id(id);
      v1::GetPickListResponse list;
      LIMS_ASSERT_GRPC_OK(requests_->GetPickList(Ctx().get(), list_req, &list));
      for (const auto& item : list.items()) reserved = reserved || item.barcode() == tube;
    }
    if (dispatched_status.ok()) {
      EXPECT_FALSE(reserved) << tube << " was shipped and reserved";
    } else {
      LIMS_EXPECT_GRPC(dispatched_status, StatusCode::FAILED_PRECONDITION, "held by request");
      EXPECT_TRUE(reserved);
    }
  }
}

TEST_P(RequestShippingTest, ResearchLabels_CarryTheRequestCodesOnly) {
  Patient("MATHEC-0401", 3, {v1::CONSENT_SCOPE_STORAGE, v1::CONSENT_SCOPE_RESEARCH});
  const std::string id = Submit(Criteria());
  v1::ApproveRequestResponse approved;
  LIMS_ASSERT_GRPC_OK(Approve(id, &approved));
  LoopbackPrinter zebra;
  LIMS_ASSERT_GRPC_OK(RegisterPrinter(zebra));

  v1::PrintLabelsRequest print;
  print.set_printer("bench-1");
  print.set_sample_request_id(id);
  v1::PrintLabelsResponse printed;
  auto before = Rows();
  LIMS_EXPECT_GRPC(labels_->PrintLabels(Ctx(technician_).get(), print, &printed),
                   StatusCode::FAILED_PRECONDITION, "once every one is picked");
  EXPECT_EQ(Rows(), before);
  PickAll(id);
  before = Rows();
  v1::PrintLabelsRequest both = print;
  both.add_barcodes(barcodes_["MATHEC-0401"][0]);
  LIMS_EXPECT_GRPC(labels_->PrintLabels(Ctx(technician_).get(), both, &printed),
                   StatusCode::INVALID_ARGUMENT, "not both");
  v1::PrintLabelsRequest with_barcodes = print;
  with_barcodes.set_template_("cryotube");  // would print the barcode: it has no value here
  LIMS_EXPECT_GRPC(labels_->PrintLabels(Ctx(technician_).get(), with_barcodes, &printed),
                   StatusCode::INVALID_ARGUMENT, "barcode");
  EXPECT_EQ(Rows(), before);

  LIMS_ASSERT_GRPC_OK(labels_->PrintLabels(Ctx(technician_).get(), print, &printed));
  EXPECT_EQ(printed.labels_printed(), 2);  // retention kept the third tube
  const auto jobs = zebra.Jobs(1);
  ASSERT_EQ(jobs.size(), 1u);
  const v1::GetSampleRequestResponse seen = Get(id, researcher_);
  ASSERT_EQ(seen.samples_size(), 2);
  for (const auto& s : seen.samples()) {
    // The DataMatrix and the first line; the patient's request code beside the timepoint.
    EXPECT_EQ(CountOf(jobs[0], "^FD" + s.request_code() + "^FS"), 2) << jobs[0];
    EXPECT_NE(jobs[0].find(s.patient_code() + " M3"), std::string::npos);
  }
  for (const auto& b : barcodes_["MATHEC-0401"]) EXPECT_EQ(jobs[0].find(b), std::string::npos) << b;
  EXPECT_EQ(jobs[0].find("MATHEC"), std::string::npos);
  EXPECT_EQ(jobs[0].find("2026-04-16"), std::string::npos);  // collection date

  // Its preview, read back by a decoder: the DataMatrix holds the request code.
  v1::PreviewLabelRequest preview;
  preview.set_request_code(seen.samples(1).request_code());
  v1::PreviewLabelResponse drawn;
  LIMS_ASSERT_GRPC_OK(labels_->PreviewLabel(Ctx(technician_).get(), preview, &drawn));
  EXPECT_EQ(drawn.template_(), "research-tube");
  const auto found = DecodePngRegion(drawn.png(), 0, 0, 110, 104);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].text, seen.samples(1).request_code());
  preview.set_request_code(seen.sample_request().code() + "-S999");
  LIMS_EXPECT_GRPC(labels_->PreviewLabel(Ctx(technician_).get(), preview, &drawn),
                   StatusCode::NOT_FOUND, "has no tube");
  preview.set_request_code("PSL26-000001-K");
  LIMS_EXPECT_GRPC(labels_->PreviewLabel(Ctx(technician_).get(), preview, &drawn),
                   StatusCode::INVALID_ARGUMENT, "not a request tube's code");

  v1::ListPrintJobsRequest ledger_req;
  ledger_req.set_subject(seen.samples(0).request_code());
  v1::ListPrintJobsResponse ledger;
  LIMS_ASSERT_GRPC_OK(labels_->ListPrintJobs(Ctx(manager_).get(), ledger_req, &ledger));
  ASSERT_EQ(ledger.jobs_size(), 1);
  EXPECT_EQ(ledger.jobs(0).template_(), "research-tube");
  EXPECT_EQ(ledger.jobs(0).reason(), "research label for request " + seen.sample_request().code());
  // Each labelled tube's own history says which code it went out under.
  int labelled = 0;
  for (const auto& b : barcodes_["MATHEC-0401"]) {
    v1::GetSampleHistoryRequest hreq;
    hreq.set_barcode(b);
    v1::GetSampleHistoryResponse history;
    LIMS_ASSERT_GRPC_OK(samples_->GetSampleHistory(Ctx().get(), hreq, &history));
    const auto& last = history.events(history.events_size() - 1);
    if (last.action().rfind("label.", 0) != 0) continue;
    ++labelled;
    EXPECT_NE(last.details().find("research-tube label for " + seen.sample_request().code() + "-S"),
              std::string::npos)
        << last.details();
  }
  EXPECT_EQ(labelled, 2);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, RequestShippingTest, ::testing::Values(db::Backend::kSqlite));
INSTANTIATE_TEST_SUITE_P(MariaDb, RequestShippingTest, ::testing::Values(db::Backend::kMariaDb));

}  // namespace
}  // namespace lims::testing
