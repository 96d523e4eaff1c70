// An A4 PDF of one table (cairo): a title and particulars repeated on every page, the column
// titles, one line per row (each cell clipped to its column), a total and places to sign.
// The packing list and the evacuation pick list are both drawn by it.
#ifndef LIMS_LABELS_SRC_TABLE_PDF_H_
#define LIMS_LABELS_SRC_TABLE_PDF_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace lims::labels {

struct TableColumn {
  std::string title;
  double width = 0;  // points; the columns start at the left margin, side by side
};

struct TablePdf {
  std::string title;
  std::vector<std::string> particulars;  // lines under the title; the last one in small type
  std::vector<TableColumn> columns;
  std::vector<std::vector<std::string>> rows;
  std::string total;                    // under the last row
  std::vector<std::string> signatures;  // "Packed by", ... at the foot of the last page
};

// The PDF file's bytes; Internal if cairo cannot draw it (named by `what`, e.g. "packing list").
absl::StatusOr<std::string> DrawTablePdf(const TablePdf& table, const std::string& what);

}  // namespace lims::labels

#endif  // LIMS_LABELS_SRC_TABLE_PDF_H_
