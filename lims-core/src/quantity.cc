#include "lims/core/quantity.h"

#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"

namespace lims {
namespace {

struct UnitDef {
  std::string_view name;
  Dimension dimension;
  int64_t canonical_per_unit;  // how many nL / ng / cells / count one unit is
};

// Case-sensitive on purpose: "mL" and "ML" (megalitre) are different units.
constexpr UnitDef kUnits[] = {
    {"uL", Dimension::kVolume, 1'000},
    {"\xC2\xB5" "L", Dimension::kVolume, 1'000},  // micro sign U+00B5
    {"\xCE\xBC" "L", Dimension::kVolume, 1'000},  // Greek mu U+03BC
    {"mL", Dimension::kVolume, 1'000'000},
    {"L", Dimension::kVolume, 1'000'000'000},
    {"ug", Dimension::kMass, 1'000},
    {"\xC2\xB5" "g", Dimension::kMass, 1'000},
    {"\xCE\xBC" "g", Dimension::kMass, 1'000},
    {"mg", Dimension::kMass, 1'000'000},
    {"g", Dimension::kMass, 1'000'000'000},
    {"cells", Dimension::kCells, 1},
    {"count", Dimension::kCount, 1},
};
constexpr char kUnitList[] = "uL, \xC2\xB5L, mL, L, ug, \xC2\xB5g, mg, g, cells, count";

// Floating-point input (including float32 from clients) is off by far less than this.
constexpr double kRelativeTolerance = 1e-6;

std::string_view CanonicalUnitOf(Dimension d) {
  switch (d) {
    case Dimension::kVolume: return "nL";
    case Dimension::kMass: return "ng";
    case Dimension::kCells: return "cells";
    case Dimension::kCount: return "count";
  }
  return "count";
}

std::string_view DimensionName(Dimension d) {
  switch (d) {
    case Dimension::kVolume: return "a volume";
    case Dimension::kMass: return "a mass";
    case Dimension::kCells: return "a cell count";
    case Dimension::kCount: return "a count";
  }
  return "a count";
}

bool IsDecimal(Dimension d) { return d == Dimension::kVolume || d == Dimension::kMass; }

std::string InexactMessage(double value, std::string_view unit, Dimension d) {
  switch (d) {
    case Dimension::kVolume:
      return absl::StrFormat("%.15g %s is finer than the 1 nL resolution; round it to whole "
                             "nanolitres (0.001 uL)", value, unit);
    case Dimension::kMass:
      return absl::StrFormat("%.15g %s is finer than the 1 ng resolution; round it to whole "
                             "nanograms (0.001 ug)", value, unit);
    case Dimension::kCells:
    case Dimension::kCount:
      return absl::StrFormat("%.15g %s is not a whole number of %s; enter a whole number",
                             value, unit, unit);
  }
  return "";
}

}  // namespace

absl::StatusOr<Quantity> Quantity::FromValue(double value, std::string_view unit) {
  const UnitDef* def = nullptr;
  for (const UnitDef& candidate : kUnits) {
    if (candidate.name == unit) def = &candidate;
  }
  if (def == nullptr) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "quantity unit \"%s\" is not known; use one of %s", unit, kUnitList));
  }
  if (!std::isfinite(value)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "quantity value %f is not a number; enter a value such as 500 uL", value));
  }
  if (value <= 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "quantity must be greater than zero, got %.15g %s", value, unit));
  }
  const double canonical = value * static_cast<double>(def->canonical_per_unit);
  // 2^63 is exactly representable; anything from there up does not fit in int64_t.
  if (canonical >= 9223372036854775808.0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "quantity %.15g %s is too large to record; check the value and unit", value, unit));
  }
  const double rounded = std::round(canonical);
  if (rounded < 1 || std::fabs(canonical - rounded) > kRelativeTolerance * canonical) {
    return absl::InvalidArgumentError(InexactMessage(value, unit, def->dimension));
  }
  return Quantity(def->dimension, static_cast<int64_t>(rounded));
}

absl::StatusOr<Quantity> Quantity::FromCanonical(int64_t amount,
                                                 std::string_view canonical_unit) {
  for (Dimension d : {Dimension::kVolume, Dimension::kMass, Dimension::kCells,
                      Dimension::kCount}) {
    if (canonical_unit != CanonicalUnitOf(d)) continue;
    if (amount < 0) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "stored quantity %d %s is negative; the record is corrupt", amount, canonical_unit));
    }
    return Quantity(d, amount);
  }
  return absl::InvalidArgumentError(absl::StrFormat(
      "stored quantity unit \"%s\" is not one of nL, ng, cells, count", canonical_unit));
}

std::string Quantity::canonical_unit() const { return std::string(CanonicalUnitOf(dimension_)); }

double Quantity::display_value() const {
  return IsDecimal(dimension_) ? static_cast<double>(amount_) / 1000.0
                               : static_cast<double>(amount_);
}

std::string Quantity::display_unit() const {
  switch (dimension_) {
    case Dimension::kVolume: return "uL";
    case Dimension::kMass: return "ug";
    case Dimension::kCells: return "cells";
    case Dimension::kCount: return "count";
  }
  return "count";
}

namespace {

// `amount / scale` as an exact decimal (scale a power of ten): no binary rounding in what
// people read.
std::string ExactDecimal(int64_t amount, int64_t scale, std::string_view unit) {
  const int64_t whole = amount / scale;
  int64_t fraction = amount % scale;
  if (fraction == 0) return absl::StrFormat("%d %s", whole, unit);
  int digits = 0;
  for (int64_t s = scale; s > 1; s /= 10) ++digits;
  while (fraction % 10 == 0) {
    fraction /= 10;
    --digits;
  }
  return absl::StrFormat("%d.%0*d %s", whole, digits, fraction, unit);
}

}  // namespace

std::string Quantity::ToString() const {
  if (!IsDecimal(dimension_)) return absl::StrFormat("%d %s", amount_, display_unit());
  return ExactDecimal(amount_, 1000, display_unit());
}

std::string Quantity::ToShortString() const {
  if (!IsDecimal(dimension_)) return ToString();
  if (amount_ < 1000000) return ToString();
  return ExactDecimal(amount_, 1000000, dimension_ == Dimension::kVolume ? "mL" : "mg");
}

absl::StatusOr<Quantity> Subtract(const Quantity& a, const Quantity& b) {
  if (a.dimension_ != b.dimension_) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "cannot take %s from %s: %s and %s cannot be combined", b.ToString(), a.ToString(),
        DimensionName(b.dimension_), DimensionName(a.dimension_)));
  }
  if (b.amount_ > a.amount_) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "cannot take %s when only %s is left", b.ToString(), a.ToString()));
  }
  return Quantity(a.dimension_, a.amount_ - b.amount_);
}

absl::StatusOr<Quantity> Multiply(const Quantity& q, int64_t factor) {
  if (factor < 0) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "cannot multiply %s by %d: the factor must not be negative", q.ToString(), factor));
  }
  int64_t product = 0;
  if (__builtin_mul_overflow(q.amount_, factor, &product)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%d × %s is too large to record; check the number and the quantity", factor,
        q.ToString()));
  }
  return Quantity(q.dimension_, product);
}

bool operator==(const Quantity& a, const Quantity& b) {
  return a.dimension() == b.dimension() && a.canonical_amount() == b.canonical_amount();
}

bool operator!=(const Quantity& a, const Quantity& b) { return !(a == b); }

}  // namespace lims
