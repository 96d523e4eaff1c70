// ZPL II for Zebra-compatible printers. Every variable field goes through ^FH hex escapes, so no
// field content can end its field or reach the printer as a command (a tube named "^XZ~JA" is
// printed as those six characters); ^CI28 makes the printer read the bytes as UTF-8.
#ifndef LIMS_LABELS_ZPL_H_
#define LIMS_LABELS_ZPL_H_

#include <string>
#include <string_view>

#include "lims/labels/label_layout.h"

namespace lims::labels {

// Field data for ^FH^FD...^FS: letters, digits and a few harmless punctuation marks as they are,
// every other byte (^ ~ _ \ control characters, UTF-8 sequences) as _XX.
std::string EscapeFieldData(std::string_view text);

// One label format (^XA ... ^XZ) printed `copies` times (^PQ).
std::string LabelToZpl(const LabelLayout& label, int copies);

}  // namespace lims::labels

#endif  // LIMS_LABELS_ZPL_H_
