// A template filled with one label's values and placed in printer dots: the single place where
// sizes are decided, so that the ZPL sent to a printer and the PNG preview show the same label.
#ifndef LIMS_LABELS_LABEL_LAYOUT_H_
#define LIMS_LABELS_LABEL_LAYOUT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lims/labels/label_template.h"

namespace lims::labels {

// The print resolutions supported: 203, 300 and 600 dpi (8, 12 and 24 dots per mm, as Zebra
// printers count them). InvalidArgument for any other.
absl::StatusOr<int> DotsPerMm(int dpi);

struct PlacedElement {
  ElementKind kind = ElementKind::kText;
  int x = 0, y = 0;        // top-left, in dots
  std::string text;        // filled content (UTF-8)
  int height = 0;          // text: letter height; Code 128: bar height (dots)
  int max_width = 0;       // text: the widest it may be drawn (dots)
  int module = 0;          // barcodes: narrowest bar / DataMatrix cell (dots)
  int symbol_width = 0;    // barcodes: the symbol's width in dots
  int symbol_height = 0;   // barcodes: the symbol's height in dots
  // DataMatrix: the preview's symbol (ZXing's choice, possibly rectangular) and the side of the
  // square symbol the printer makes of the same text; the element's size covers both.
  int columns = 0, rows = 0;
  int square_side = 0;
};

struct LabelLayout {
  std::string template_name;
  int dpi = 203;
  int width = 0, height = 0;  // the stock in dots
  std::vector<PlacedElement> elements;
};

// Fills and places `t` for a `dpi` printer. A DataMatrix with a box (width_mm, height_mm) gets
// smaller cells, down to two dots, until it fits the box. InvalidArgument when a value is missing,
// a barcode's
// text has characters a label cannot carry safely (outside printable ASCII, or ^ ~ > \), a
// barcode does not fit on the stock, or a text is too long even at the smallest letter size.
absl::StatusOr<LabelLayout> LayOutLabel(const LabelTemplate& t, const LabelValues& values,
                                        int dpi);

// Letters are drawn at most this much narrower than high (the fit rule for both renderers).
constexpr double kCharWidthPerHeight = 0.6;

}  // namespace lims::labels

#endif  // LIMS_LABELS_LABEL_LAYOUT_H_
