// ScanService.ScanBox with a picture of the rack over real gRPC: a synthetic 9x9 box picture
// (turned, skewed) read into wells and reconciled with the box the LIMS records, then apply
// (managers) making the records match the scan in one transaction, its replay, its refusals,
// and two managers applying the same scan at once.
#include <thread>

#include "grpc_status_matchers.h"
#include "lims/v1/audit.grpc.pb.h"
#include "lims/v1/scan.grpc.pb.h"
#include "rack_picture.h"
#include "service_fixture.h"

namespace lims::testing {
namespace {

using grpc::StatusCode;

class BoxScanTest : public ServiceTest {
 protected:
  // Tubes 0..5 with pre-printed codes: 0 at A1, 1 at A2, 2 at A3, 3 at B1 of box B-0042; 4 in
  // box B-0043; 5 collected, never stored.
  void SetUpTubes() {
    Seed();
    scan_ = v1::ScanService::NewStub(channel_);
    codes_ = TubeCodes(6, 77);
    for (const std::string& code : codes_) ASSERT_EQ(CollectSerum(code).barcode(), code);
    ASSERT_TRUE(Place(codes_[0], box_id_, "A1").ok());
    ASSERT_TRUE(Place(codes_[1], box_id_, "A2").ok());
    ASSERT_TRUE(Place(codes_[2], box_id_, "A3").ok());
    ASSERT_TRUE(Place(codes_[3], box_id_, "B1").ok());
    other_box_id_ = CreateBoxInFreezer("B-0043");
    ASSERT_TRUE(Place(codes_[4], other_box_id_, "I9").ok());
  }

  // The box as it really is: 0 and 1 in place, 2 gone, 3 moved to C5, 4 at D1, 5 at F1, an
  // unknown tube at E1 and a frosted one at B2; turned a quarter clockwise and skewed.
  std::string Picture() {
    RackPictureSpec spec;
    spec.rows = spec.columns = 9;
    spec.codes.assign(81, "");
    spec.codes[0] = codes_[0];
    spec.codes[1] = codes_[1];
    spec.codes[2 * 9 + 4] = codes_[3];
    spec.codes[3 * 9] = codes_[4];
    spec.codes[5 * 9] = codes_[5];
    spec.codes[4 * 9] = "7777777777";
    spec.codes[9 + 1] = "8888888888";
    spec.frosted = {9 + 1};
    spec.rotation_degrees = 90;
    spec.skew_degrees = 3;
    spec.noise_sd = 4;
    spec.light_falloff = 0.25;
    return EncodePng(DrawRack(spec));
  }

  v1::ScanBoxRequest Request(bool apply) {
    v1::ScanBoxRequest req;
    req.set_image(Picture());
    req.set_box_id(box_id_);
    req.set_apply(apply);
    if (apply) req.set_request_id("box-scan-1");
    return req;
  }

  std::map<std::string, std::string> Contents(const std::string& box_id) {
    v1::GetBoxContentsRequest req;
    req.set_box_id(box_id);
    v1::GetBoxContentsResponse resp;
    EXPECT_TRUE(storage_->GetBoxContents(Ctx().get(), req, &resp).ok());
    std::map<std::string, std::string> out;
    for (const auto& slot : resp.slots()) out[slot.position()] = slot.barcode();
    return out;
  }

  std::unique_ptr<v1::ScanService::Stub> scan_;
  std::vector<std::string> codes_;
  std::string other_box_id_;
};

std::vector<std::string> Barcodes(const google::protobuf::RepeatedPtrField<v1::ReconciledTube>& tubes) {
  std::vector<std::string> out;
  for (const auto& t : tubes) out.push_back(t.barcode() + "@" + t.position());
  return out;
}

TEST_P(BoxScanTest, ScanBox_PictureReadIntoWellsAndReconciled) {
  SetUpTubes();
  const auto before = Rows();
  v1::ScanBoxResponse resp;
  LIMS_ASSERT_GRPC_OK(scan_->ScanBox(Ctx().get(), Request(false), &resp));
  EXPECT_EQ(resp.rotation_degrees(), 90);
  EXPECT_TRUE(resp.orientation_mark_seen());
  EXPECT_NE(resp.a1_decided_by().find("chamfered"), std::string::npos) << resp.a1_decided_by();
  ASSERT_EQ(resp.wells_size(), 81);
  EXPECT_EQ(resp.rows(), 9);  // the box's own layout
  EXPECT_EQ(resp.columns(), 9);
  EXPECT_EQ(resp.wells(0).position(), "A1");
  EXPECT_EQ(resp.wells(0).barcode(), codes_[0]);
  EXPECT_EQ(resp.wells(2 * 9 + 4).position(), "C5");
  EXPECT_EQ(resp.wells(2 * 9 + 4).barcode(), codes_[3]);
  EXPECT_EQ(resp.wells(9 + 1).state(), v1::WELL_STATE_UNREADABLE);  // frosted
  EXPECT_EQ(resp.wells(2).state(), v1::WELL_STATE_EMPTY);
  int decoded = 0;
  for (const auto& w : resp.wells()) decoded += w.state() == v1::WELL_STATE_DECODED;
  EXPECT_EQ(decoded, 6);
  const auto& r = resp.reconciliation();
  EXPECT_EQ(Barcodes(r.matched()), (std::vector<std::string>{codes_[0] + "@A1", codes_[1] + "@A2"}));
  EXPECT_EQ(Barcodes(r.missing()), std::vector<std::string>{codes_[2] + "@A3"});
  ASSERT_EQ(r.misplaced_size(), 3);
  EXPECT_EQ(r.misplaced(0).barcode(), codes_[3]);
  EXPECT_EQ(r.misplaced(0).position(), "C5");
  EXPECT_NE(r.misplaced(0).recorded_at().find("B1 of box B-0042"), std::string::npos)
      << r.misplaced(0).recorded_at();
  EXPECT_EQ(r.misplaced(1).barcode(), codes_[4]);
  EXPECT_NE(r.misplaced(1).recorded_at().find("B-0043"), std::string::npos);
  EXPECT_EQ(r.misplaced(2).barcode(), codes_[5]);
  EXPECT_EQ(r.misplaced(2).recorded_at(), "not in a box");
  EXPECT_EQ(Barcodes(r.unexpected()), std::vector<std::string>{"7777777777@E1"});
  EXPECT_EQ(Rows(), before);  // reading only
}

TEST_P(BoxScanTest, ScanBox_ApplyMakesTheRecordsMatchInOneTransaction) {
  SetUpTubes();
  const std::string manager = MakeUser("manager", v1::ROLE_MANAGER, "PSL");
  const std::string technician = MakeUser("tech", v1::ROLE_TECHNICIAN, "PSL");
  const auto before = Rows();
  v1::ScanBoxResponse resp;
  LIMS_EXPECT_GRPC(scan_->ScanBox(Ctx(technician).get(), Request(true), &resp),
                   StatusCode::PERMISSION_DENIED, "apply");
  EXPECT_EQ(Rows(), before);

  LIMS_ASSERT_GRPC_OK(scan_->ScanBox(Ctx(manager).get(), Request(true), &resp));
  std::map<std::string, std::string> changes;
  for (const auto& c : resp.applied()) changes[c.barcode()] = c.change() + " -> " + c.to();
  ASSERT_EQ(changes.size(), 4u);
  EXPECT_EQ(changes[codes_[2]], "marked missing -> ");
  EXPECT_NE(changes[codes_[3]].find("moved -> "), std::string::npos);
  EXPECT_NE(changes[codes_[3]].find("C5 of box B-0042"), std::string::npos) << changes[codes_[3]];
  EXPECT_NE(changes[codes_[4]].find("D1 of box B-0042"), std::string::npos);
  EXPECT_NE(changes[codes_[5]].find("placed -> "), std::string::npos);
  EXPECT_EQ(Contents(box_id_),
            (std::map<std::string, std::string>{{"A1", codes_[0]}, {"A2", codes_[1]},
                                                {"C5", codes_[3]}, {"D1", codes_[4]},
                                                {"F1", codes_[5]}}));
  EXPECT_TRUE(Contents(other_box_id_).empty());
  v1::GetSampleRequest get;
  get.set_barcode(codes_[2]);
  v1::GetSampleResponse missing;
  LIMS_ASSERT_GRPC_OK(samples_->GetSample(Ctx().get(), get, &missing));
  EXPECT_EQ(missing.sample().status(), v1::SAMPLE_STATUS_MISSING);
  // Each change audited with the reason "box scan".
  auto audit = v1::AuditService::NewStub(channel_);
  v1::ListAuditEventsRequest list;
  list.set_entity_barcode(codes_[3]);
  v1::ListAuditEventsResponse events;
  LIMS_ASSERT_GRPC_OK(audit->ListAuditEvents(Ctx().get(), list, &events));
  ASSERT_GE(events.events_size(), 1);
  const v1::AuditEvent& last = events.events(events.events_size() - 1);
  EXPECT_EQ(last.action(), "storage.moved");
  EXPECT_EQ(last.reason(), "box scan");
  EXPECT_EQ(last.actor(), "manager");

  // A retry of the same request is answered from the first outcome: nothing changes twice.
  const auto after = Rows();
  v1::ScanBoxResponse retry;
  LIMS_ASSERT_GRPC_OK(scan_->ScanBox(Ctx(manager).get(), Request(true), &retry));
  EXPECT_EQ(retry.applied_size(), 4);
  EXPECT_EQ(Rows(), after);
  // Scanned again, the box reconciles clean.
  LIMS_ASSERT_GRPC_OK(scan_->ScanBox(Ctx().get(), Request(false), &resp));
  EXPECT_EQ(resp.reconciliation().matched_size(), 5);
  EXPECT_EQ(resp.reconciliation().missing_size(), 0);
  EXPECT_EQ(resp.reconciliation().misplaced_size(), 0);
  EXPECT_EQ(resp.reconciliation().unexpected_size(), 1);  // still nobody knows 7777777777
}

TEST_P(BoxScanTest, ScanBox_ApplyRefusedAsAWholeForATubeThatMayNotBeStored) {
  SetUpTubes();
  // Tube 3 is checked out: finding it in the box needs a person to say whether it thawed.
  v1::RetrieveSampleRequest out;
  out.set_barcode(codes_[3]);
  out.set_reason("aliquoting");
  v1::RetrieveSampleResponse out_resp;
  LIMS_ASSERT_GRPC_OK(storage_->RetrieveSample(Ctx().get(), out, &out_resp));
  const auto before = Rows();
  const auto contents = Contents(box_id_);
  v1::ScanBoxResponse resp;
  LIMS_EXPECT_GRPC(scan_->ScanBox(Ctx().get(), Request(true), &resp),
                   StatusCode::FAILED_PRECONDITION, codes_[3] + " in ");
  EXPECT_EQ(Rows(), before);
  EXPECT_EQ(Contents(box_id_), contents);
}

TEST_P(BoxScanTest, ScanBox_BadPicturesAndRequestsRefused) {
  SetUpTubes();
  const auto before = Rows();
  v1::ScanBoxResponse resp;
  v1::ScanBoxRequest req = Request(false);
  req.set_image("this is not a picture");
  LIMS_EXPECT_GRPC(scan_->ScanBox(Ctx().get(), req, &resp), StatusCode::INVALID_ARGUMENT, "PNG");
  // An SBS rack's picture for a 9 x 9 box.
  RackPictureSpec sbs;
  sbs.codes = TubeCodes(96, 5);
  req.set_image(EncodePng(DrawRack(sbs)));
  LIMS_EXPECT_GRPC(scan_->ScanBox(Ctx().get(), req, &resp), StatusCode::INVALID_ARGUMENT,
                   "more than a rack of 9 x 9");
  // A1's hint contradicting the rack's chamfer, and a hint for a CSV file.
  req = Request(false);
  req.set_a1_corner(v1::A1_CORNER_BOTTOM_RIGHT);
  LIMS_EXPECT_GRPC(scan_->ScanBox(Ctx().get(), req, &resp), StatusCode::INVALID_ARGUMENT,
                   "chamfered A1 corner is elsewhere");
  req.clear_image();
  req.set_rack_csv("A1,1111111111\n");
  LIMS_EXPECT_GRPC(scan_->ScanBox(Ctx().get(), req, &resp), StatusCode::INVALID_ARGUMENT,
                   "a1_corner describes an image");
  req = Request(false);
  req.set_rack_csv("A1,1111111111\n");
  LIMS_EXPECT_GRPC(scan_->ScanBox(Ctx().get(), req, &resp), StatusCode::INVALID_ARGUMENT,
                   "not both");
  req = Request(true);
  req.clear_box_id();
  req.set_rows(9);
  req.set_columns(9);
  LIMS_EXPECT_GRPC(scan_->ScanBox(Ctx().get(), req, &resp), StatusCode::INVALID_ARGUMENT,
                   "apply needs box_id");
  // Without a box: the wells only, from the layout given.
  req = Request(false);
  req.clear_box_id();
  req.set_rows(9);
  req.set_columns(9);
  LIMS_ASSERT_GRPC_OK(scan_->ScanBox(Ctx().get(), req, &resp));
  EXPECT_EQ(resp.wells(0).barcode(), codes_[0]);
  EXPECT_FALSE(resp.has_reconciliation());
  EXPECT_EQ(Rows(), before);
}

// Two managers apply the same scan at the same moment: the changes are made once, the box
// ends as scanned, and no tube is in two places.
TEST_P(BoxScanTest, ScanBox_TwoConcurrentAppliesChangeTheRecordsOnce) {
  SetUpTubes();
  const std::string first = MakeUser("manager1", v1::ROLE_MANAGER, "PSL");
  const std::string second = MakeUser("manager2", v1::ROLE_MANAGER, "PSL");
  v1::ScanBoxRequest a = Request(true), b = Request(true);
  b.set_request_id("box-scan-2");
  grpc::Status status_a, status_b;
  v1::ScanBoxResponse resp_a, resp_b;
  std::thread ta([&] { status_a = scan_->ScanBox(Ctx(first).get(), a, &resp_a); });
  std::thread tb([&] { status_b = scan_->ScanBox(Ctx(second).get(), b, &resp_b); });
  ta.join();
  tb.join();
  ASSERT_TRUE(status_a.ok() || status_b.ok()) << status_a.error_message() << " / "
                                              << status_b.error_message();
  for (const grpc::Status& s : {status_a, status_b}) {
    if (!s.ok()) {
      EXPECT_EQ(s.error_code(), StatusCode::ABORTED) << s.error_message();
    }
  }
  const int changed = (status_a.ok() ? resp_a.applied_size() : 0) +
                      (status_b.ok() ? resp_b.applied_size() : 0);
  EXPECT_EQ(changed, 4);  // the later one found nothing left to change
  EXPECT_EQ(Contents(box_id_).size(), 5u);
  EXPECT_TRUE(Contents(other_box_id_).empty());
}

INSTANTIATE_TEST_SUITE_P(Sqlite, BoxScanTest, ::testing::Values(db::Backend::kSqlite));
INSTANTIATE_TEST_SUITE_P(MariaDb, BoxScanTest, ::testing::Values(db::Backend::kMariaDb));

}  // namespace
}  // namespace lims::testing
