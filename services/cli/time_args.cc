#include "time_args.h"

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cli.h"
#include "output.h"

namespace lims::cli {
namespace {

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  google::protobuf::Timestamp out;
  const int64_t seconds = absl::ToUnixSeconds(time);
  out.set_seconds(seconds);
  out.set_nanos(
      static_cast<int32_t>((time - absl::FromUnixSeconds(seconds)) / absl::Nanoseconds(1)));
  return out;
}

}  // namespace

google::protobuf::Timestamp ParseTimeArg(std::string_view text, const std::string& option) {
  std::string input(text);
  if (input.size() > 10 && input[10] == ' ') input[10] = 'T';
  absl::Time time;
  std::string ignored;
  // With an explicit zone (Z or ±hh:mm).
  for (const char* format : {"%Y-%m-%dT%H:%M:%E*S%Ez", "%Y-%m-%dT%H:%M%Ez"}) {
    if (absl::ParseTime(format, input, &time, &ignored)) return ToTimestamp(time);
  }
  // Without a zone: local time.
  for (const char* format : {"%Y-%m-%dT%H:%M:%E*S", "%Y-%m-%dT%H:%M"}) {
    if (absl::ParseTime(format, input, absl::LocalTimeZone(), &time, &ignored)) {
      return ToTimestamp(time);
    }
  }
  if (ParseIsoDate(input).ok()) {
    throw CliError(kExitUsage, option + " \"" + std::string(text) +
                                   "\" has no time of day; write e.g. " + input + "T09:30");
  }
  throw CliError(kExitUsage, option + " \"" + std::string(text) +
                                 "\" is not a date and time; write e.g. 2026-03-01T09:30 (local "
                                 "time) or 2026-03-01T08:30:00Z");
}

google::protobuf::Timestamp NowTimestamp() { return ToTimestamp(absl::Now()); }

std::string FormatTimestamp(const google::protobuf::Timestamp& timestamp) {
  if (timestamp.seconds() == 0 && timestamp.nanos() == 0) return "";
  const absl::Time time =
      absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
  return absl::FormatTime("%Y-%m-%d %H:%M %Z", time, absl::LocalTimeZone());
}

void ParseBound(const std::string& text, const char* option,
                google::protobuf::Timestamp* timestamp) {
  if (text.empty()) return;
  if (auto day = ParseIsoDate(Trim(text)); day.ok()) {
    const absl::Time midnight = absl::FromCivil(*day, absl::LocalTimeZone());
    timestamp->set_seconds(absl::ToUnixSeconds(midnight));
    return;
  }
  *timestamp = ParseTimeArg(Trim(text), option);
}

}  // namespace lims::cli
