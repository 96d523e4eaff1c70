// Fuzz target: ZPL field data (EscapeFieldData in label-printing/include/lims/labels/zpl.h) and
// a whole label format carrying hostile text (LabelToZpl).
// Input: any bytes, used as the text of a label field.
// Properties:
//  - the escaped text holds no '^' and no '~' (nothing can end the field or start a command),
//    only letters, digits, a few harmless marks and _XX escapes;
//  - undoing the _XX escapes gives the input back byte for byte (what prints is what was meant);
//  - a label whose text element carries the input is one format: exactly one ^XA (first) and
//    one ^XZ (last), and one ^FD..^FS field per element.
// fuzz-sources: label-printing/src/zpl.cc
// fuzz-options: -max_len=256
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "lims/labels/zpl.h"

namespace {

using lims::fuzz::Escaped;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::string escaped = lims::labels::EscapeFieldData(text);
  FUZZ_CHECK(escaped.find_first_of("^~") == std::string::npos,
             Escaped(text) + " escapes to " + Escaped(escaped));
  std::string decoded;
  for (size_t i = 0; i < escaped.size(); ++i) {
    if (escaped[i] != '_') {
      decoded.push_back(escaped[i]);
      continue;
    }
    const int high = i + 1 < escaped.size() ? HexValue(escaped[i + 1]) : -1;
    const int low = i + 2 < escaped.size() ? HexValue(escaped[i + 2]) : -1;
    FUZZ_CHECK(high >= 0 && low >= 0,
               "a '_' without two hex digits in " + Escaped(escaped) + " from " + Escaped(text));
    decoded.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  FUZZ_CHECK(decoded == text, Escaped(text) + " escapes to " + Escaped(escaped) +
                                  ", which reads back as " + Escaped(decoded));

  lims::labels::LabelLayout label;
  label.width = 256;
  label.height = 104;
  for (auto kind : {lims::labels::ElementKind::kText, lims::labels::ElementKind::kDataMatrix,
                    lims::labels::ElementKind::kCode128}) {
    lims::labels::PlacedElement e;
    e.kind = kind;
    e.text = text;
    e.height = 16;
    e.module = 3;
    label.elements.push_back(e);
  }
  const std::string zpl = lims::labels::LabelToZpl(label, 1);
  FUZZ_CHECK(Count(zpl, "^XA") == 1 && zpl.rfind("^XA", 0) == 0,
             "not one format for " + Escaped(text) + ": " + Escaped(zpl));
  FUZZ_CHECK(Count(zpl, "^XZ") == 1 && zpl.size() >= 4 && zpl.compare(zpl.size() - 4, 4, "^XZ\n") == 0,
             "not one format for " + Escaped(text) + ": " + Escaped(zpl));
  FUZZ_CHECK(Count(zpl, "^FD") == label.elements.size() && Count(zpl, "^FS") == label.elements.size(),
             "fields of " + Escaped(text) + ": " + Escaped(zpl));
  return 0;
}
