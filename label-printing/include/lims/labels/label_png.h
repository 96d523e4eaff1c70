// A PNG picture of a label as it will print: barcodes drawn from ZXing-cpp's writer, text and
// image through cairo, one pixel per printer dot.
#ifndef LIMS_LABELS_LABEL_PNG_H_
#define LIMS_LABELS_LABEL_PNG_H_

#include <string>

#include "absl/status/statusor.h"
#include "lims/labels/label_layout.h"

namespace lims::labels {

// The PNG file's bytes; Internal if cairo cannot draw or encode.
absl::StatusOr<std::string> LabelToPng(const LabelLayout& label);

}  // namespace lims::labels

#endif  // LIMS_LABELS_LABEL_PNG_H_
