#include "lims/labels/pick_list.h"

#include "absl/strings/str_cat.h"
#include "table_pdf.h"

namespace lims::labels {

absl::StatusOr<std::string> PickListPdf(const PickList& list) {
  TablePdf table{list.title,
                 {"From: " + list.from, "Into: " + list.to, list.made,
                  "Scan each label as the unit goes into its new place; critical tubes first, "
                  "withdrawn consent last."},
                 {{"#", 18},
                  {"UNIT", 88},
                  {"FROM", 118},
                  {"TO", 118},
                  {"TUBES", 34},
                  {"CRITICAL", 44},
                  {"WITHDRAWN", 54},
                  {"DONE", 28}},
                 {},
                 {},
                 {"Moved by", "Checked by"}};
  int tubes = 0, done = 0;
  for (size_t i = 0; i < list.lines.size(); ++i) {
    const PickListLine& l = list.lines[i];
    table.rows.push_back({std::to_string(i + 1), l.unit, l.from, l.to, std::to_string(l.tubes),
                          std::to_string(l.critical), std::to_string(l.withdrawn),
                          l.done ? "[x]" : "[  ]"});
    tubes += l.tubes;
    done += l.done;
  }
  table.total = absl::StrCat(list.lines.size(), " units, ", tubes, " tubes; ", done, " moved");
  return DrawTablePdf(table, "pick list");
}

}  // namespace lims::labels
