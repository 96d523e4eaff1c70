// The grid of a storage box or rack: rows are letters (A..Z), columns are numbers (1..99).
// Positions are also numbered 1..capacity, row-major: A1 = 1, A2 = 2, ..., B1 = columns + 1.
#ifndef LIMS_CORE_BOX_LAYOUT_H_
#define LIMS_CORE_BOX_LAYOUT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace lims {

class BoxLayout {
 public:
  // rows 1..26, columns 1..99; InvalidArgument otherwise.
  static absl::StatusOr<BoxLayout> Create(int rows, int columns);

  int rows() const { return rows_; }
  int columns() const { return columns_; }
  int capacity() const { return rows_ * columns_; }

  // Accepts a well name in any case with optional zero-padded column ("A1", "a1", "A01") or a
  // position number ("1".."capacity"), surrounding whitespace ignored. InvalidArgument if
  // malformed or outside this layout.
  absl::StatusOr<int> ParsePosition(std::string_view position) const;

  // "A1".."I9" for 1..capacity (no zero padding). Outside the layout: "#<n>", never a real name.
  std::string PositionName(int position) const;
  // The letter of a 0-based row ("A" for 0); "#<row>" outside the layout.
  std::string RowName(int row) const;

 private:
  BoxLayout(int rows, int columns) : rows_(rows), columns_(columns) {}

  // "9×9 (A1..I9)", for messages.
  std::string Describe() const;

  int rows_;
  int columns_;
};

// Where a tube is: a position of a box, with what a person needs to find it.
struct BoxPlace {
  int64_t box_id = 0;
  int position = 0;  // 1-based, row-major
  std::string box_name;
  std::string box_path;
  int rows = 0;
  int columns = 0;

  // "C4" in the box's own layout (the number when the layout is unknown).
  std::string PositionName() const;
};

}  // namespace lims

#endif  // LIMS_CORE_BOX_LAYOUT_H_
