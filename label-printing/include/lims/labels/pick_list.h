// An evacuation's pick list: an A4 PDF, one line per rack or box to move, in the order to move
// them (most critical first), with a box to tick as each one is scanned into its new place.
#ifndef LIMS_LABELS_PICK_LIST_H_
#define LIMS_LABELS_PICK_LIST_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace lims::labels {

struct PickListLine {
  std::string unit;  // the label to scan ("BOX-12") and the unit's name
  std::string from;  // where it is now
  std::string to;    // where it goes
  int tubes = 0;
  int critical = 0;
  int withdrawn = 0;  // tubes whose patient withdrew consent
  bool done = false;
};

struct PickList {
  std::string title;  // "Evacuation plan 3"
  std::string from, to;
  std::string made;  // when and by whom
  std::vector<PickListLine> lines;
};

// The PDF file's bytes; Internal if cairo cannot draw it.
absl::StatusOr<std::string> PickListPdf(const PickList& list);

}  // namespace lims::labels

#endif  // LIMS_LABELS_PICK_LIST_H_
