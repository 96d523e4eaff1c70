#include "lims/core/timepoint_window.h"

#include <string>

#include "gtest/gtest.h"
#include "status_matchers.h"

namespace lims {
namespace {

constexpr absl::StatusCode kInvalid = absl::StatusCode::kInvalidArgument;

absl::CivilDay Day(int y, int m, int d) { return absl::CivilDay(y, m, d); }

TEST(ParseIsoDate, ValidDate_ReturnsDay) {
  absl::StatusOr<absl::CivilDay> day = ParseIsoDate("2026-03-14");
  ASSERT_OK(day);
  EXPECT_EQ(*day, Day(2026, 3, 14));
}

TEST(ParseIsoDate, LeapDay_AcceptedInLeapYearsOnly) {
  EXPECT_OK(ParseIsoDate("2024-02-29"));
  EXPECT_OK(ParseIsoDate("2000-02-29"));  // divisible by 400
  EXPECT_STATUS(ParseIsoDate("2026-02-29"), kInvalid, "does not exist");
  EXPECT_STATUS_CODE(ParseIsoDate("1900-02-29"), kInvalid);  // divisible by 100
}

TEST(ParseIsoDate, ImpossibleDates_InvalidArgumentNotRolledOver) {
  EXPECT_STATUS(ParseIsoDate("2026-02-30"), kInvalid, "YYYY-MM-DD");
  EXPECT_STATUS_CODE(ParseIsoDate("2026-04-31"), kInvalid);
  EXPECT_STATUS_CODE(ParseIsoDate("2026-13-01"), kInvalid);
  EXPECT_STATUS_CODE(ParseIsoDate("2026-00-10"), kInvalid);
  EXPECT_STATUS_CODE(ParseIsoDate("2026-01-00"), kInvalid);
  EXPECT_STATUS_CODE(ParseIsoDate("2026-01-32"), kInvalid);
}

TEST(ParseIsoDate, OtherFormats_InvalidArgumentNamingFormat) {
  EXPECT_STATUS(ParseIsoDate("14/03/2026"), kInvalid, "not in the format YYYY-MM-DD");
  EXPECT_STATUS_CODE(ParseIsoDate(""), kInvalid);
  EXPECT_STATUS_CODE(ParseIsoDate("2026-3-14"), kInvalid);
  EXPECT_STATUS_CODE(ParseIsoDate("2026-03-14T10:00"), kInvalid);
  EXPECT_STATUS_CODE(ParseIsoDate(" 2026-03-14"), kInvalid);
  EXPECT_STATUS_CODE(ParseIsoDate("2026/03/14"), kInvalid);
  EXPECT_STATUS_CODE(ParseIsoDate("+026-03-14"), kInvalid);
  EXPECT_STATUS_CODE(ParseIsoDate("2026-03-1a"), kInvalid);
}

TEST(FormatIsoDate, Day_ZeroPadded) {
  EXPECT_EQ(FormatIsoDate(Day(2026, 3, 4)), "2026-03-04");
  EXPECT_EQ(FormatIsoDate(Day(999, 12, 31)), "0999-12-31");
}

TEST(FormatIsoDate, ParsedDate_RoundTrips) {
  for (const char* text : {"2026-01-01", "2024-02-29", "1999-12-31"}) {
    absl::StatusOr<absl::CivilDay> day = ParseIsoDate(text);
    ASSERT_OK(day);
    EXPECT_EQ(FormatIsoDate(*day), text);
  }
}

TEST(ComputeWindow, Month3WithWeekWindow_DueAndBounds) {
  const TimepointWindow w = ComputeWindow(Day(2026, 1, 15), 90, 7, 14);
  EXPECT_EQ(w.due, Day(2026, 4, 15));
  EXPECT_EQ(w.earliest, Day(2026, 4, 8));
  EXPECT_EQ(w.latest, Day(2026, 4, 29));
}

TEST(ComputeWindow, AcrossLeapDay_CountsFebruary29) {
  const TimepointWindow w = ComputeWindow(Day(2024, 2, 28), 1, 0, 1);
  EXPECT_EQ(w.due, Day(2024, 2, 29));
  EXPECT_EQ(w.latest, Day(2024, 3, 1));
  EXPECT_EQ(ComputeWindow(Day(2026, 2, 28), 1, 0, 0).due, Day(2026, 3, 1));
}

TEST(ComputeWindow, BaselineBeforeAnchor_NegativeOffset) {
  const TimepointWindow w = ComputeWindow(Day(2026, 1, 10), -14, 14, 0);
  EXPECT_EQ(w.due, Day(2025, 12, 27));
  EXPECT_EQ(w.earliest, Day(2025, 12, 13));
  EXPECT_EQ(w.latest, Day(2025, 12, 27));
}

TEST(ComputeWindow, ZeroWidth_SingleDay) {
  const TimepointWindow w = ComputeWindow(Day(2026, 1, 10), 0, 0, 0);
  EXPECT_EQ(w.earliest, w.due);
  EXPECT_EQ(w.latest, w.due);
}

TEST(WindowOffsetDays, InsideOrOnBounds_Zero) {
  const TimepointWindow w = ComputeWindow(Day(2026, 1, 15), 90, 7, 14);
  EXPECT_EQ(WindowOffsetDays(w, w.due), 0);
  EXPECT_EQ(WindowOffsetDays(w, w.earliest), 0);
  EXPECT_EQ(WindowOffsetDays(w, w.latest), 0);
}

TEST(WindowOffsetDays, Early_NegativeDaysBeforeEarliest) {
  const TimepointWindow w = ComputeWindow(Day(2026, 1, 15), 90, 7, 14);
  EXPECT_EQ(WindowOffsetDays(w, Day(2026, 4, 7)), -1);
  EXPECT_EQ(WindowOffsetDays(w, Day(2026, 3, 29)), -10);
}

TEST(WindowOffsetDays, Late_PositiveDaysAfterLatest) {
  const TimepointWindow w = ComputeWindow(Day(2026, 1, 15), 90, 7, 14);
  EXPECT_EQ(WindowOffsetDays(w, Day(2026, 4, 30)), 1);
  EXPECT_EQ(WindowOffsetDays(w, Day(2026, 5, 29)), 30);
}

TEST(ValidateTimepointCode, TypicalCodes_Ok) {
  for (const char* code : {"BASELINE", "D0", "D7", "M3", "M12", "PRE_INFUSION", "D-7", "X"}) {
    EXPECT_OK(ValidateTimepointCode(code)) << code;
  }
  EXPECT_OK(ValidateTimepointCode(std::string(32, 'A')));
}

TEST(ValidateTimepointCode, EmptyTooLongOrBadCharacters_InvalidArgument) {
  EXPECT_STATUS(ValidateTimepointCode(""), kInvalid, "1 to 32 characters");
  EXPECT_STATUS_CODE(ValidateTimepointCode(std::string(33, 'A')), kInvalid);
  EXPECT_STATUS_CODE(ValidateTimepointCode("m3"), kInvalid);
  EXPECT_STATUS_CODE(ValidateTimepointCode("M 3"), kInvalid);
  EXPECT_STATUS_CODE(ValidateTimepointCode("M3."), kInvalid);
}

TEST(ValidateWindow, WithinTenYears_Ok) {
  EXPECT_OK(ValidateWindow(0, 0));
  EXPECT_OK(ValidateWindow(7, 14));
  EXPECT_OK(ValidateWindow(3650, 3650));
}

TEST(ValidateWindow, NegativeOrTooWide_InvalidArgumentNamingSide) {
  EXPECT_STATUS(ValidateWindow(-1, 0), kInvalid, "window before the due date");
  EXPECT_STATUS(ValidateWindow(0, -1), kInvalid, "window after the due date");
  EXPECT_STATUS(ValidateWindow(3651, 0), kInvalid, "between 0 and 3650 days");
  EXPECT_STATUS_CODE(ValidateWindow(0, 3651), kInvalid);
}

}  // namespace
}  // namespace lims
