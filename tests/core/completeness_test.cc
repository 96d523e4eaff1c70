#include "lims/core/completeness.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace lims {
namespace {

using S = CompletenessStatus;

absl::CivilDay Day(int y, int m, int d) { return absl::CivilDay(y, m, d); }

Timepoint Tp(int offset, int before, int after, std::vector<ExpectedSample> kit = {{"SER", 1}}) {
  Timepoint tp;
  tp.code = "TP";
  tp.offset_days = offset;
  tp.window_before_days = before;
  tp.window_after_days = after;
  tp.expected_samples = std::move(kit);
  return tp;
}

// M3: due anchor + 90 days, window -14/+14. Anchor 2026-01-15 → due 2026-04-15,
// window 2026-04-01 .. 2026-04-29.
const Timepoint kM3 = Tp(90, 14, 14);
const absl::CivilDay kAnchor = Day(2026, 1, 15);

S StatusOn(const Timepoint& tp, absl::CivilDay anchor, absl::CivilDay today,
           const std::vector<CollectedSamples>& collected = {}) {
  return ComputeCompleteness(tp, anchor, collected, today).status;
}

TEST(Completeness, NothingCollected_StatusFollowsTheWindow) {
  CompletenessCell cell = ComputeCompleteness(kM3, kAnchor, {}, Day(2026, 2, 1));
  EXPECT_EQ(cell.status, S::kNotYetDue);
  EXPECT_EQ(cell.expected_count, 1);
  EXPECT_EQ(cell.collected_count, 0);
  EXPECT_EQ(cell.window.due, Day(2026, 4, 15));
  EXPECT_EQ(cell.window.earliest, Day(2026, 4, 1));
  EXPECT_EQ(cell.window.latest, Day(2026, 4, 29));
  EXPECT_EQ(StatusOn(kM3, kAnchor, Day(2026, 4, 15)), S::kDue);
  EXPECT_EQ(StatusOn(kM3, kAnchor, Day(2026, 6, 1)), S::kOverdue);
}

TEST(Completeness, WindowEdges_FirstAndLastDayAreDue_DayBeforeAndAfterAreNot) {
  EXPECT_EQ(StatusOn(kM3, kAnchor, Day(2026, 3, 31)), S::kNotYetDue);  // day before
  EXPECT_EQ(StatusOn(kM3, kAnchor, Day(2026, 4, 1)), S::kDue);         // first day
  EXPECT_EQ(StatusOn(kM3, kAnchor, Day(2026, 4, 29)), S::kDue);        // last day
  EXPECT_EQ(StatusOn(kM3, kAnchor, Day(2026, 4, 30)), S::kOverdue);    // day after
}

TEST(Completeness, ZeroWidthWindow_DueOnlyOnTheDay) {
  const Timepoint d0 = Tp(0, 0, 0);
  EXPECT_EQ(StatusOn(d0, kAnchor, Day(2026, 1, 14)), S::kNotYetDue);
  EXPECT_EQ(StatusOn(d0, kAnchor, Day(2026, 1, 15)), S::kDue);
  EXPECT_EQ(StatusOn(d0, kAnchor, Day(2026, 1, 16)), S::kOverdue);
}

TEST(Completeness, NegativeOffset_BaselineBeforeTheAnchor) {
  const Timepoint baseline = Tp(-14, 14, 0);  // 2025-12-18 .. 2026-01-01
  CompletenessCell cell = ComputeCompleteness(baseline, kAnchor, {}, Day(2026, 1, 1));
  EXPECT_EQ(cell.window.due, Day(2026, 1, 1));
  EXPECT_EQ(cell.window.earliest, Day(2025, 12, 18));
  EXPECT_EQ(cell.status, S::kDue);
  EXPECT_EQ(StatusOn(baseline, kAnchor, Day(2026, 1, 2)), S::kOverdue);
  EXPECT_EQ(StatusOn(baseline, kAnchor, Day(2025, 12, 17)), S::kNotYetDue);
}

TEST(Completeness, LeapYear_Anchor29February_Plus365Days) {
  const Timepoint m12 = Tp(365, 0, 0);
  CompletenessCell cell = ComputeCompleteness(m12, Day(2024, 2, 29), {}, Day(2025, 2, 27));
  EXPECT_EQ(cell.window.due, Day(2025, 2, 28));  // 2025 is not a leap year
  EXPECT_EQ(cell.status, S::kNotYetDue);
  EXPECT_EQ(StatusOn(m12, Day(2024, 2, 29), Day(2025, 2, 28)), S::kDue);
  EXPECT_EQ(StatusOn(m12, Day(2024, 2, 29), Day(2025, 3, 1)), S::kOverdue);
  // Across a leap day: 2024-02-28 + 2 days is 2024-03-01 only through the 29th.
  EXPECT_EQ(ComputeCompleteness(Tp(2, 0, 0), Day(2024, 2, 28), {}, Day(2024, 3, 1)).window.due,
            Day(2024, 3, 1));
  EXPECT_EQ(StatusOn(Tp(1, 0, 0), Day(2024, 2, 28), Day(2024, 2, 29)), S::kDue);
}

TEST(Completeness, MonthEnds_WindowCrossesMonthAndYear) {
  // Anchor 2026-01-31 + 30 days = 2026-03-02 (February has 28 days).
  CompletenessCell cell = ComputeCompleteness(Tp(30, 1, 1), Day(2026, 1, 31), {}, Day(2026, 3, 1));
  EXPECT_EQ(cell.window.due, Day(2026, 3, 2));
  EXPECT_EQ(cell.window.earliest, Day(2026, 3, 1));
  EXPECT_EQ(cell.status, S::kDue);
  EXPECT_EQ(StatusOn(Tp(30, 1, 1), Day(2026, 1, 31), Day(2026, 2, 28)), S::kNotYetDue);
  // A window spanning New Year: due 2026-12-31, window 12-24 .. 2027-01-07.
  const Timepoint year_end = Tp(350, 7, 7);
  EXPECT_EQ(ComputeCompleteness(year_end, kAnchor, {}, kAnchor).window.due, Day(2026, 12, 31));
  EXPECT_EQ(StatusOn(year_end, kAnchor, Day(2027, 1, 7)), S::kDue);
  EXPECT_EQ(StatusOn(year_end, kAnchor, Day(2027, 1, 8)), S::kOverdue);
  // 30 April + 1 is 1 May.
  EXPECT_EQ(ComputeCompleteness(Tp(1, 0, 0), Day(2026, 4, 30), {}, kAnchor).window.due,
            Day(2026, 5, 1));
}

TEST(Completeness, KitCollected_CompleteWhateverTheDate) {
  const std::vector<CollectedSamples> serum = {{"SER", 1}};
  CompletenessCell cell = ComputeCompleteness(kM3, kAnchor, serum, Day(2027, 1, 1));
  EXPECT_EQ(cell.status, S::kComplete);
  EXPECT_EQ(cell.collected_count, 1);
  EXPECT_EQ(StatusOn(kM3, kAnchor, Day(2026, 2, 1), serum), S::kComplete);  // collected early
  EXPECT_EQ(StatusOn(kM3, kAnchor, Day(2026, 4, 10), serum), S::kComplete);
}

TEST(Completeness, KitWithSeveralTypes_OneTypeMissing_IsPartial) {
  const Timepoint tp = Tp(90, 14, 14, {{"SER", 2}, {"PL1", 1}, {"CEL", 1}});
  CompletenessCell cell =
      ComputeCompleteness(tp, kAnchor, {{"SER", 2}, {"PL1", 1}}, Day(2026, 4, 15));
  EXPECT_EQ(cell.status, S::kPartial);
  EXPECT_EQ(cell.expected_count, 4);
  EXPECT_EQ(cell.collected_count, 3);
  // Partial stays partial after the window closed (something was collected).
  EXPECT_EQ(StatusOn(tp, kAnchor, Day(2027, 1, 1), {{"CEL", 1}}), S::kPartial);
  // Fewer tubes of one type than expected: partial too.
  EXPECT_EQ(StatusOn(tp, kAnchor, Day(2026, 4, 15), {{"SER", 1}, {"PL1", 1}, {"CEL", 1}}),
            S::kPartial);
  CompletenessCell full = ComputeCompleteness(
      tp, kAnchor, {{"CEL", 1}, {"SER", 1}, {"PL1", 1}, {"SER", 1}}, Day(2026, 4, 15));
  EXPECT_EQ(full.status, S::kComplete);
  EXPECT_EQ(full.collected_count, 4);
}

TEST(Completeness, ExtraTubesAndOtherTypes_DoNotFillTheKit) {
  const Timepoint tp = Tp(90, 14, 14, {{"SER", 1}, {"PL1", 1}});
  // Five serum tubes cannot stand in for the plasma one.
  CompletenessCell cell = ComputeCompleteness(tp, kAnchor, {{"SER", 5}}, Day(2026, 4, 15));
  EXPECT_EQ(cell.status, S::kPartial);
  EXPECT_EQ(cell.collected_count, 1);
  EXPECT_EQ(cell.expected_count, 2);
  // A type outside the kit counts for nothing: still due / overdue.
  EXPECT_EQ(StatusOn(tp, kAnchor, Day(2026, 4, 15), {{"URN", 3}}), S::kDue);
  EXPECT_EQ(StatusOn(tp, kAnchor, Day(2026, 5, 15), {{"URN", 3}}), S::kOverdue);
  EXPECT_EQ(StatusOn(tp, kAnchor, Day(2026, 4, 15), {{"SER", 0}, {"PL1", -1}}), S::kDue);
}

TEST(Completeness, TimepointWithoutKit_OnePrimarySampleOfAnyType) {
  const Timepoint any = Tp(90, 14, 14, {});
  CompletenessCell none = ComputeCompleteness(any, kAnchor, {}, Day(2026, 4, 15));
  EXPECT_EQ(none.status, S::kDue);
  EXPECT_EQ(none.expected_count, 1);
  EXPECT_EQ(none.collected_count, 0);
  CompletenessCell one = ComputeCompleteness(any, kAnchor, {{"URN", 3}}, Day(2026, 4, 15));
  EXPECT_EQ(one.status, S::kComplete);
  EXPECT_EQ(one.expected_count, 1);
  EXPECT_EQ(one.collected_count, 1);
  EXPECT_EQ(StatusOn(any, kAnchor, Day(2026, 3, 1)), S::kNotYetDue);
  EXPECT_EQ(StatusOn(any, kAnchor, Day(2026, 5, 1)), S::kOverdue);
}

TEST(Completeness, KitNamingATypeTwice_CountsAddUp) {
  const Timepoint tp = Tp(0, 0, 0, {{"SER", 1}, {"SER", 1}});
  EXPECT_EQ(ComputeCompleteness(tp, kAnchor, {}, kAnchor).expected_count, 2);
  EXPECT_EQ(StatusOn(tp, kAnchor, kAnchor, {{"SER", 1}}), S::kPartial);
  EXPECT_EQ(StatusOn(tp, kAnchor, kAnchor, {{"SER", 2}}), S::kComplete);
}

TEST(Completeness, StatusNames) {
  EXPECT_EQ(CompletenessStatusName(S::kComplete), "complete");
  EXPECT_EQ(CompletenessStatusName(S::kPartial), "partial");
  EXPECT_EQ(CompletenessStatusName(S::kDue), "due");
  EXPECT_EQ(CompletenessStatusName(S::kOverdue), "overdue");
  EXPECT_EQ(CompletenessStatusName(S::kNotYetDue), "not yet due");
}

}  // namespace
}  // namespace lims
