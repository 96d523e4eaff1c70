// Fuzz target: box layouts and position names (lims/core/box_layout.h).
// Input: "ROWSxCOLUMNS:POSITION", e.g. "9x9:a01" (rows and columns: up to 4 digits, optionally
// negative); without such a header the whole input is a position in a 9x9 box.
// Properties:
//  - BoxLayout::Create accepts exactly rows 1..26 and columns 1..99;
//  - for every n in 1..capacity (checked once per layout): PositionName(n) is row letter +
//    column number, and ParsePosition gives back n from it, from its lower-case and zero-padded
//    spellings, with scanner white space around it, and from the number n itself; numbers and
//    names just outside the layout are refused, and PositionName outside 1..capacity is "#n",
//    which ParsePosition refuses;
//  - ParsePosition on any text accepts exactly what box_layout.h describes (a row letter in any
//    case + a column of 1..4 digits, or a position number of 1..4 digits, inside the layout,
//    surrounding white space ignored), and every accepted position is within 1..capacity and
//    names back to itself.
// fuzz-options: -max_len=64
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "fuzz_support.h"
#include "lims/core/box_layout.h"

namespace {

using lims::fuzz::AllDigits;
using lims::fuzz::Escaped;
using lims::fuzz::Trim;
using lims::fuzz::Upper;

constexpr size_t kMaxDigits = 4;  // box_layout.cc: "A001" is the longest padding accepted

std::string Layout(const lims::BoxLayout& layout) {
  return std::to_string(layout.rows()) + "x" + std::to_string(layout.columns());
}

// Parses an optionally negative number of 1..4 digits at the front of `s`.
std::optional<int> TakeSmallInt(std::string_view& s) {
  bool negative = false;
  if (!s.empty() && s.front() == '-') {
    negative = true;
    s.remove_prefix(1);
  }
  size_t n = 0;
  int value = 0;
  while (n < s.size() && n < 4 && lims::fuzz::IsDigit(s[n])) value = value * 10 + (s[n++] - '0');
  if (n == 0) return std::nullopt;
  s.remove_prefix(n);
  return negative ? -value : value;
}

std::optional<int> ReferenceParse(std::string_view text, int rows, int columns) {
  const std::string name = Upper(Trim(text));
  if (name.empty()) return std::nullopt;
  if (AllDigits(name)) {
    if (name.size() > kMaxDigits) return std::nullopt;
    const int number = std::stoi(name);
    if (number < 1 || number > rows * columns) return std::nullopt;
    return number;
  }
  const std::string digits = name.substr(1);
  if (!lims::fuzz::IsUpper(name[0]) || !AllDigits(digits) || digits.size() > kMaxDigits) {
    return std::nullopt;
  }
  const int row = name[0] - 'A';
  const int column = std::stoi(digits);
  if (row >= rows || column < 1 || column > columns) return std::nullopt;
  return row * columns + column;
}

void ExpectPosition(const lims::BoxLayout& layout, const std::string& text, int want) {
  const absl::StatusOr<int> got = layout.ParsePosition(text);
  FUZZ_CHECK(got.ok() && *got == want,
             Layout(layout) + ": ParsePosition(" + Escaped(text) + ") = " +
                 (got.ok() ? std::to_string(*got) : got.status().ToString()) + ", expected " +
                 std::to_string(want));
}

void ExpectRefused(const lims::BoxLayout& layout, const std::string& text) {
  const absl::StatusOr<int> got = layout.ParsePosition(text);
  FUZZ_CHECK(!got.ok() && got.status().code() == absl::StatusCode::kInvalidArgument,
             Layout(layout) + ": ParsePosition(" + Escaped(text) + ") = " +
                 (got.ok() ? std::to_string(*got) : got.status().ToString()) +
                 ", expected InvalidArgument");
}

// Names outside 1..capacity are "#n", never a real name.
void CheckOutsideName(const lims::BoxLayout& layout, int n) {
  const std::string name = layout.PositionName(n);
  FUZZ_CHECK(name == "#" + std::to_string(n),
             Layout(layout) + ": PositionName(" + std::to_string(n) + ") = " + Escaped(name));
  ExpectRefused(layout, name);
}

// Every position of the layout, both ways; the edges just outside it.
void SweepLayout(const lims::BoxLayout& layout) {
  const int rows = layout.rows();
  const int columns = layout.columns();
  for (int n = 1; n <= layout.capacity(); ++n) {
    const char row = static_cast<char>('A' + (n - 1) / columns);
    const std::string column = std::to_string((n - 1) % columns + 1);
    const std::string name = layout.PositionName(n);
    FUZZ_CHECK(name == row + column, Layout(layout) + ": PositionName(" + std::to_string(n) +
                                         ") = " + Escaped(name));
    ExpectPosition(layout, name, n);
    ExpectPosition(layout, lims::fuzz::Lower(name), n);
    ExpectPosition(layout, std::string(1, row) + std::string(kMaxDigits - column.size(), '0') +
                               column, n);
    ExpectPosition(layout, " \t" + name + "\r\n", n);
    ExpectPosition(layout, std::to_string(n), n);
  }
  ExpectRefused(layout, "0");
  ExpectRefused(layout, std::to_string(layout.capacity() + 1));
  ExpectRefused(layout, "A0");
  ExpectRefused(layout, "A" + std::to_string(columns + 1));
  if (rows < 26) ExpectRefused(layout, std::string(1, static_cast<char>('A' + rows)) + "1");
  for (int n : {0, -1, layout.capacity() + 1, INT32_MIN, INT32_MAX}) CheckOutsideName(layout, n);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  std::string_view rest = input;
  std::optional<int> rows = TakeSmallInt(rest);
  std::optional<int> columns;
  if (rows && !rest.empty() && rest.front() == 'x') {
    rest.remove_prefix(1);
    columns = TakeSmallInt(rest);
  }
  std::string position;
  if (rows && columns && !rest.empty() && rest.front() == ':') {
    position = std::string(rest.substr(1));
  } else {
    rows = 9;
    columns = 9;
    position = input;
  }

  const absl::StatusOr<lims::BoxLayout> layout = lims::BoxLayout::Create(*rows, *columns);
  const bool valid = *rows >= 1 && *rows <= 26 && *columns >= 1 && *columns <= 99;
  FUZZ_CHECK(layout.ok() == valid, "BoxLayout::Create(" + std::to_string(*rows) + ", " +
                                       std::to_string(*columns) + "): " +
                                       layout.status().ToString());
  if (!layout.ok()) {
    FUZZ_CHECK(layout.status().code() == absl::StatusCode::kInvalidArgument,
               layout.status().ToString());
    return 0;
  }
  FUZZ_CHECK(layout->capacity() == *rows * *columns, "capacity of " + Layout(*layout));

  // Each layout is swept once per process (at most 26 x 99 of them); a crash found here
  // reproduces from its input alone because a fresh process sweeps again.
  static bool swept[27][100] = {};
  if (!swept[*rows][*columns]) {
    swept[*rows][*columns] = true;
    SweepLayout(*layout);
  }

  const absl::StatusOr<int> parsed = layout->ParsePosition(position);
  const std::optional<int> expected = ReferenceParse(position, *rows, *columns);
  FUZZ_CHECK(parsed.ok() == expected.has_value(),
             Layout(*layout) + ": ParsePosition(" + Escaped(position) + "): " +
                 parsed.status().ToString());
  if (!parsed.ok()) {
    FUZZ_CHECK(parsed.status().code() == absl::StatusCode::kInvalidArgument,
               parsed.status().ToString());
    return 0;
  }
  FUZZ_CHECK(*parsed == *expected && *parsed >= 1 && *parsed <= layout->capacity(),
             Layout(*layout) + ": ParsePosition(" + Escaped(position) + ") = " +
                 std::to_string(*parsed) + ", expected " + std::to_string(*expected));
  ExpectPosition(*layout, layout->PositionName(*parsed), *parsed);
  return 0;
}
