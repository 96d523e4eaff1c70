#include "lims/core/csv_writer.h"

namespace lims {

void AppendCsvField(std::string_view value, std::string& out) {
  const bool formula = !value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' ||
                                          value[0] == '@' || value[0] == '\t' || value[0] == '\r');
  if (!formula && value.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(value);
    return;
  }
  out.push_back('"');
  if (formula) out.push_back('\'');
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

std::string CsvField(std::string_view value) {
  std::string out;
  AppendCsvField(value, out);
  return out;
}

}  // namespace lims
