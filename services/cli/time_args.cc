#include "time_args.h"

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace lims::cli {
namespace {

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  google::protobuf::Timestamp out;
  const int64_t seconds = absl::ToUnixSeconds(time);
  out.set_seconds(seconds);
  out.set_nanos(
      static_cast<int32_t>((time - absl::FromUnixSeconds(seconds)) / absl::Nanoseconds(1)));
  return out;
}

}  // namespace

std::optional<absl::CivilDay> ParseIsoDate(std::string_view text) {
  // Exactly YYYY-MM-DD, and a date that exists (no 2026-02-30).
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !IsDigits(text.substr(0, 4)) ||
      !IsDigits(text.substr(5, 2)) || !IsDigits(text.substr(8, 2))) {
    return std::nullopt;
  }
  const int year = std::stoi(std::string(text.substr(0, 4)));
  const int month = std::stoi(std::string(text.substr(5, 2)));
  const int day = std::stoi(std::string(text.substr(8, 2)));
  const absl::CivilDay civil(year, month, day);
  if (civil.year() != year || civil.month() != month || civil.day() != day) return std::nullopt;
  return civil;
}

std::string FormatIsoDate(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

bool ParseTimeArg(std::string_view text, google::protobuf::Timestamp* timestamp,
                  std::string* error) {
  std::string input(text);
  if (input.size() > 10 && input[10] == ' ') input[10] = 'T';
  absl::Time time;
  std::string ignored;
  // With an explicit zone (Z or ±hh:mm).
  for (const char* format : {"%Y-%m-%dT%H:%M:%E*S%Ez", "%Y-%m-%dT%H:%M%Ez"}) {
    if (absl::ParseTime(format, input, &time, &ignored)) {
      *timestamp = ToTimestamp(time);
      return true;
    }
  }
  // Without a zone: local time.
  for (const char* format : {"%Y-%m-%dT%H:%M:%E*S", "%Y-%m-%dT%H:%M"}) {
    if (absl::ParseTime(format, input, absl::LocalTimeZone(), &time, &ignored)) {
      *timestamp = ToTimestamp(time);
      return true;
    }
  }
  if (ParseIsoDate(input)) {
    *error = "\"" + std::string(text) + "\" has no time of day; write e.g. " + input + "T09:30";
  } else {
    *error = "\"" + std::string(text) +
             "\" is not a date and time; write e.g. 2026-03-01T09:30 (local time) or "
             "2026-03-01T08:30:00Z";
  }
  return false;
}

google::protobuf::Timestamp NowTimestamp() { return ToTimestamp(absl::Now()); }

std::string FormatTimestamp(const google::protobuf::Timestamp& timestamp) {
  if (timestamp.seconds() == 0 && timestamp.nanos() == 0) return "";
  const absl::Time time =
      absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
  return absl::FormatTime("%Y-%m-%d %H:%M %Z", time, absl::LocalTimeZone());
}

}  // namespace lims::cli
