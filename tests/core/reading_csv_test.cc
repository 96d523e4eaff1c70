#include "lims/core/reading_csv.h"

#include <gtest/gtest.h>

namespace lims {
namespace {

absl::TimeZone Paris() {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone("Europe/Paris", &zone));
  return zone;
}

TEST(ReadingCsvTest, IsoTimes_WithAndWithoutOffset) {
  const auto parsed = ParseReadingsCsv(
      "time,probe_id,celsius\n2026-03-01T02:15:00Z,F1,-79.5\n2026-03-01 03:15,F1,-78\n", Paris());
  ASSERT_TRUE(parsed.errors.empty()) << parsed.errors[0].message;
  ASSERT_EQ(parsed.readings.size(), 2u);
  EXPECT_EQ(parsed.readings[0].at, absl::FromUnixSeconds(1772331300));
  EXPECT_DOUBLE_EQ(parsed.readings[0].celsius, -79.5);
  // 03:15 in Paris (UTC+1 in March before the change) is 02:15 UTC.
  EXPECT_EQ(parsed.readings[1].at, absl::FromUnixSeconds(1772331300));
}

TEST(ReadingCsvTest, EuropeanExport_SemicolonsDecimalCommaDayFirstExtraColumns) {
  const auto parsed = ParseReadingsCsv(
      "\xEF\xBB\xBFSensor;Date;Temperature;Alarm\r\nULT-3;01/07/2026 00:05;-80,4;no\r\n"
      "ULT-3;01/07/2026 00:06;-79,9;no\r\n",
      Paris());
  ASSERT_TRUE(parsed.errors.empty()) << parsed.errors[0].message;
  ASSERT_EQ(parsed.readings.size(), 2u);
  EXPECT_EQ(parsed.readings[0].probe_id, "ULT-3");
  EXPECT_DOUBLE_EQ(parsed.readings[0].celsius, -80.4);
  // 1 July 00:05 in Paris (UTC+2) is 30 June 22:05 UTC.
  EXPECT_EQ(absl::FormatTime("%Y-%m-%d %H:%M", parsed.readings[0].at, absl::UTCTimeZone()),
            "2026-06-30 22:05");
}

TEST(ReadingCsvTest, EveryBadLine_IsNamedWithWhatToFix) {
  const auto parsed = ParseReadingsCsv(
      "time,probe_id,celsius\n2026-03-01T02:15Z,F1,warm\nyesterday,F1,-80\n2026-03-01T02:16Z,,"
      "-80\n2026-03-01T02:17Z,F1\n2026-03-01T02:18Z,F1,-80\n",
      absl::UTCTimeZone());
  ASSERT_EQ(parsed.errors.size(), 4u);
  EXPECT_EQ(parsed.errors[0].line, 2);
  EXPECT_NE(parsed.errors[0].message.find("temperature"), std::string::npos);
  EXPECT_EQ(parsed.errors[1].line, 3);
  EXPECT_NE(parsed.errors[1].message.find("not a time"), std::string::npos);
  EXPECT_EQ(parsed.errors[2].line, 4);
  EXPECT_EQ(parsed.errors[3].line, 5);
  EXPECT_EQ(parsed.readings.size(), 1u);
}

TEST(ReadingCsvTest, AHeaderWithoutTheColumns_OrNothing_IsOneError) {
  auto parsed = ParseReadingsCsv("when,where\n1,2\n", absl::UTCTimeZone());
  ASSERT_EQ(parsed.errors.size(), 1u);
  EXPECT_NE(parsed.errors[0].message.find("time, probe_id, celsius"), std::string::npos);
  parsed = ParseReadingsCsv("", absl::UTCTimeZone());
  ASSERT_EQ(parsed.errors.size(), 1u);
  EXPECT_EQ(parsed.errors[0].line, 1);
}

// Bytes no export would write never crash the reader and never become readings silently.
TEST(ReadingCsvTest, Garbage_IsErrorsNotReadings) {
  std::string text = "time,probe,celsius\n";
  uint32_t state = 12345;
  for (int i = 0; i < 20000; ++i) {
    state = state * 1103515245 + 12345;
    text.push_back(static_cast<char>((state >> 16) & 0xff));
  }
  const auto parsed = ParseReadingsCsv(text, absl::UTCTimeZone());
  for (const ProbeReading& r : parsed.readings) EXPECT_FALSE(r.probe_id.empty());
  EXPECT_LE(parsed.errors.size(), 200u);
}

}  // namespace
}  // namespace lims
