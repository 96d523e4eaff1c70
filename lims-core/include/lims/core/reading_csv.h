// Temperature logs as monitoring systems export them: a header line naming at least a time, a
// probe and a temperature column (common names accepted: time/timestamp/date, probe_id/probe/
// sensor, celsius/temperature/value/°C), ',' ';' or tab separated, further columns ignored;
// times in ISO 8601 (with or without an offset) or "dd/mm/yyyy HH:MM[:SS]", those without an
// offset read in the given time zone; a decimal comma accepted. Every bad line is reported with
// its line number and what to fix. Pure: the caller reads the file and loads the time zone.
#ifndef LIMS_CORE_READING_CSV_H_
#define LIMS_CORE_READING_CSV_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"

namespace lims {

struct ProbeReading {
  std::string probe_id;
  absl::Time at;
  double celsius = 0;
  int line = 0;  // where a CSV had it (0: not from a file)
};

struct CsvLineError {
  int line = 0;  // the header is line 1
  std::string message;
};

struct ParsedReadings {
  std::vector<ProbeReading> readings;
  std::vector<CsvLineError> errors;
};

ParsedReadings ParseReadingsCsv(std::string_view text, const absl::TimeZone& zone);

// One time as the exports write it (see above); false when it is none of the accepted forms.
bool ParseReadingTime(std::string_view text, const absl::TimeZone& zone, absl::Time* at);

}  // namespace lims

#endif  // LIMS_CORE_READING_CSV_H_
