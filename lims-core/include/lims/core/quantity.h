// Exact quantities. Amounts are stored as integers in a canonical unit (nanolitres, nanograms,
// cells, count) so that aliquoting arithmetic never drifts: 3 × 0.1 mL taken from 0.3 mL
// leaves exactly nothing.
#ifndef LIMS_CORE_QUANTITY_H_
#define LIMS_CORE_QUANTITY_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace lims {

enum class Dimension { kVolume, kMass, kCells, kCount };

class Quantity {
 public:
  // 0 count: a placeholder only, never a measured quantity.
  Quantity() = default;

  // value > 0 and finite, in one of: uL, µL, mL, L (volume); ug, µg, mg, g (mass); cells; count.
  // µ may be the micro sign (U+00B5) or the Greek mu (U+03BC). InvalidArgument if the value is
  // not positive, finer than 1 nL / 1 ng, not a whole number of cells/count, or too large.
  static absl::StatusOr<Quantity> FromValue(double value, std::string_view unit);

  // As stored: amount >= 0 in "nL", "ng", "cells" or "count".
  static absl::StatusOr<Quantity> FromCanonical(int64_t amount, std::string_view canonical_unit);

  Dimension dimension() const { return dimension_; }
  int64_t canonical_amount() const { return amount_; }
  std::string canonical_unit() const;  // "nL", "ng", "cells", "count"
  double display_value() const;        // in display_unit()
  std::string display_unit() const;    // "uL", "ug", "cells", "count"
  std::string ToString() const;        // "500 uL", "0.5 uL", "2000000 cells" (exact decimal)
  // For labels: mL / mg from 1 mL / 1 mg up ("4 mL", "1.25 mL"), else as ToString ("500 uL").
  std::string ToShortString() const;
  bool is_zero() const { return amount_ == 0; }

 private:
  Quantity(Dimension dimension, int64_t amount) : dimension_(dimension), amount_(amount) {}

  friend absl::StatusOr<Quantity> Subtract(const Quantity& a, const Quantity& b);
  friend absl::StatusOr<Quantity> Multiply(const Quantity& q, int64_t factor);

  Dimension dimension_ = Dimension::kCount;
  int64_t amount_ = 0;
};

// a - b. InvalidArgument if the dimensions differ; FailedPrecondition if b exceeds a.
absl::StatusOr<Quantity> Subtract(const Quantity& a, const Quantity& b);

// q × factor, factor >= 0. InvalidArgument for a negative factor or an overflow.
absl::StatusOr<Quantity> Multiply(const Quantity& q, int64_t factor);

bool operator==(const Quantity& a, const Quantity& b);
bool operator!=(const Quantity& a, const Quantity& b);

}  // namespace lims

#endif  // LIMS_CORE_QUANTITY_H_
