#include "lims/core/timepoint_window.h"

#include "absl/strings/str_format.h"
#include "text.h"

namespace lims {
namespace {

constexpr size_t kMaxTimepointCodeLength = 32;
constexpr int kMaxWindowDays = 3650;  // ten years

int ToInt(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

absl::Status CheckWindowSide(std::string_view side, int days) {
  if (days < 0 || days > kMaxWindowDays) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "window %s must be between 0 and %d days, got %d", side, kMaxWindowDays, days));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<absl::CivilDay> ParseIsoDate(std::string_view text) {
  const bool shaped = text.size() == 10 && text[4] == '-' && text[7] == '-' &&
                      text::AllDigits(text.substr(0, 4)) &&
                      text::AllDigits(text.substr(5, 2)) && text::AllDigits(text.substr(8, 2));
  if (!shaped) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "date %s is not in the format YYYY-MM-DD (e.g. 2026-03-14)", text::Quoted(text)));
  }
  const int year = ToInt(text.substr(0, 4));
  const int month = ToInt(text.substr(5, 2));
  const int day = ToInt(text.substr(8, 2));
  // CivilDay normalises (2026-02-30 becomes 2026-03-02): a date is real only if it round-trips.
  const absl::CivilDay parsed(year, month, day);
  if (parsed.year() != year || parsed.month() != month || parsed.day() != day) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "date %s does not exist in the calendar; check the day and month (format YYYY-MM-DD)",
        text::Quoted(text)));
  }
  return parsed;
}

std::string FormatIsoDate(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

TimepointWindow ComputeWindow(absl::CivilDay anchor, int offset_days, int window_before_days,
                              int window_after_days) {
  TimepointWindow w;
  w.due = anchor + offset_days;
  w.earliest = w.due - window_before_days;
  w.latest = w.due + window_after_days;
  return w;
}

int WindowOffsetDays(const TimepointWindow& w, absl::CivilDay collected) {
  if (collected < w.earliest) return static_cast<int>(collected - w.earliest);
  if (collected > w.latest) return static_cast<int>(collected - w.latest);
  return 0;
}

absl::Status ValidateTimepointCode(std::string_view code) {
  bool ok = !code.empty() && code.size() <= kMaxTimepointCodeLength;
  for (char c : code) {
    ok = ok && (text::IsUpper(c) || text::IsDigit(c) || c == '_' || c == '-');
  }
  if (!ok) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "timepoint code %s is not valid; use 1 to %d characters A-Z, 0-9, _ or -, e.g. "
        "BASELINE, D0, M3",
        text::Quoted(code), kMaxTimepointCodeLength));
  }
  return absl::OkStatus();
}

absl::Status ValidateWindow(int before, int after) {
  if (absl::Status s = CheckWindowSide("before the due date", before); !s.ok()) return s;
  return CheckWindowSide("after the due date", after);
}

}  // namespace lims
