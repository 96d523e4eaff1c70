// Calendar dates ("2026-03-01") and collection times ("2026-03-01T09:30", RFC 3339 with a zone,
// or local time) as typed on the command line, and their display in local time.
#ifndef LIMS_CLI_TIME_ARGS_H_
#define LIMS_CLI_TIME_ARGS_H_

#include <google/protobuf/timestamp.pb.h>

#include <optional>
#include <string>
#include <string_view>

#include "absl/time/civil_time.h"

namespace lims::cli {

// A valid calendar date written YYYY-MM-DD, or nullopt.
std::optional<absl::CivilDay> ParseIsoDate(std::string_view text);
std::string FormatIsoDate(absl::CivilDay day);

// "2026-03-01T09:30:00Z", "2026-03-01T09:30+01:00", "2026-03-01T09:30" or "2026-03-01 09:30"
// (local time zone), seconds optional. Returns false and sets *error otherwise.
bool ParseTimeArg(std::string_view text, google::protobuf::Timestamp* timestamp,
                  std::string* error);
google::protobuf::Timestamp NowTimestamp();

// "2026-03-01 09:30 CET" in the local time zone; "" when unset.
std::string FormatTimestamp(const google::protobuf::Timestamp& timestamp);

}  // namespace lims::cli

#endif  // LIMS_CLI_TIME_ARGS_H_
