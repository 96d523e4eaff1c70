#include "lims/labels/zpl.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace lims::labels {
namespace {

bool PassesUnescaped(unsigned char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case ' ': case '-': case '.': case ',': case ':': case '/': case '(': case ')': case '+':
    case '*': case '#': case '=': case '%':
      return true;
    default:
      return false;
  }
}

// ^FH: in this field, _XX stands for the byte 0xXX.
std::string Field(const std::string& text) {
  return absl::StrCat("^FH^FD", EscapeFieldData(text), "^FS");
}

}  // namespace

std::string EscapeFieldData(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (PassesUnescaped(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      absl::StrAppendFormat(&out, "_%02X", c);
    }
  }
  return out;
}

std::string LabelToZpl(const LabelLayout& label, int copies) {
  // ^CI28: field bytes are UTF-8. ^PW/^LL: the stock in dots; ^LH0,0: origin at its corner.
  std::string zpl = absl::StrFormat("^XA\n^CI28\n^PW%d\n^LL%d\n^LH0,0\n", label.width,
                                    label.height);
  for (const PlacedElement& e : label.elements) {
    absl::StrAppendFormat(&zpl, "^FO%d,%d", e.x, e.y);
    switch (e.kind) {
      case ElementKind::kText:
        absl::StrAppendFormat(&zpl, "^A0N,%d,%d", e.height, e.height);
        break;
      case ElementKind::kDataMatrix:
        // ECC 200 with cells of `module` dots; the printer picks the smallest square symbol
        // (ZPL has no 8-row rectangles, which ZXing's preview may draw for the same text).
        absl::StrAppendFormat(&zpl, "^BXN,%d,200", e.module);
        break;
      case ElementKind::kCode128:
        // No interpretation line (the template places the text itself), no UCC check digit.
        absl::StrAppendFormat(&zpl, "^BY%d^BCN,%d,N,N,N", e.module, e.height);
        break;
    }
    absl::StrAppend(&zpl, Field(e.text), "\n");
  }
  absl::StrAppendFormat(&zpl, "^PQ%d\n^XZ\n", copies < 1 ? 1 : copies);
  return zpl;
}

}  // namespace lims::labels
