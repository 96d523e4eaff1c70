#include "lims/core/reading_csv.h"

#include <cmath>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "lims/core/csv_reader.h"

namespace lims {
namespace {

constexpr int kMaxErrors = 200;  // enough to fix a file; a wholly wrong file stops there

const std::vector<std::vector<std::string>> kColumnNames = {
    {"time", "timestamp", "date", "datetime", "date/time", "at"},
    {"probe_id", "probe", "sensor", "sensor_id", "channel"},
    {"celsius", "temperature", "temp", "value", "°c", "degc", "temperature (°c)"}};

// Which column of the header plays each part (time, probe, celsius); nullopt names the missing.
std::optional<std::vector<size_t>> FindColumns(const std::vector<std::string>& header,
                                               std::string* missing) {
  std::vector<size_t> where;
  std::vector<std::string> absent;
  for (const auto& names : kColumnNames) {
    std::optional<size_t> found;
    for (size_t i = 0; i < header.size() && !found; ++i) {
      const std::string name = absl::AsciiStrToLower(absl::StripAsciiWhitespace(header[i]));
      for (const std::string& candidate : names) {
        if (name == candidate) found = i;
      }
    }
    if (!found) absent.push_back(names.front());
    where.push_back(found.value_or(0));
  }
  if (!absent.empty()) {
    *missing = absl::StrJoin(absent, ", ");
    return std::nullopt;
  }
  return where;
}

char GuessDelimiter(std::string_view text) {
  const std::string_view first = text.substr(0, text.find('\n'));
  if (first.find('\t') != std::string_view::npos) return '\t';
  if (first.find(';') != std::string_view::npos) return ';';
  return ',';
}

}  // namespace

bool ParseReadingTime(std::string_view text, const absl::TimeZone& zone, absl::Time* at) {
  const std::string value(absl::StripAsciiWhitespace(absl::string_view(text.data(), text.size())));
  std::string error;
  // With an offset or Z: the instant as written.
  for (const char* format : {"%Y-%m-%dT%H:%M:%E*S%Ez", "%Y-%m-%d %H:%M:%E*S%Ez",
                             "%Y-%m-%dT%H:%M%Ez", "%Y-%m-%d %H:%M%Ez"}) {
    if (absl::ParseTime(format, value, at, &error)) return true;
  }
  // Without: a wall-clock time in the export's zone.
  for (const char* format :
       {"%Y-%m-%dT%H:%M:%E*S", "%Y-%m-%d %H:%M:%E*S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M",
        "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M"}) {
    if (absl::ParseTime(format, value, zone, at, &error)) return true;
  }
  return false;
}

ParsedReadings ParseReadingsCsv(std::string_view text, const absl::TimeZone& zone) {
  ParsedReadings out;
  CsvReader reader(text);
  reader.set_delimiter(GuessDelimiter(text));
  CsvRecord record;
  if (!reader.Next(&record)) {
    out.errors.push_back({1,
                          "the file is empty; the first line names the columns "
                          "(time,probe_id,celsius)"});
    return out;
  }
  std::string missing;
  const auto columns = FindColumns(record.fields, &missing);
  if (!columns) {
    out.errors.push_back({record.line, absl::StrCat("the header has no ", missing,
                                                    " column; it needs time, probe_id and "
                                                    "celsius (or their common names)")});
    return out;
  }
  const size_t time_col = (*columns)[0], probe_col = (*columns)[1], value_col = (*columns)[2];
  auto fail = [&out](int line, std::string message) {
    if (out.errors.size() < kMaxErrors) out.errors.push_back({line, std::move(message)});
  };
  while (reader.Next(&record)) {
    if (!record.error.empty()) {
      fail(record.line, record.error);
      continue;
    }
    const size_t needed = std::max({time_col, probe_col, value_col}) + 1;
    if (record.fields.size() < needed) {
      fail(record.line, absl::StrCat("only ", record.fields.size(), " fields; the header has ",
                                     needed, " or more"));
      continue;
    }
    ProbeReading reading;
    reading.line = record.line;
    reading.probe_id = std::string(absl::StripAsciiWhitespace(record.fields[probe_col]));
    if (reading.probe_id.empty()) {
      fail(record.line, "the probe is empty");
      continue;
    }
    if (!ParseReadingTime(record.fields[time_col], zone, &reading.at)) {
      fail(record.line, absl::StrCat("'", record.fields[time_col],
                                     "' is not a time; write 2026-03-01T02:15:00Z, "
                                     "2026-03-01 02:15 or 01/03/2026 02:15"));
      continue;
    }
    const std::string number =
        absl::StrReplaceAll(absl::StripAsciiWhitespace(record.fields[value_col]), {{",", "."}});
    if (!absl::SimpleAtod(number, &reading.celsius) || !std::isfinite(reading.celsius) ||
        reading.celsius < -273.15 || reading.celsius > 200) {
      fail(record.line, absl::StrCat("'", record.fields[value_col],
                                     "' is not a temperature in °C (e.g. -79.5 or -79,5)"));
      continue;
    }
    out.readings.push_back(std::move(reading));
  }
  return out;
}

}  // namespace lims
