#include "lims/labels/label_layout.h"

#include <cmath>

#include "ZXing/BitMatrix.h"
#include "ZXing/MultiFormatWriter.h"
#include "absl/strings/str_cat.h"
#include "barcode_symbols.h"

namespace lims::labels {
namespace {

constexpr double kMinTextMm = 1.0;

int Dots(double mm, int dpmm) { return static_cast<int>(std::lround(mm * dpmm)); }

// Code points, not bytes: "Sérum" is five letters wide.
size_t Utf8Length(const std::string& text) {
  size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

// Characters a printer's barcode encoder treats as commands or subset switches in ZPL (^ ~ for
// the format, > for Code 128 invocation codes, \ for escapes), and anything but printable ASCII.
absl::Status CheckBarcodeText(const std::string& text, const std::string& where) {
  if (text.empty()) return absl::InvalidArgumentError(absl::StrCat(where, ": the code is empty"));
  for (unsigned char c : text) {
    if (c < 0x20 || c > 0x7E || c == '^' || c == '~' || c == '>' || c == '\\') {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": \"", text,
          "\" cannot be put in a barcode safely; barcodes carry printable ASCII without ^ ~ > \\"));
    }
  }
  return absl::OkStatus();
}

absl::Status PlaceText(PlacedElement& p, const LabelElement& e, int dpmm, const std::string& where) {
  p.height = Dots(e.height_mm, dpmm);
  p.max_width = Dots(e.width_mm, dpmm);
  const double chars = static_cast<double>(std::max<size_t>(1, Utf8Length(p.text)));
  const int fitting = static_cast<int>(std::floor(p.max_width / (chars * kCharWidthPerHeight)));
  if (fitting < p.height) p.height = fitting;  // smaller letters rather than a cut text
  if (p.height < Dots(kMinTextMm, dpmm)) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": \"", p.text, "\" is too long for this label (", Utf8Length(p.text),
        " characters in ", e.width_mm, " mm); shorten it or use a larger template"));
  }
  return absl::OkStatus();
}

// The fewest dots a bar or cell may have and still print reliably.
constexpr int kMinModuleDots = 2;

absl::Status PlaceBarcode(PlacedElement& p, const LabelElement& e, int dpmm,
                          const LabelLayout& label, const std::string& where) {
  if (absl::Status ok = CheckBarcodeText(p.text, where); !ok.ok()) return ok;
  p.module = std::max(kMinModuleDots, Dots(e.module_mm, dpmm));
  if (e.kind == ElementKind::kDataMatrix) {
    auto matrix = EncodeDataMatrix(p.text);
    if (!matrix.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": ", matrix.status().message()));
    }
    p.columns = matrix->width();
    p.rows = matrix->height();
    p.square_side = SquareDataMatrixSide(p.columns, p.rows);
    const int cells_across = std::max(p.columns, p.square_side);
    const int cells_down = std::max(p.rows, p.square_side);
    if (e.width_mm > 0 && e.height_mm > 0) {
      const int box_width = Dots(e.width_mm, dpmm), box_height = Dots(e.height_mm, dpmm);
      while (p.module > kMinModuleDots &&
             (cells_across * p.module > box_width || cells_down * p.module > box_height)) {
        --p.module;
      }
    }
    p.symbol_width = cells_across * p.module;
    p.symbol_height = cells_down * p.module;
  } else {
    p.height = Dots(e.height_mm, dpmm);
    p.symbol_width = Code128SubsetBModules(p.text) * p.module;
    p.symbol_height = p.height;
  }
  const bool in_box = e.kind != ElementKind::kDataMatrix || e.width_mm <= 0 ||
                      (p.symbol_width <= Dots(e.width_mm, dpmm) &&
                       p.symbol_height <= Dots(e.height_mm, dpmm));
  if (!in_box || p.x + p.symbol_width > label.width || p.y + p.symbol_height > label.height) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": the barcode of \"", p.text, "\" (", p.symbol_width, " x ", p.symbol_height,
        " dots) does not fit its place on the ", label.width, " x ", label.height,
        " dot stock; use a shorter code or a larger template"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<int> DotsPerMm(int dpi) {
  switch (dpi) {
    case 203: return 8;
    case 300: return 12;
    case 600: return 24;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("dpi ", dpi, " is not supported; use 203, 300 or 600"));
  }
}

absl::StatusOr<LabelLayout> LayOutLabel(const LabelTemplate& t, const LabelValues& values,
                                        int dpi) {
  auto dpmm = DotsPerMm(dpi);
  if (!dpmm.ok()) return dpmm.status();
  LabelLayout label;
  label.template_name = t.name;
  label.dpi = dpi;
  label.width = Dots(t.width_mm, *dpmm);
  label.height = Dots(t.height_mm, *dpmm);
  int index = 0;
  for (const LabelElement& e : t.elements) {
    const std::string where = absl::StrCat("template ", t.name, ", element ", ++index);
    auto text = FillContent(e.content, values);
    if (!text.ok()) return absl::InvalidArgumentError(absl::StrCat(where, ": ", text.status().message()));
    PlacedElement p;
    p.kind = e.kind;
    p.x = Dots(e.x_mm, *dpmm);
    p.y = Dots(e.y_mm, *dpmm);
    p.text = *std::move(text);
    absl::Status placed = e.kind == ElementKind::kText ? PlaceText(p, e, *dpmm, where)
                                                       : PlaceBarcode(p, e, *dpmm, label, where);
    if (!placed.ok()) return placed;
    label.elements.push_back(std::move(p));
  }
  return label;
}

}  // namespace lims::labels
