#include "lims/labels/packing_list.h"

#include "absl/strings/str_cat.h"
#include "table_pdf.h"

namespace lims::labels {

absl::StatusOr<std::string> PackingListPdf(const PackingList& list) {
  TablePdf table{list.title,
                 {"To: " + list.destination, list.transport, list.dispatched,
                  "Manifest digest (SHA-256) " + list.digest},
                 {{"TUBE", 120},
                  {"TYPE", 40},
                  {"QUANTITY", 60},
                  {"PATIENT", 100},
                  {"PROTOCOL / TP", 100},
                  {"PACKED IN", 95}},
                 {},
                 absl::StrCat(list.lines.size(), " tubes"),
                 {"Packed by", "Received by"}};
  for (const PackingListLine& l : list.lines) {
    table.rows.push_back(
        {l.tube, l.type, l.quantity, l.patient, l.protocol_timepoint, l.packed_in});
  }
  return DrawTablePdf(table, "packing list");
}

}  // namespace lims::labels
