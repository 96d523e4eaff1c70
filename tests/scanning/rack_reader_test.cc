// The rack reader on synthetic rack pictures with known truth (tests/support/rack_picture.h):
// every rotation, skew, pitch, blur, noise, uneven light, empty wells and empty edge rows,
// frosted tubes, square boxes, the raw bottom view, a missing orientation mark (the a1_corner
// hint) and wrong layouts. tests/scanning/independent_racks.sh adds pictures from a generator
// written independently of this reader and of this generator. The one rule that must
// never bend: no code in a well it is not in.
#include <random>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "lims/scanning/rack_reader.h"
#include "rack_picture.h"
#include "status_matchers.h"

namespace lims::scanning {
namespace {

using testing::DrawRack;
using testing::RackPictureSpec;
using testing::TubeCodes;

struct Tally {
  int tubes = 0, read = 0, wrong = 0, empty_right = 0, empties = 0, frosted_unreadable = 0;
  std::string wrong_detail;
};

// Compares a reading with the picture's truth.
Tally Check(const RackPictureSpec& spec, const RackReading& reading) {
  Tally t;
  for (size_t i = 0; i < reading.wells.size(); ++i) {
    const RackWell& well = reading.wells[i];
    const std::string& truth = spec.codes[i];
    const bool frosted =
        std::find(spec.frosted.begin(), spec.frosted.end(), static_cast<int>(i)) != spec.frosted.end();
    if (truth.empty()) {
      ++t.empties;
      if (well.content == WellContent::kEmpty) ++t.empty_right;
    } else if (!frosted) {
      ++t.tubes;
    } else if (well.content == WellContent::kUnreadable) {
      ++t.frosted_unreadable;
    }
    if (well.content != WellContent::kCode) continue;
    if (well.text == truth && !frosted) {
      ++t.read;
    } else {
      ++t.wrong;
      absl::StrAppend(&t.wrong_detail, " well ", i, ": read ", well.text, ", holds '", truth, "';");
    }
  }
  return t;
}

// ReadRack with the layout as arguments (braces do not survive the assertion macros).
absl::StatusOr<RackReading> Read(const GrayImage& picture, int rows, int columns) {
  return ReadRack(picture, {rows, columns, false});
}

RackPictureSpec Rack(int rows, int columns, uint32_t seed) {
  RackPictureSpec spec;
  spec.rows = rows;
  spec.columns = columns;
  spec.codes = TubeCodes(rows * columns, seed);
  spec.seed = seed;
  // Empty wells at a corner, on an edge and inside; one frosted tube.
  for (int well : {0, columns - 1 + columns, rows * columns / 2 + 1}) spec.codes[well].clear();
  spec.frosted = {columns + 2};
  return spec;
}

TEST(RackReader, EveryRotationComesBackAsTheSameA1ToH12Map) {
  for (int rotation : {0, 90, 180, 270}) {
    SCOPED_TRACE(absl::StrCat("rotated ", rotation));
    RackPictureSpec spec = Rack(8, 12, 11 + rotation);
    spec.rotation_degrees = rotation;
    spec.skew_degrees = rotation == 0 ? 3 : -4;
    auto reading = ReadRack(DrawRack(spec), {8, 12, false});
    ASSERT_OK(reading);
    EXPECT_EQ(reading->rotation_degrees, rotation);
    EXPECT_TRUE(reading->orientation_mark_seen);
    EXPECT_NE(reading->a1_decided_by.find("orientation mark"), std::string::npos);
    const Tally t = Check(spec, *reading);
    EXPECT_EQ(t.wrong, 0) << t.wrong_detail;
    EXPECT_EQ(t.read, t.tubes);
    EXPECT_EQ(t.empty_right, t.empties);
    EXPECT_EQ(t.frosted_unreadable, 1);
  }
}

TEST(RackReader, DegradedPicturesAreReadWithoutASingleWrongWell) {
  // Blur, sensor noise and light falling off across the bed, at random rotations and skews.
  std::mt19937 random(2026);
  int tubes = 0, read = 0;
  for (int round = 0; round < 12; ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round));
    RackPictureSpec spec = Rack(8, 12, 100 + round);
    spec.rotation_degrees = 90 * (round % 4);
    spec.skew_degrees = std::uniform_real_distribution<double>(-6, 6)(random);
    spec.blur_sigma_px = 0.6 + 0.05 * round;
    spec.noise_sd = 4 + round % 5;
    spec.light_falloff = 0.2 + 0.03 * round;
    auto reading = ReadRack(DrawRack(spec), {8, 12, false});
    ASSERT_OK(reading);
    EXPECT_EQ(reading->rotation_degrees, spec.rotation_degrees);
    const Tally t = Check(spec, *reading);
    EXPECT_EQ(t.wrong, 0) << t.wrong_detail;
    EXPECT_EQ(t.empty_right, t.empties);  // a hole is never taken for a tube, nor the reverse
    tubes += t.tubes;
    read += t.read;
  }
  // Pinned below the reader as built (99% and more): a drop means a regression.
  EXPECT_GE(read, tubes * 97 / 100) << read << " of " << tubes;
}

TEST(RackReader, SquareBoxesTurnedAnyWayFindA1AtTheMark) {
  for (int side : {9, 10}) {
    for (int rotation : {90, 180, 270}) {
      SCOPED_TRACE(absl::StrCat(side, " x ", side, " rotated ", rotation));
      RackPictureSpec spec = Rack(side, side, 300 + side + rotation);
      spec.rotation_degrees = rotation;
      spec.skew_degrees = 2;
      auto reading = ReadRack(DrawRack(spec), {side, side, false});
      ASSERT_OK(reading);
      EXPECT_EQ(reading->rotation_degrees, rotation);
      const Tally t = Check(spec, *reading);
      EXPECT_EQ(t.wrong, 0) << t.wrong_detail;
      EXPECT_EQ(t.read, t.tubes);
    }
  }
}

TEST(RackReader, TheRawBottomViewNeedsTheMirroredOption) {
  RackPictureSpec spec = Rack(8, 12, 41);
  spec.bottom_view = true;
  spec.rotation_degrees = 180;
  const GrayImage picture = DrawRack(spec);
  auto reading = ReadRack(picture, {8, 12, true});
  ASSERT_OK(reading);
  EXPECT_EQ(reading->rotation_degrees, 180);
  Tally t = Check(spec, *reading);
  EXPECT_EQ(t.wrong, 0) << t.wrong_detail;
  EXPECT_EQ(t.read, t.tubes);
  // Taken for a top view, the mirrored rack puts A1's rows along its columns: refused.
  EXPECT_STATUS(Read(picture, 8, 12), absl::StatusCode::kInvalidArgument, "set mirrored");
  // A square box's grid fits either way round, but its codes then read mirrored: refused too.
  RackPictureSpec box = Rack(10, 10, 42);
  box.bottom_view = true;
  EXPECT_STATUS(Read(DrawRack(box), 10, 10), absl::StatusCode::kInvalidArgument,
                "read mirrored");
  box.bottom_view = false;
  EXPECT_STATUS(ReadRack(DrawRack(box), RackReadOptions{10, 10, true}),
                absl::StatusCode::kInvalidArgument, "unset mirrored");
}

TEST(RackReader, WithoutAMarkA1ComesFromTheHintNeverFromAGuess) {
  RackPictureSpec spec = Rack(8, 12, 51);
  spec.orientation_mark = false;
  spec.skew_degrees = -2;
  // Straight or turned, a rack without a visible mark is never read by guessing.
  EXPECT_STATUS(ReadRack(DrawRack(spec), {8, 12, false}), absl::StatusCode::kInvalidArgument,
                "cannot tell where A1 is");
  for (auto [rotation, corner] : {std::pair{0, A1Corner::kTopLeft}, {90, A1Corner::kTopRight},
                                  {180, A1Corner::kBottomRight}, {270, A1Corner::kBottomLeft}}) {
    SCOPED_TRACE(absl::StrCat("rotated ", rotation));
    spec.rotation_degrees = rotation;
    auto reading = ReadRack(DrawRack(spec), {8, 12, false, corner});
    ASSERT_OK(reading);
    EXPECT_FALSE(reading->orientation_mark_seen);
    EXPECT_EQ(reading->rotation_degrees, rotation);
    EXPECT_NE(reading->a1_decided_by.find("a1_corner"), std::string::npos);
    const Tally t = Check(spec, *reading);
    EXPECT_EQ(t.wrong, 0) << t.wrong_detail;
    EXPECT_EQ(t.read, t.tubes);
  }
}

TEST(RackReader, AHintThatContradictsTheMarkIsRefused) {
  RackPictureSpec spec = Rack(8, 12, 52);
  spec.rotation_degrees = 180;
  const GrayImage picture = DrawRack(spec);
  EXPECT_STATUS(ReadRack(picture, {8, 12, false, A1Corner::kTopLeft}),
                absl::StatusCode::kInvalidArgument, "chamfered A1 corner is elsewhere");
  auto reading = ReadRack(picture, {8, 12, false, A1Corner::kBottomRight});
  ASSERT_OK(reading);
  EXPECT_TRUE(reading->orientation_mark_seen);
  EXPECT_EQ(reading->rotation_degrees, 180);
}

TEST(RackReader, AnEmptyEdgeColumnIsToldByItsHoles) {
  // No code in column 12 nor in row H: the rack's extent comes from the holes there.
  for (int rotation : {0, 90}) {
    SCOPED_TRACE(absl::StrCat("rotated ", rotation));
    RackPictureSpec spec = Rack(8, 12, 53 + rotation);
    for (int row = 0; row < 8; ++row) spec.codes[row * 12 + 11].clear();
    for (int column = 0; column < 12; ++column) spec.codes[7 * 12 + column].clear();
    spec.rotation_degrees = rotation;
    spec.skew_degrees = 3;
    auto reading = ReadRack(DrawRack(spec), {8, 12, false});
    ASSERT_OK(reading);
    const Tally t = Check(spec, *reading);
    EXPECT_EQ(t.wrong, 0) << t.wrong_detail;
    EXPECT_EQ(t.read, t.tubes);
    EXPECT_EQ(t.empty_right, t.empties);
  }
}

TEST(RackReader, AnyPitchFromFiftyToThreeHundredPixels) {
  for (double pitch : {50.0, 75.0, 140.0, 300.0}) {
    SCOPED_TRACE(absl::StrCat("pitch ", pitch));
    RackPictureSpec spec = Rack(8, 12, 70 + static_cast<uint32_t>(pitch));
    spec.pitch_px = pitch;
    spec.rotation_degrees = 270;
    spec.skew_degrees = 7.5;
    spec.blur_sigma_px = 0.5;
    spec.noise_sd = 3;
    auto reading = ReadRack(DrawRack(spec), {8, 12, false});
    ASSERT_OK(reading);
    EXPECT_EQ(reading->rotation_degrees, 270);
    EXPECT_NEAR(reading->pitch_px, pitch, 0.05 * pitch);
    const Tally t = Check(spec, *reading);
    EXPECT_EQ(t.wrong, 0) << t.wrong_detail;
    EXPECT_EQ(t.read, t.tubes);
    EXPECT_EQ(t.empty_right, t.empties);
  }
}

// Long codes make dense symbols: on a large picture, which the reader reduces to keep its cost
// down, their modules survive only at the picture's own resolution, turned along their edges.
TEST(RackReader, DenseSymbolsOnALargePictureAreReadAtItsOwnResolution) {
  RackPictureSpec spec = Rack(8, 12, 91);
  for (std::string& code : spec.codes) {
    // 90 digits: symbols of about 2.5 px modules, 1.3 px once the picture is halved.
    if (!code.empty()) code = absl::StrCat(code, code, code, code, code, code, code, code, code);
  }
  spec.pitch_px = 300;
  spec.rotation_degrees = 90;
  spec.skew_degrees = 3;
  spec.noise_sd = 2;
  auto reading = ReadRack(DrawRack(spec), {8, 12, false});
  ASSERT_OK(reading);
  const Tally t = Check(spec, *reading);
  EXPECT_EQ(t.wrong, 0) << t.wrong_detail;
  EXPECT_GE(t.read, t.tubes * 9 / 10);  // 87 of 90 (27 on the halved picture alone)
  EXPECT_EQ(t.empty_right, t.empties);
}

// A blurred 300 px-pitch picture whose texture repeats every other well both ways: the codes
// halve one step, and the nodes halfway along the other show that it must be halved too
// (before, the rack's edge could not be told and the picture was refused).
TEST(RackReader, ALatticeOfEveryOtherWellIsHalvedByTheCodes) {
  const RackPictureSpec spec = lims::testing::SweepSpecs("hard", 300, 0, 1, 21).at(0);
  auto reading = ReadRack(DrawRack(spec), {8, 12, spec.bottom_view});
  ASSERT_OK(reading);
  EXPECT_NEAR(reading->pitch_px, 300, 15);
  const Tally t = Check(spec, *reading);
  EXPECT_EQ(t.wrong, 0) << t.wrong_detail;
  EXPECT_GE(t.read, t.tubes - 2);
  EXPECT_EQ(t.empty_right, t.empties);
}

TEST(RackReader, AWrongLayoutIsRefusedRatherThanMisread) {
  const GrayImage sbs = DrawRack(Rack(8, 12, 61));
  for (auto [rows, columns] : {std::pair{8, 11}, {7, 12}, {9, 9}, {10, 10}}) {
    SCOPED_TRACE(absl::StrCat(rows, " x ", columns));
    EXPECT_STATUS(Read(sbs, rows, columns), absl::StatusCode::kInvalidArgument,
                  "more than a rack of");
  }
  // A larger layout than the rack: its wells would be where the plate is flat.
  EXPECT_STATUS(Read(sbs, 16, 24), absl::StatusCode::kInvalidArgument, "rack's edge");
  // Rows and columns swapped: the grid fits, A1's corner says otherwise.
  EXPECT_STATUS(Read(sbs, 12, 8), absl::StatusCode::kInvalidArgument, "12 wells in a row");
  const GrayImage box = DrawRack(Rack(10, 10, 62));
  EXPECT_STATUS_CODE(Read(box, 9, 9), absl::StatusCode::kInvalidArgument);
  EXPECT_STATUS_CODE(Read(box, 8, 12), absl::StatusCode::kInvalidArgument);
}

TEST(RackReader, APictureWithoutARackIsRefused) {
  const GrayImage flat{640, 480, std::vector<uint8_t>(640 * 480, 128)};
  EXPECT_STATUS(Read(flat, 8, 12), absl::StatusCode::kInvalidArgument, "no rows of wells");
  const GrayImage tiny{10, 10, std::vector<uint8_t>(100, 200)};
  EXPECT_STATUS_CODE(Read(tiny, 8, 12), absl::StatusCode::kInvalidArgument);
  EXPECT_STATUS_CODE(Read(flat, 0, 12), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace lims::scanning
