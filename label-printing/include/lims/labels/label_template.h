// Label templates as data: a stock size in millimetres and the elements placed on it, each with
// a text that may name values ("{barcode} {sample_type}"). Positions are in millimetres so one
// template serves 203, 300 and 600 dpi printers. Templates are JSON files; the shipped ones are
// built in, and a directory of further files (a manager's own) is read on each use, so a new
// template needs no recompiling and no restart.
#ifndef LIMS_LABELS_LABEL_TEMPLATE_H_
#define LIMS_LABELS_LABEL_TEMPLATE_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace lims::labels {

enum class ElementKind { kText, kDataMatrix, kCode128 };

struct LabelElement {
  ElementKind kind = ElementKind::kText;
  double x_mm = 0, y_mm = 0;  // top-left corner
  // Text: the height of the letters; Code 128: the height of the bars; DataMatrix: see width_mm.
  double height_mm = 0;
  // Text: the widest the line may be (it is drawn smaller to fit, never cut). DataMatrix: with
  // height_mm, the box the symbol must fit in (optional).
  double width_mm = 0;
  // Barcodes: the narrowest bar / the side of one DataMatrix cell.
  double module_mm = 0;
  // What is written, with {name} replaced by the label's values, e.g. "{barcode}".
  std::string content;
};

struct LabelTemplate {
  std::string name;  // "cryotube"
  std::string description;
  double width_mm = 0, height_mm = 0;
  std::vector<LabelElement> elements;
};

// The values a label is filled with, by name ("barcode" -> "PSL26-000123-K").
using LabelValues = std::map<std::string, std::string>;

// Parses one template file. InvalidArgument names the element and what is wrong (unknown kind,
// an element off the stock, a barcode module too small to print, an unknown {name} is not an
// error here: it is refused when the label is filled).
absl::StatusOr<LabelTemplate> ParseTemplateJson(std::string_view json);

// `content` with every {name} replaced; InvalidArgument for a name without a value.
absl::StatusOr<std::string> FillContent(std::string_view content, const LabelValues& values);

// The shipped templates (cryotube, research-tube, box, shipment) and, when `directory` is not empty, every
// *.json file in it (a file may replace a shipped template of the same name).
class TemplateLibrary {
 public:
  explicit TemplateLibrary(std::string directory = "") : directory_(std::move(directory)) {}

  // NotFound lists the templates there are (and names any file that does not parse). A broken
  // file never stops the other templates from printing.
  absl::StatusOr<LabelTemplate> Find(std::string_view name) const;
  // Every template; InvalidArgument naming the file when one in the directory does not parse, so
  // whoever manages the templates sees it.
  absl::StatusOr<std::vector<LabelTemplate>> List() const;

 private:
  struct Loaded {
    std::map<std::string, LabelTemplate> templates;
    std::vector<std::string> broken;  // "FILE: why"
  };
  absl::StatusOr<Loaded> LoadAll() const;
  std::string directory_;
};

}  // namespace lims::labels

#endif  // LIMS_LABELS_LABEL_TEMPLATE_H_
