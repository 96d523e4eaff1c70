#include "lims/core/rack_scan.h"

#include "gtest/gtest.h"
#include "status_matchers.h"

namespace lims {
namespace {

constexpr absl::StatusCode kInvalid = absl::StatusCode::kInvalidArgument;

BoxLayout Sbs() { return *BoxLayout::Create(8, 12); }

const ScannedWell& Well(const RackScan& scan, const std::string& name) {
  return scan.wells[static_cast<size_t>(*Sbs().ParsePosition(name) - 1)];
}

TEST(ParseRackCsv, ZiathStyleHeaderWithA01Positions) {
  auto scan = ParseRackCsv(
      "Rack Barcode,Position,Tube Barcode\r\n"
      "RK-000123,A01,1234567890\r\n"
      "RK-000123,A02,NO TUBE\r\n"
      "RK-000123,A03,NO READ\r\n"
      "RK-000123,H12,psl26-000123-k\r\n",
      Sbs());
  ASSERT_OK(scan);
  EXPECT_EQ(scan->rack_barcode, "RK-000123");
  EXPECT_EQ(scan->position_style, "A01");
  EXPECT_EQ(scan->wells.size(), 96u);
  EXPECT_EQ(Well(*scan, "A1").reading, WellReading::kCode);
  EXPECT_EQ(Well(*scan, "A1").code, "1234567890");
  EXPECT_EQ(Well(*scan, "A2").reading, WellReading::kEmpty);
  EXPECT_EQ(Well(*scan, "A3").reading, WellReading::kUnreadable);
  EXPECT_EQ(Well(*scan, "H12").code, "PSL26-000123-K");  // canonical
  EXPECT_EQ(Well(*scan, "B1").reading, WellReading::kEmpty);  // not listed
}

TEST(ParseRackCsv, SemicolonsNumbersAndNoHeader) {
  auto scan = ParseRackCsv("1;1234567890\n96;1234567891\n", Sbs());
  ASSERT_OK(scan);
  EXPECT_EQ(scan->position_style, "1..N");
  EXPECT_EQ(Well(*scan, "A1").code, "1234567890");
  EXPECT_EQ(Well(*scan, "H12").code, "1234567891");
  auto tabs = ParseRackCsv("Well\tTube ID\nA1\t1234567890\n", Sbs());
  ASSERT_OK(tabs);
  EXPECT_EQ(tabs->position_style, "A1");
  EXPECT_EQ(Well(*tabs, "A1").code, "1234567890");
}

TEST(ParseRackCsv, AMistypedMintedIdIsUnreadableNeverAnotherTube) {
  auto scan = ParseRackCsv("Position,Barcode\nA1,PSL26-000123-X\n", Sbs());
  ASSERT_OK(scan);
  EXPECT_EQ(Well(*scan, "A1").reading, WellReading::kUnreadable);
}

TEST(ParseRackCsv, Errors_EveryLineNamedAndNothingAccepted) {
  EXPECT_STATUS(ParseRackCsv("Position,Barcode\nA1,1234567890\nA01,1234567891\n", Sbs()),
                kInvalid, "line 3: position \"A01\" is written A01-style");
  EXPECT_STATUS(ParseRackCsv("Position,Barcode\nA1,1234567890\nA1,1234567891\n", Sbs()),
                kInvalid, "line 3: position A1 is listed twice");
  EXPECT_STATUS(ParseRackCsv("Position,Barcode\nA1,1234567890\nB1,1234567890\n", Sbs()),
                kInvalid, "1234567890 is in A1 and in B1");
  const auto bad = ParseRackCsv("Position,Barcode\nJ1,1234567890\nA2\n", Sbs()).status();
  EXPECT_STATUS(bad, kInvalid, "line 2: ");
  EXPECT_STATUS(bad, kInvalid, "line 3: has 1 fields");
  EXPECT_STATUS(ParseRackCsv("Position,Barcode\n", Sbs()), kInvalid, "lists no wells");
}

TEST(ReconcileBox, EachCategory) {
  auto scan = ParseRackCsv(
      "Position,Barcode\n"
      "A1,1111111111\n"    // matched
      "A2,2222222222\n"    // recorded in another box
      "A3,9999999999\n"    // unknown to the LIMS
      "A4,NO READ\n"       // 4444444444 is recorded here
      "A6,6666666666\n",   // recorded here at A5: misplaced within the box
      Sbs());
  ASSERT_OK(scan);
  const std::map<int, std::string> recorded = {
      {1, "1111111111"}, {4, "4444444444"}, {5, "6666666666"}, {7, "7777777777"}};
  const std::map<std::string, RecordedPlace> known = {
      {"1111111111", {42, 1, "Box B-0042 A1"}},
      {"2222222222", {43, 9, "Box B-0043 A9"}},
      {"6666666666", {42, 5, "Box B-0042 A5"}},
  };
  const BoxReconciliation r = ReconcileBox(42, *scan, recorded, known);
  ASSERT_EQ(r.matched.size(), 1u);
  EXPECT_EQ(r.matched[0].barcode, "1111111111");
  ASSERT_EQ(r.misplaced.size(), 2u);
  EXPECT_EQ(r.misplaced[0].barcode, "2222222222");
  EXPECT_EQ(r.misplaced[0].recorded_where, "Box B-0043 A9");
  EXPECT_EQ(r.misplaced[1].barcode, "6666666666");
  EXPECT_EQ(r.misplaced[1].position, 6);
  ASSERT_EQ(r.unexpected.size(), 1u);
  EXPECT_EQ(r.unexpected[0].barcode, "9999999999");
  ASSERT_EQ(r.unverified.size(), 1u);
  EXPECT_EQ(r.unverified[0].barcode, "4444444444");
  ASSERT_EQ(r.missing.size(), 1u);
  EXPECT_EQ(r.missing[0].barcode, "7777777777");
  EXPECT_EQ(r.missing[0].position, 7);
}

}  // namespace
}  // namespace lims
