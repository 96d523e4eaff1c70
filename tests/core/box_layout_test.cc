#include "lims/core/box_layout.h"

#include "gtest/gtest.h"
#include "status_matchers.h"

namespace lims {
namespace {

constexpr absl::StatusCode kInvalid = absl::StatusCode::kInvalidArgument;

BoxLayout Layout(int rows, int columns) {
  absl::StatusOr<BoxLayout> layout = BoxLayout::Create(rows, columns);
  EXPECT_TRUE(layout.ok()) << layout.status();
  return *layout;
}

TEST(BoxLayoutCreate, CommonLayouts_ReportSize) {
  const BoxLayout nine = Layout(9, 9);
  EXPECT_EQ(nine.rows(), 9);
  EXPECT_EQ(nine.columns(), 9);
  EXPECT_EQ(nine.capacity(), 81);
  EXPECT_EQ(Layout(8, 12).capacity(), 96);
  EXPECT_EQ(Layout(10, 10).capacity(), 100);
  EXPECT_EQ(Layout(1, 1).capacity(), 1);
  EXPECT_EQ(Layout(26, 99).capacity(), 26 * 99);
}

TEST(BoxLayoutCreate, RowsOutOfRange_InvalidArgument) {
  EXPECT_STATUS(BoxLayout::Create(0, 9), kInvalid, "rows");
  EXPECT_STATUS(BoxLayout::Create(27, 9), kInvalid, "rows");
  EXPECT_STATUS_CODE(BoxLayout::Create(-1, 9), kInvalid);
}

TEST(BoxLayoutCreate, ColumnsOutOfRange_InvalidArgument) {
  EXPECT_STATUS(BoxLayout::Create(9, 0), kInvalid, "columns");
  EXPECT_STATUS(BoxLayout::Create(9, 100), kInvalid, "columns");
}

TEST(BoxLayoutParsePosition, WellNames_RowMajorNumbers) {
  const BoxLayout sbs = Layout(8, 12);
  EXPECT_EQ(*sbs.ParsePosition("A1"), 1);
  EXPECT_EQ(*sbs.ParsePosition("A2"), 2);
  EXPECT_EQ(*sbs.ParsePosition("A12"), 12);
  EXPECT_EQ(*sbs.ParsePosition("B1"), 13);
  EXPECT_EQ(*sbs.ParsePosition("H12"), 96);
}

TEST(BoxLayoutParsePosition, LowerCasePaddedOrSpaced_Accepted) {
  const BoxLayout sbs = Layout(8, 12);
  EXPECT_EQ(*sbs.ParsePosition("a1"), 1);
  EXPECT_EQ(*sbs.ParsePosition("A01"), 1);
  EXPECT_EQ(*sbs.ParsePosition(" B12 "), 24);
  EXPECT_EQ(*sbs.ParsePosition("h12\r\n"), 96);
}

TEST(BoxLayoutParsePosition, PlainNumbers_Accepted) {
  const BoxLayout nine = Layout(9, 9);
  EXPECT_EQ(*nine.ParsePosition("1"), 1);
  EXPECT_EQ(*nine.ParsePosition("81"), 81);
  EXPECT_EQ(*nine.ParsePosition(" 10 "), 10);
}

TEST(BoxLayoutParsePosition, WellOutsideLayout_InvalidArgumentDescribingLayout) {
  const BoxLayout nine = Layout(9, 9);
  EXPECT_STATUS(nine.ParsePosition("K1"), kInvalid,
                "position K1 is outside box layout 9×9 (A1..I9)");
  EXPECT_STATUS(nine.ParsePosition("A10"), kInvalid, "position A10 is outside");
  EXPECT_STATUS(nine.ParsePosition("A0"), kInvalid, "outside");
}

TEST(BoxLayoutParsePosition, NumberOutsideLayout_InvalidArgument) {
  const BoxLayout nine = Layout(9, 9);
  EXPECT_STATUS(nine.ParsePosition("0"), kInvalid, "outside box layout 9×9");
  EXPECT_STATUS(nine.ParsePosition("82"), kInvalid, "1..81");
  EXPECT_STATUS_CODE(nine.ParsePosition("99999999999999999999"), kInvalid);
}

TEST(BoxLayoutParsePosition, Malformed_InvalidArgument) {
  const BoxLayout nine = Layout(9, 9);
  EXPECT_STATUS(nine.ParsePosition(""), kInvalid, "position is empty");
  EXPECT_STATUS_CODE(nine.ParsePosition("   "), kInvalid);
  EXPECT_STATUS(nine.ParsePosition("A"), kInvalid, "not a well name");
  EXPECT_STATUS_CODE(nine.ParsePosition("1A"), kInvalid);
  EXPECT_STATUS_CODE(nine.ParsePosition("AA1"), kInvalid);
  EXPECT_STATUS_CODE(nine.ParsePosition("A-1"), kInvalid);
  EXPECT_STATUS_CODE(nine.ParsePosition("A 1"), kInvalid);
  EXPECT_STATUS_CODE(nine.ParsePosition("-1"), kInvalid);
  EXPECT_STATUS_CODE(nine.ParsePosition("É1"), kInvalid);
}

TEST(BoxLayoutPositionName, Numbers_WellNamesWithoutPadding) {
  const BoxLayout sbs = Layout(8, 12);
  EXPECT_EQ(sbs.PositionName(1), "A1");
  EXPECT_EQ(sbs.PositionName(12), "A12");
  EXPECT_EQ(sbs.PositionName(13), "B1");
  EXPECT_EQ(sbs.PositionName(96), "H12");
  EXPECT_EQ(Layout(26, 99).PositionName(26 * 99), "Z99");
}

TEST(BoxLayoutPositionName, OutsideLayout_NeverAWellName) {
  const BoxLayout nine = Layout(9, 9);
  EXPECT_EQ(nine.PositionName(0), "#0");
  EXPECT_EQ(nine.PositionName(82), "#82");
}

TEST(BoxLayoutPositionName, EveryPosition_ParsesBack) {
  for (const auto& [rows, columns] : {std::pair{9, 9}, {8, 12}, {10, 10}, {1, 99}, {26, 1}}) {
    const BoxLayout layout = Layout(rows, columns);
    for (int position = 1; position <= layout.capacity(); ++position) {
      absl::StatusOr<int> parsed = layout.ParsePosition(layout.PositionName(position));
      ASSERT_OK(parsed);
      EXPECT_EQ(*parsed, position);
    }
  }
}

}  // namespace
}  // namespace lims
