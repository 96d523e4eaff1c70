#include "lims/core/quantity_text.h"

#include <cmath>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace lims {
namespace {

constexpr char kUnits[] = "uL (or \xC2\xB5L), mL, L, ug, mg, g, cells, count";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string_view Trim(std::string_view s) {
  const absl::string_view trimmed =
      absl::StripAsciiWhitespace(absl::string_view(s.data(), s.size()));
  return std::string_view(trimmed.data(), trimmed.size());
}

// Length of the leading decimal number of s ("12", "0.5", "0,5", "2e6", "1.5E+3"), 0 if none.
size_t NumberLength(std::string_view s) {
  size_t i = 0;
  size_t digits = 0;
  while (i < s.size() && IsDigit(s[i])) ++i, ++digits;
  if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
    size_t j = i + 1;
    size_t fraction = 0;
    while (j < s.size() && IsDigit(s[j])) ++j, ++fraction;
    if (fraction > 0 || digits > 0) {
      i = j;
      digits += fraction;
    }
  }
  if (digits == 0) return 0;
  // An exponent only when digits follow it, so that a unit can never be eaten by mistake.
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    size_t j = i + 1;
    if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
    if (j < s.size() && IsDigit(s[j])) {
      while (j < s.size() && IsDigit(s[j])) ++j;
      i = j;
    }
  }
  return i;
}

// The API's spelling of a typed unit: exact, µ/μ as "u", all lower case, or "cell"; "" if none.
std::string UnitSpelling(std::string_view typed) {
  std::string unit(typed);
  for (std::string_view micro : {std::string_view("\xC2\xB5"), std::string_view("\xCE\xBC")}) {
    if (unit.compare(0, micro.size(), micro) == 0) unit = "u" + unit.substr(micro.size());
  }
  for (const char* known : {"uL", "mL", "L", "ug", "mg", "g", "cells", "count"}) {
    if (unit == known) return known;
    if (unit == absl::AsciiStrToLower(known)) return known;
  }
  if (unit == "cell") return "cells";
  return "";
}

}  // namespace

absl::StatusOr<TypedQuantity> ParseQuantityText(std::string_view text) {
  const std::string_view input = Trim(text);
  const std::string quoted = absl::StrCat("quantity \"", std::string(text), "\"");
  if (!input.empty() && input.front() == '-') {
    return absl::InvalidArgumentError(absl::StrCat(quoted, " must be more than zero"));
  }
  const size_t length = NumberLength(input);
  if (length == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        quoted, " does not start with a number; write it like 4mL, 500uL or 2e6cells"));
  }
  std::string number(input.substr(0, length));
  if (size_t comma = number.find(','); comma != std::string::npos) {
    size_t fraction = 0;
    while (comma + 1 + fraction < number.size() && IsDigit(number[comma + 1 + fraction])) {
      ++fraction;
    }
    if (fraction == 3) {  // "1,000": a thousands separator or a decimal comma?
      return absl::InvalidArgumentError(absl::StrCat(
          quoted,
          " is ambiguous; write the number without a comma (1000) or with a point (1.000)"));
    }
    number[comma] = '.';
  }
  TypedQuantity out;
  out.value = std::strtod(number.c_str(), nullptr);
  const std::string_view typed_unit = Trim(input.substr(length));
  if (typed_unit.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(quoted, " has no unit; units: ", kUnits));
  }
  out.unit = UnitSpelling(typed_unit);
  if (out.unit.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("unknown unit \"", std::string(typed_unit),
                                                   "\" in ", quoted, "; units: ", kUnits,
                                                   " (case matters: ML would be megalitres)"));
  }
  if (!std::isfinite(out.value) || out.value <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(quoted, " must be more than zero"));
  }
  auto checked = Quantity::FromValue(out.value, out.unit);
  if (!checked.ok()) return checked.status();
  out.quantity = *checked;
  return out;
}

}  // namespace lims
