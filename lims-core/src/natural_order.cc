#include "lims/core/natural_order.h"

#include <cctype>

namespace lims {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// <0, 0, >0 like strcmp; `fold` ignores letter case.
int Compare(std::string_view a, std::string_view b, bool fold) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (IsDigit(a[i]) && IsDigit(b[j])) {
      // Numbers of any length: skip leading zeros, then the longer run is larger, then digits.
      size_t za = i, zb = j;
      while (za < a.size() && a[za] == '0') ++za;
      while (zb < b.size() && b[zb] == '0') ++zb;
      size_t ea = za, eb = zb;
      while (ea < a.size() && IsDigit(a[ea])) ++ea;
      while (eb < b.size() && IsDigit(b[eb])) ++eb;
      if (ea - za != eb - zb) return ea - za < eb - zb ? -1 : 1;
      for (size_t k = 0; k < ea - za; ++k) {
        if (a[za + k] != b[zb + k]) return a[za + k] < b[zb + k] ? -1 : 1;
      }
      // Equal values: fewer leading zeros first ("7" before "007").
      if (za - i != zb - j) return za - i < zb - j ? -1 : 1;
      i = ea;
      j = eb;
      continue;
    }
    const char ca = fold ? Lower(a[i]) : a[i];
    const char cb = fold ? Lower(b[j]) : b[j];
    if (ca != cb) return static_cast<unsigned char>(ca) < static_cast<unsigned char>(cb) ? -1 : 1;
    ++i;
    ++j;
  }
  if (i < a.size()) return 1;
  if (j < b.size()) return -1;
  return 0;
}

}  // namespace

bool NaturalLess(std::string_view a, std::string_view b) {
  const int folded = Compare(a, b, true);
  if (folded != 0) return folded < 0;
  return Compare(a, b, false) < 0;
}

}  // namespace lims
