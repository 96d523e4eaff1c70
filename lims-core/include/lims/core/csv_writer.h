// One field of an RFC 4180 CSV file written for people to open in a spreadsheet: quoted when
// it holds a comma, quote or line break, and a cell that a spreadsheet would run as a formula
// (starting with =, +, -, @, a tab or a carriage return) is neutralised with a leading
// apostrophe (OWASP's advice against CSV injection). Pure.
#ifndef LIMS_CORE_CSV_WRITER_H_
#define LIMS_CORE_CSV_WRITER_H_

#include <string>
#include <string_view>

namespace lims {

void AppendCsvField(std::string_view value, std::string& out);
std::string CsvField(std::string_view value);

}  // namespace lims

#endif  // LIMS_CORE_CSV_WRITER_H_
