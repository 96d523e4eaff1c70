// ScanService.DecodeImage over real gRPC: a real photo's code with its corners, a picture
// larger than the 16 MiB other requests get, and refusals with the right codes.
#include <fstream>
#include <sstream>

#include "grpc_status_matchers.h"
#include "lims/v1/scan.grpc.pb.h"
#include "service_fixture.h"

namespace lims::testing {
namespace {

using grpc::StatusCode;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// An uncompressed 24-bit BMP, all white: `width` x `height` pixels.
std::string WhiteBmp(int width, int height) {
  const int row = (width * 3 + 3) / 4 * 4;
  const uint32_t pixels = static_cast<uint32_t>(row) * height, size = 54 + pixels;
  std::string bmp(size, '\xff');
  auto put32 = [&](size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) bmp[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
  };
  auto put16 = [&](size_t at, uint16_t v) {
    bmp[at] = static_cast<char>(v & 0xff);
    bmp[at + 1] = static_cast<char>(v >> 8);
  };
  bmp[0] = 'B';
  bmp[1] = 'M';
  put32(2, size);
  put32(6, 0);
  put32(10, 54);
  put32(14, 40);
  put32(18, static_cast<uint32_t>(width));
  put32(22, static_cast<uint32_t>(height));
  put16(26, 1);
  put16(28, 24);
  put32(30, 0);
  put32(34, pixels);
  put32(38, 2835);
  put32(42, 2835);
  put32(46, 0);
  put32(50, 0);
  return bmp;
}

class ScanTest : public ServiceTest {
 protected:
  grpc::Status Decode(const std::string& image, v1::DecodeImageResponse* resp,
                      const std::string& token = "") {
    auto scan = v1::ScanService::NewStub(channel_);
    v1::DecodeImageRequest req;
    req.set_image(image);
    return scan->DecodeImage(Ctx(token).get(), req, resp);
  }
};

TEST_P(ScanTest, DecodeImage_RealPhotoGivesItsCodeAndCorners) {
  v1::DecodeImageResponse resp;
  LIMS_ASSERT_GRPC_OK(Decode(ReadFile(std::string(LIMS_TEST_DATA_DIR) +
                                      "/barcodes/datamatrix-1/0123456789.png"),
                             &resp));
  ASSERT_EQ(resp.codes_size(), 1);
  EXPECT_EQ(resp.codes(0).text(), "0123456789");
  EXPECT_EQ(resp.codes(0).format(), v1::CODE_FORMAT_DATA_MATRIX);
  ASSERT_EQ(resp.codes(0).corners_size(), 4);
  EXPECT_GT(resp.width(), 0);
  for (const auto& p : resp.codes(0).corners()) {
    EXPECT_LT(p.x(), resp.width());
    EXPECT_LT(p.y(), resp.height());
  }
  LIMS_ASSERT_GRPC_OK(Decode(ReadFile(std::string(LIMS_TEST_DATA_DIR) + "/barcodes/qrcode-1/1.png"),
                             &resp));
  ASSERT_GE(resp.codes_size(), 1);
  EXPECT_EQ(resp.codes(0).format(), v1::CODE_FORMAT_QR_CODE);
}

// 20 MiB: more than any other request may carry, within the picture limit.
TEST_P(ScanTest, DecodeImage_TwentyMegabytePicture_Accepted) {
  const std::string bmp = WhiteBmp(2600, 2700);
  ASSERT_GT(bmp.size(), 20u << 20);
  v1::DecodeImageResponse resp;
  LIMS_ASSERT_GRPC_OK(Decode(bmp, &resp));
  EXPECT_EQ(resp.width(), 2600);
  EXPECT_EQ(resp.height(), 2700);
  EXPECT_EQ(resp.codes_size(), 0);
}

TEST_P(ScanTest, DecodeImage_BadPictures_Refused) {
  Seed();  // site PSL, for the researcher below
  v1::DecodeImageResponse resp;
  LIMS_EXPECT_GRPC(Decode("%PDF-1.7", &resp), StatusCode::INVALID_ARGUMENT,
                   "not a PNG, JPEG or BMP");
  const std::string png = ReadFile(std::string(LIMS_TEST_DATA_DIR) +
                                   "/barcodes/datamatrix-1/0123456789.png");
  LIMS_EXPECT_GRPC(Decode(png.substr(0, png.size() - 20), &resp), StatusCode::INVALID_ARGUMENT,
                   "truncated");
  // A header claiming 8000 x 8000 pixels (64 megapixels) in a few kilobytes.
  std::string bomb = WhiteBmp(8, 8);
  for (int i = 0; i < 4; ++i) bomb[18 + i] = bomb[22 + i] = "\x40\x1f\0\0"[i];
  LIMS_EXPECT_GRPC(Decode(bomb, &resp), StatusCode::RESOURCE_EXHAUSTED, "8000 x 8000 pixels");
  const std::string researcher = MakeUser("res", v1::ROLE_RESEARCHER, "PSL");
  LIMS_EXPECT_GRPC(Decode(png, &resp, researcher), StatusCode::PERMISSION_DENIED, "DecodeImage");
}

// A 9x9 box with four tubes recorded; the rack file shows one in place, one in the wrong well,
// one not there, one well unreadable, a tube from another box and a code nobody knows.
TEST_P(ScanTest, ScanBox_RackCsvReconciledWithTheBox) {
  Seed();
  std::vector<std::string> tubes;
  for (int i = 0; i < 5; ++i) tubes.push_back(CollectSerum().barcode());
  LIMS_ASSERT_GRPC_OK(Place(tubes[0], box_id_, "A1"));
  LIMS_ASSERT_GRPC_OK(Place(tubes[1], box_id_, "A2"));
  LIMS_ASSERT_GRPC_OK(Place(tubes[2], box_id_, "A3"));
  LIMS_ASSERT_GRPC_OK(Place(tubes[3], box_id_, "A4"));
  LIMS_ASSERT_GRPC_OK(Place(tubes[4], CreateBoxInFreezer("B-0043"), "I9"));
  const auto before = Rows();

  v1::ScanBoxRequest req;
  req.set_box_id(box_id_);
  req.set_rack_csv("Rack,Position,Tube\n"
                   "RK-1,A01," + tubes[0] + "\n"   // matched
                   "RK-1,A05," + tubes[1] + "\n"   // recorded at A2
                   "RK-1,A04,NO READ\n"            // tubes[3] recorded there
                   "RK-1,B01," + tubes[4] + "\n"   // recorded in B-0043
                   "RK-1,B02,7777777777\n");       // unknown
  v1::ScanBoxResponse resp;
  auto scan = v1::ScanService::NewStub(channel_);
  LIMS_ASSERT_GRPC_OK(scan->ScanBox(Ctx().get(), req, &resp));
  EXPECT_EQ(resp.rack_barcode(), "RK-1");
  EXPECT_EQ(resp.position_style(), "A01");
  ASSERT_EQ(resp.wells_size(), 81);
  EXPECT_EQ(resp.wells(0).state(), v1::WELL_STATE_DECODED);
  EXPECT_EQ(resp.wells(3).state(), v1::WELL_STATE_UNREADABLE);
  EXPECT_EQ(resp.wells(8).state(), v1::WELL_STATE_EMPTY);
  const auto& r = resp.reconciliation();
  ASSERT_EQ(r.matched_size(), 1);
  EXPECT_EQ(r.matched(0).barcode(), tubes[0]);
  ASSERT_EQ(r.misplaced_size(), 2);
  EXPECT_EQ(r.misplaced(0).barcode(), tubes[1]);
  EXPECT_EQ(r.misplaced(0).position(), "A5");
  EXPECT_NE(r.misplaced(0).recorded_at().find("B-0042"), std::string::npos) << r.misplaced(0).recorded_at();
  EXPECT_EQ(r.misplaced(1).barcode(), tubes[4]);
  EXPECT_NE(r.misplaced(1).recorded_at().find("B-0043"), std::string::npos);
  ASSERT_EQ(r.missing_size(), 1);
  EXPECT_EQ(r.missing(0).barcode(), tubes[2]);
  EXPECT_EQ(r.missing(0).position(), "A3");
  ASSERT_EQ(r.unverified_size(), 1);
  EXPECT_EQ(r.unverified(0).barcode(), tubes[3]);
  ASSERT_EQ(r.unexpected_size(), 1);
  EXPECT_EQ(r.unexpected(0).barcode(), "7777777777");
  EXPECT_EQ(Rows(), before);  // reading only

  // Bad files and requests.
  req.set_rack_csv("Position,Tube\nA1,1111111111\nA1,2222222222\n");
  LIMS_EXPECT_GRPC(scan->ScanBox(Ctx().get(), req, &resp), StatusCode::INVALID_ARGUMENT,
                   "line 3: position A1 is listed twice");
  req.set_rack_csv("Position,Tube\nA1,1111111111\n");
  req.set_rows(8);
  req.set_columns(12);
  LIMS_EXPECT_GRPC(scan->ScanBox(Ctx().get(), req, &resp), StatusCode::INVALID_ARGUMENT,
                   "is 9 x 9, not 8 x 12");
  req.clear_rack_csv();
  LIMS_EXPECT_GRPC(scan->ScanBox(Ctx().get(), req, &resp), StatusCode::INVALID_ARGUMENT,
                   "send either image");
  // Without a box: only the wells.
  v1::ScanBoxRequest loose;
  loose.set_rack_csv("1,1111111111\n96,2222222222\n");
  loose.set_rows(8);
  loose.set_columns(12);
  LIMS_ASSERT_GRPC_OK(scan->ScanBox(Ctx().get(), loose, &resp));
  EXPECT_EQ(resp.wells(95).barcode(), "2222222222");
  EXPECT_FALSE(resp.has_reconciliation());
  // Another site's technician may not scan this box.
  CreateSite("LYO", "Lyon");
  const std::string lyo = MakeUser("tech.lyo", v1::ROLE_TECHNICIAN, "LYO");
  v1::ScanBoxRequest foreign;
  foreign.set_box_id(box_id_);
  foreign.set_rack_csv("Position,Tube\nA1,1111111111\n");
  // Named by the id asked about: another site's box names and paths are not shown.
  LIMS_EXPECT_GRPC(scan->ScanBox(Ctx(lyo).get(), foreign, &resp), StatusCode::PERMISSION_DENIED,
                   "storage unit " + box_id_);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, ScanTest, ::testing::Values(db::Backend::kSqlite));
INSTANTIATE_TEST_SUITE_P(MariaDb, ScanTest, ::testing::Values(db::Backend::kMariaDb));

}  // namespace
}  // namespace lims::testing
