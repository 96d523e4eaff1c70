#include "lims/core/box_layout.h"

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "text.h"

namespace lims {
namespace {

constexpr int kMaxRows = 26;  // one letter per row
constexpr int kMaxColumns = 99;
// Enough digits for any column or position number, with room for zero padding ("A001").
constexpr size_t kMaxDigits = 4;

int ToInt(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

}  // namespace

absl::StatusOr<BoxLayout> BoxLayout::Create(int rows, int columns) {
  if (rows < 1 || rows > kMaxRows) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "box rows must be between 1 and %d (rows are lettered A..Z), got %d", kMaxRows, rows));
  }
  if (columns < 1 || columns > kMaxColumns) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "box columns must be between 1 and %d, got %d", kMaxColumns, columns));
  }
  return BoxLayout(rows, columns);
}

std::string BoxLayout::Describe() const {
  return absl::StrFormat("%d×%d (A1..%s)", rows_, columns_, PositionName(capacity()));
}

absl::StatusOr<int> BoxLayout::ParsePosition(std::string_view position) const {
  const std::string_view text = text::Trim(position);
  if (text.empty()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "position is empty; give a well such as A1 or a number 1..%d", capacity()));
  }
  const std::string name = text::ToUpper(text);
  const bool numbered = text::AllDigits(name);
  const std::string_view digits = numbered ? std::string_view(name)
                                           : std::string_view(name).substr(1);
  if ((!numbered && !text::IsUpper(name[0])) || !text::AllDigits(digits) ||
      digits.size() > kMaxDigits) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "position %s is not a well name like A1 or a position number 1..%d",
        text::Quoted(text), capacity()));
  }
  const int number = ToInt(digits);
  if (numbered) {
    if (number < 1 || number > capacity()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "position %d is outside box layout %s; positions are numbered 1..%d", number,
          Describe(), capacity()));
    }
    return number;
  }
  const int row = name[0] - 'A';
  if (row >= rows_ || number < 1 || number > columns_) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "position %c%d is outside box layout %s", name[0], number, Describe()));
  }
  return row * columns_ + number;
}

std::string BoxLayout::PositionName(int position) const {
  if (position < 1 || position > capacity()) return absl::StrFormat("#%d", position);
  const int index = position - 1;
  return absl::StrFormat("%s%d", RowName(index / columns_), index % columns_ + 1);
}

std::string BoxLayout::RowName(int row) const {
  if (row < 0 || row >= rows_) return absl::StrFormat("#%d", row);
  return std::string(1, static_cast<char>('A' + row));
}

std::string BoxPlace::PositionName() const {
  auto layout = BoxLayout::Create(rows, columns);
  return layout.ok() ? layout->PositionName(position) : std::to_string(position);
}

}  // namespace lims
