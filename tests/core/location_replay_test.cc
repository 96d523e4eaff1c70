#include "lims/core/location_replay.h"

#include <gtest/gtest.h>

namespace lims {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1'700'000'000);
absl::Time H(int hours) { return kT0 + absl::Hours(hours); }

TEST(LocationReplayTest, PlacedMovedTakenOutAndBack_FourStaysWithTheirEnds) {
  const std::vector<RecordedPlace> records = {
      {H(0), std::nullopt},     // collected, not stored
      {H(1), WellPlace{7, 1}},  // placed in box 7 at A1
      {H(2), WellPlace{7, 1}},  // its box moved: the same stay
      {H(3), WellPlace{9, 5}},  // moved to box 9
      {H(4), std::nullopt},     // checked out
      {H(5), WellPlace{9, 5}},  // returned
  };
  const auto stays = ReplayStays(records);
  ASSERT_EQ(stays.size(), 3u);
  EXPECT_EQ(stays[0].place, (WellPlace{7, 1}));
  EXPECT_EQ(stays[0].from, H(1));
  EXPECT_EQ(stays[0].to, H(3));
  EXPECT_EQ(stays[1].place, (WellPlace{9, 5}));
  EXPECT_EQ(stays[1].to, H(4));
  EXPECT_EQ(stays[2].from, H(5));
  EXPECT_FALSE(stays[2].to.has_value());
}

TEST(LocationReplayTest, NothingButOutOfStorage_NoStay) {
  EXPECT_TRUE(ReplayStays({{H(0), std::nullopt}, {H(1), std::nullopt}}).empty());
  EXPECT_TRUE(ReplayStays({}).empty());
}

TEST(LocationReplayTest, StaysBefore_KeepsTheOlderOnes_AndLeavesTheKnownStayAlone) {
  const auto stays = ReplayStays({{H(1), WellPlace{7, 1}}, {H(3), WellPlace{9, 5}}});
  // The history already holds the stay in box 9 from (about) the same moment.
  auto older = StaysBefore(stays, H(3) + absl::Microseconds(40), WellPlace{9, 5});
  ASSERT_EQ(older.size(), 1u);
  EXPECT_EQ(older[0].place, (WellPlace{7, 1}));
  EXPECT_EQ(older[0].to, H(3));

  // A known stay that began before the records say: nothing older to add.
  EXPECT_TRUE(StaysBefore(stays, H(0), WellPlace{9, 5}).empty());

  // Records that disagree with the known stay: the older stay ends where the known one begins.
  older = StaysBefore(stays, H(2), WellPlace{4, 4});
  ASSERT_EQ(older.size(), 1u);
  EXPECT_EQ(older[0].to, H(2));
}

}  // namespace
}  // namespace lims
