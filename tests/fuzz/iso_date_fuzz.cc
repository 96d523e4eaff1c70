// Fuzz target: ISO dates (ParseIsoDate / FormatIsoDate in lims/core/timepoint_window.h).
// Input: any bytes, read (1) as a date text and (2) as a day number picking a date in
// 0000-01-01..9999-12-31.
// Properties:
//  - ParseIsoDate accepts only what FormatIsoDate of the parsed day reproduces byte for byte
//    (strict YYYY-MM-DD, no calendar roll-over: 2026-02-30 is refused);
//  - conversely every text of the YYYY-MM-DD shape that names a real calendar day is accepted;
//  - every day of years 0000..9999 formats and parses back to itself.
// fuzz-options: -max_len=32
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "fuzz_support.h"
#include "lims/core/timepoint_window.h"

namespace {

using lims::fuzz::AllDigits;
using lims::fuzz::Escaped;

constexpr int64_t kDaysIn0000To9999 = 3652425;  // 10000 years of 365.2425 days

bool DateShaped(std::string_view s) {
  return s.size() == 10 && s[4] == '-' && s[7] == '-' && AllDigits(s.substr(0, 4)) &&
         AllDigits(s.substr(5, 2)) && AllDigits(s.substr(8, 2));
}

// The real calendar day a YYYY-MM-DD text names, if there is one.
bool NamesRealDay(std::string_view s) {
  const int year = std::stoi(std::string(s.substr(0, 4)));
  const int month = std::stoi(std::string(s.substr(5, 2)));
  const int day = std::stoi(std::string(s.substr(8, 2)));
  if (month < 1 || month > 12 || day < 1) return false;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const absl::StatusOr<absl::CivilDay> parsed = lims::ParseIsoDate(text);
  const bool expected = DateShaped(text) && NamesRealDay(text);
  FUZZ_CHECK(parsed.ok() == expected,
             "ParseIsoDate(" + Escaped(text) + "): " + parsed.status().ToString());
  if (parsed.ok()) {
    const std::string formatted = lims::FormatIsoDate(*parsed);
    FUZZ_CHECK(formatted == text, "ParseIsoDate(" + Escaped(text) + ") formats back as " +
                                      Escaped(formatted));
  } else {
    FUZZ_CHECK(parsed.status().code() == absl::StatusCode::kInvalidArgument,
               parsed.status().ToString());
  }

  lims::fuzz::ByteReader bytes(data, size);
  const absl::CivilDay day = absl::CivilDay(0, 1, 1) + bytes.U32() % kDaysIn0000To9999;
  const std::string formatted = lims::FormatIsoDate(day);
  const absl::StatusOr<absl::CivilDay> back = lims::ParseIsoDate(formatted);
  FUZZ_CHECK(DateShaped(formatted) && back.ok() && *back == day,
             "day " + std::to_string(day.year()) + "/" + std::to_string(day.month()) + "/" +
                 std::to_string(day.day()) + " formats as " + Escaped(formatted) +
                 ", which does not parse back");
  return 0;
}
