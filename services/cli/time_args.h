// Calendar dates ("2026-03-01") and collection times ("2026-03-01T09:30", RFC 3339 with a zone,
// or local time) as typed on the command line, and their display in local time.
#ifndef LIMS_CLI_TIME_ARGS_H_
#define LIMS_CLI_TIME_ARGS_H_

#include <google/protobuf/timestamp.pb.h>

#include <optional>
#include <string>
#include <string_view>

#include "absl/time/civil_time.h"
#include "lims/core/timepoint_window.h"

namespace lims::cli {

// Calendar dates: lims-core's ParseIsoDate / FormatIsoDate (timepoint_window.h).

// "2026-03-01T09:30:00Z", "2026-03-01T09:30+01:00", "2026-03-01T09:30" or "2026-03-01 09:30"
// (local time zone), seconds optional. CliError (usage) naming `option` otherwise.
google::protobuf::Timestamp ParseTimeArg(std::string_view text, const std::string& option);
google::protobuf::Timestamp NowTimestamp();

// A window bound as typed: a date (its local midnight) or a time; "" leaves `timestamp` unset.
void ParseBound(const std::string& text, const char* option,
                google::protobuf::Timestamp* timestamp);

// "2026-03-01 09:30 CET" in the local time zone; "" when unset.
std::string FormatTimestamp(const google::protobuf::Timestamp& timestamp);

}  // namespace lims::cli

#endif  // LIMS_CLI_TIME_ARGS_H_
