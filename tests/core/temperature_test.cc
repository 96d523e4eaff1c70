#include "lims/core/temperature.h"

#include <gtest/gtest.h>

namespace lims {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1'780'000'000);

std::vector<Reading> Minutes(const std::vector<double>& values) {
  std::vector<Reading> out;
  for (size_t i = 0; i < values.size(); ++i) out.push_back({kT0 + absl::Minutes(i), values[i]});
  return out;
}

Climate Freezer() {
  Climate c;
  c.set_point = -80;
  c.alarm_low = -95;
  c.alarm_high = -70;
  c.probe_id = "F1";
  return c;
}

TEST(TemperatureTest, AWarmingFreezer_OneClosedExcursionWithPeakMinutesAndDegreeMinutes) {
  const auto spans = FindExcursions(Minutes({-80, -75, -69, -65, -60, -68, -72, -80}), Freezer());
  ASSERT_EQ(spans.size(), 1u);
  const ExcursionSpan& e = spans[0];
  EXPECT_EQ(e.side, ExcursionSide::kHigh);
  EXPECT_EQ(e.start, kT0 + absl::Minutes(2));
  ASSERT_TRUE(e.end.has_value());
  EXPECT_EQ(*e.end, kT0 + absl::Minutes(6));  // the first reading back under -70
  EXPECT_DOUBLE_EQ(e.minutes_beyond, 4);
  EXPECT_DOUBLE_EQ(e.peak, -60);
  EXPECT_EQ(e.peak_at, kT0 + absl::Minutes(4));
  EXPECT_DOUBLE_EQ(e.degree_minutes, 1 + 5 + 10 + 2);  // each reading held one minute
}

TEST(TemperatureTest, StillBeyondAtTheLastReading_IsOpen_AndLowSideIsFound) {
  auto spans = FindExcursions(Minutes({-80, -69, -50}), Freezer());
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_FALSE(spans[0].end.has_value());
  EXPECT_DOUBLE_EQ(spans[0].minutes_beyond, 1);
  EXPECT_EQ(spans[0].last_reading, kT0 + absl::Minutes(2));
  spans = FindExcursions(Minutes({-80, -96, -99, -80, -96}), Freezer());
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].side, ExcursionSide::kLow);
  EXPECT_DOUBLE_EQ(spans[0].peak, -99);
  EXPECT_TRUE(spans[0].end.has_value());
  EXPECT_FALSE(spans[1].end.has_value());
}

TEST(TemperatureTest, NoThresholds_NoExcursions_AndOnTheThresholdIsWithin) {
  Climate none;
  EXPECT_TRUE(FindExcursions(Minutes({-10, 40}), none).empty());
  EXPECT_TRUE(FindExcursions(Minutes({-70, -70}), Freezer()).empty());
}

TEST(TemperatureTest, Climate_IsChecked) {
  Climate c = Freezer();
  EXPECT_TRUE(CheckClimate(c).ok());
  c.alarm_low = -60;
  EXPECT_FALSE(CheckClimate(c).ok());  // low above high
  c = Freezer();
  c.set_point = -65;
  EXPECT_FALSE(CheckClimate(c).ok());  // set point outside its band
  c = Freezer();
  c.alarm_high = -300;
  EXPECT_FALSE(CheckClimate(c).ok());
  c = Freezer();
  c.probe_id = "F1\n";
  EXPECT_FALSE(CheckClimate(c).ok());
  EXPECT_EQ(*ParseUnitState("backup"), UnitState::kBackup);
  EXPECT_FALSE(ParseUnitState("broken").ok());
}

TEST(TemperatureTest, Overlap_OfIntervalsWithOpenEnds) {
  const absl::Time now = kT0 + absl::Hours(10);
  EXPECT_DOUBLE_EQ(
      OverlapMinutes(kT0, kT0 + absl::Minutes(30), kT0 + absl::Minutes(10), std::nullopt, now), 20);
  EXPECT_DOUBLE_EQ(
      OverlapMinutes(kT0, kT0 + absl::Minutes(5), kT0 + absl::Minutes(10), std::nullopt, now), 0);
  EXPECT_DOUBLE_EQ(OverlapMinutes(kT0, std::nullopt, kT0, std::nullopt, now), 600);
}

}  // namespace
}  // namespace lims
