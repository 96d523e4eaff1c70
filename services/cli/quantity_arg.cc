#include "quantity_arg.h"

#include <cctype>
#include <cmath>
#include <cstdlib>

namespace lims::cli {
namespace {

// Micro sign U+00B5 and Greek small letter mu U+03BC in UTF-8.
constexpr std::string_view kMicroSign = "\xC2\xB5";
constexpr std::string_view kGreekMu = "\xCE\xBC";

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

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

// Canonical unit for what was typed, "" if unknown.
std::string CanonicalUnit(std::string_view typed) {
  std::string unit(typed);
  for (std::string_view micro : {kMicroSign, kGreekMu}) {
    if (unit.compare(0, micro.size(), micro) == 0) unit = "u" + unit.substr(micro.size());
  }
  std::string lower;
  for (char c : unit)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower == "ul") return "uL";
  if (lower == "ml") return "mL";
  if (lower == "l") return "L";
  if (lower == "ug") return "ug";
  if (lower == "mg") return "mg";
  if (lower == "g") return "g";
  if (lower == "cells" || lower == "cell") return "cells";
  if (lower == "count") return "count";
  return "";
}

}  // namespace

const char kQuantityUnits[] = "uL (or \xC2\xB5L), mL, L, ug, mg, g, cells, count";

bool ParseQuantity(std::string_view text, v1::Quantity* quantity, std::string* error) {
  const std::string_view input = Trim(text);
  if (!input.empty() && input.front() == '-') {
    *error = "quantity \"" + std::string(text) + "\" must be more than zero";
    return false;
  }
  const size_t length = NumberLength(input);
  if (length == 0) {
    *error = "quantity \"" + std::string(text) +
             "\" does not start with a number; write it like 4mL, 500uL or 2e6cells";
    return false;
  }
  std::string number(input.substr(0, length));
  if (size_t comma = number.find(','); comma != std::string::npos) {
    size_t fraction = 0;
    while (comma + 1 + fraction < number.size() && IsDigit(number[comma + 1 + fraction])) {
      ++fraction;
    }
    if (fraction == 3) {  // "1,000": a thousands separator or a decimal comma?
      *error = "quantity \"" + std::string(text) +
               "\" is ambiguous; write the number without a comma (1000) or with a point (1.000)";
      return false;
    }
    number[comma] = '.';
  }
  const double value = std::strtod(number.c_str(), nullptr);
  const std::string_view typed_unit = Trim(input.substr(length));
  if (typed_unit.empty()) {
    *error = "quantity \"" + std::string(text) + "\" has no unit; units: " + kQuantityUnits;
    return false;
  }
  const std::string unit = CanonicalUnit(typed_unit);
  if (unit.empty()) {
    *error = "unknown unit \"" + std::string(typed_unit) + "\" in quantity \"" + std::string(text) +
             "\"; units: " + kQuantityUnits;
    return false;
  }
  if (!std::isfinite(value) || value <= 0) {
    *error = "quantity \"" + std::string(text) + "\" must be more than zero";
    return false;
  }
  quantity->set_value(value);
  quantity->set_unit(unit);
  return true;
}

}  // namespace lims::cli
