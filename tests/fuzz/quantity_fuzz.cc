// Fuzz target: exact quantities (lims/core/quantity.h).
// Input: up to three lines
//   VALUE UNIT        for Quantity::FromValue: VALUE as strtod reads it ("0.5", "1e3", "nan",
//                     "0x1p-3"), UNIT the rest of the line after the first space, byte for byte;
//   AMOUNT UNIT       for Quantity::FromCanonical (AMOUNT a decimal int64);
//   FACTOR            for Multiply (a decimal int64).
// Properties:
//  - FromValue accepts only known units with finite positive values; what it accepts has the
//    unit's dimension, a canonical amount >= 1 within the 1e-6 relative tolerance of
//    value x unit size, and every value whose canonical amount is an exact integer 1..2^53 is
//    accepted with exactly that amount;
//  - FromValue -> FromCanonical(canonical_amount, canonical_unit) gives back the same quantity;
//    ToString is an exact decimal (equal to display_value() up to 2^53), and for amounts up to 2^48
//    FromValue(display_value(), display_unit()) gives back the same quantity too;
//  - FromCanonical accepts exactly amounts >= 0 in nL, ng, cells, count and keeps them exactly;
//  - Subtract refuses other dimensions (InvalidArgument) and too much (FailedPrecondition), and
//    is exact otherwise; Multiply refuses negative factors and overflow and is exact otherwise.
// fuzz-options: -max_len=128
#include <cerrno>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "fuzz_support.h"
#include "lims/core/quantity.h"

namespace {

using lims::Dimension;
using lims::Quantity;
using lims::fuzz::Escaped;

struct Unit {
  std::string_view name;
  Dimension dimension;
  int64_t per_unit;  // canonical amount of one unit
};

// The units quantity.h lists; micro may be U+00B5 or U+03BC.
constexpr Unit kUnits[] = {
    {"uL", Dimension::kVolume, 1'000},
    {"\xC2\xB5L", Dimension::kVolume, 1'000},
    {"\xCE\xBCL", Dimension::kVolume, 1'000},
    {"mL", Dimension::kVolume, 1'000'000},
    {"L", Dimension::kVolume, 1'000'000'000},
    {"ug", Dimension::kMass, 1'000},
    {"\xC2\xB5g", Dimension::kMass, 1'000},
    {"\xCE\xBCg", Dimension::kMass, 1'000},
    {"mg", Dimension::kMass, 1'000'000},
    {"g", Dimension::kMass, 1'000'000'000},
    {"cells", Dimension::kCells, 1},
    {"count", Dimension::kCount, 1},
};

const Unit* FindUnit(std::string_view name) {
  for (const Unit& unit : kUnits) {
    if (unit.name == name) return &unit;
  }
  return nullptr;
}

std::string_view CanonicalUnit(Dimension d) {
  switch (d) {
    case Dimension::kVolume: return "nL";
    case Dimension::kMass: return "ng";
    case Dimension::kCells: return "cells";
    case Dimension::kCount: return "count";
  }
  return "?";
}

std::string_view DisplayUnit(Dimension d) {
  switch (d) {
    case Dimension::kVolume: return "uL";
    case Dimension::kMass: return "ug";
    case Dimension::kCells: return "cells";
    case Dimension::kCount: return "count";
  }
  return "?";
}

std::string Describe(const Quantity& q) {
  return std::to_string(q.canonical_amount()) + " " + q.canonical_unit();
}

std::optional<int64_t> ParseInt64(const std::string& token) {
  if (token.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  const long long value = std::strtoll(token.c_str(), &end, 10);
  if (errno != 0 || end != token.c_str() + token.size()) return std::nullopt;
  return static_cast<int64_t>(value);
}

// ToString: "<whole>[.<1-3 digits, no trailing zero>] <display unit>", read back exactly.
void CheckToString(const Quantity& q) {
  const std::string text = q.ToString();
  const std::string unit(DisplayUnit(q.dimension()));
  FUZZ_CHECK(q.display_unit() == unit, Describe(q) + ": display unit " + q.display_unit());
  const size_t space = text.find(' ');
  FUZZ_CHECK(space != std::string::npos && text.substr(space + 1) == unit,
             Describe(q) + ": ToString " + Escaped(text));
  const std::string number = text.substr(0, space);
  const size_t dot = number.find('.');
  const bool decimal = q.dimension() == Dimension::kVolume || q.dimension() == Dimension::kMass;
  FUZZ_CHECK(lims::fuzz::AllDigits(number.substr(0, dot)) &&
                 (dot == std::string::npos ||
                  (decimal && number.size() - dot - 1 >= 1 && number.size() - dot - 1 <= 3 &&
                   lims::fuzz::AllDigits(number.substr(dot + 1)) && number.back() != '0')),
             Describe(q) + ": ToString " + Escaped(text));
  // display_value() converts the amount to double first: exact only up to 2^53.
  if (q.canonical_amount() <= (int64_t{1} << 53)) {
    FUZZ_CHECK(std::strtod(number.c_str(), nullptr) == q.display_value(),
               Describe(q) + ": ToString " + Escaped(text) + " is not display_value() " +
                   std::to_string(q.display_value()));
  }
}

void CheckRoundTrips(const Quantity& q) {
  FUZZ_CHECK(q.canonical_unit() == CanonicalUnit(q.dimension()),
             Describe(q) + ": canonical unit of its dimension");
  const absl::StatusOr<Quantity> stored =
      Quantity::FromCanonical(q.canonical_amount(), q.canonical_unit());
  FUZZ_CHECK(stored.ok() && *stored == q,
             Describe(q) + " does not come back from FromCanonical: " +
                 (stored.ok() ? Describe(*stored) : stored.status().ToString()));
  CheckToString(q);
  if (q.canonical_amount() >= 1 && q.canonical_amount() <= (int64_t{1} << 48)) {
    const absl::StatusOr<Quantity> shown = Quantity::FromValue(q.display_value(), q.display_unit());
    FUZZ_CHECK(shown.ok() && *shown == q,
               Describe(q) + " does not come back from FromValue(display_value, display_unit): " +
                   (shown.ok() ? Describe(*shown) : shown.status().ToString()));
  }
}

std::optional<Quantity> CheckFromValue(const std::string& line) {
  const size_t space = line.find(' ');
  const std::string number = line.substr(0, space);
  const std::string unit_name = space == std::string::npos ? "" : line.substr(space + 1);
  const double value = std::strtod(number.c_str(), nullptr);
  const Unit* unit = FindUnit(unit_name);

  const absl::StatusOr<Quantity> q = Quantity::FromValue(value, unit_name);
  const std::string call = "FromValue(" + number + " = " + std::to_string(value) + ", " +
                           Escaped(unit_name) + ")";
  if (!q.ok()) {
    FUZZ_CHECK(q.status().code() == absl::StatusCode::kInvalidArgument, q.status().ToString());
    // Exact whole canonical amounts of a known unit are always accepted.
    if (unit != nullptr && std::isfinite(value) && value > 0) {
      const double exact = value * static_cast<double>(unit->per_unit);
      FUZZ_CHECK(!(exact >= 1 && exact <= 9007199254740992.0 && std::floor(exact) == exact),
                 call + " refused: " + q.status().ToString());
    }
    return std::nullopt;
  }
  FUZZ_CHECK(unit != nullptr && std::isfinite(value) && value > 0, call + " accepted");
  FUZZ_CHECK(q->dimension() == unit->dimension, call + ": wrong dimension");
  const long double exact = static_cast<long double>(value) * unit->per_unit;
  const long double amount = static_cast<long double>(q->canonical_amount());
  FUZZ_CHECK(q->canonical_amount() >= 1 &&
                 std::fabs(amount - exact) <= 1e-6L * exact * (1 + 1e-9L) &&
                 std::fabs(amount - exact) <= 0.5L + exact * 0x1p-52L,
             call + " = " + Describe(*q));
  if (exact <= 0x1p53L && std::floor(exact) == exact) {
    FUZZ_CHECK(amount == exact, call + " = " + Describe(*q) + ", not the exact amount");
  }
  CheckRoundTrips(*q);
  return *q;
}

std::optional<Quantity> CheckFromCanonical(const std::string& line) {
  const size_t space = line.find(' ');
  const std::optional<int64_t> amount = ParseInt64(line.substr(0, space));
  if (!amount) return std::nullopt;
  const std::string unit = space == std::string::npos ? "" : line.substr(space + 1);
  const absl::StatusOr<Quantity> q = Quantity::FromCanonical(*amount, unit);
  const bool known = unit == "nL" || unit == "ng" || unit == "cells" || unit == "count";
  const std::string call = "FromCanonical(" + std::to_string(*amount) + ", " + Escaped(unit) + ")";
  FUZZ_CHECK(q.ok() == (known && *amount >= 0), call + ": " + q.status().ToString());
  if (!q.ok()) {
    FUZZ_CHECK(q.status().code() == absl::StatusCode::kInvalidArgument, q.status().ToString());
    return std::nullopt;
  }
  FUZZ_CHECK(q->canonical_amount() == *amount && q->canonical_unit() == unit &&
                 q->is_zero() == (*amount == 0),
             call + " = " + Describe(*q));
  CheckRoundTrips(*q);
  return *q;
}

void CheckSubtract(const Quantity& a, const Quantity& b) {
  const absl::StatusOr<Quantity> d = lims::Subtract(a, b);
  const std::string call = "Subtract(" + Describe(a) + ", " + Describe(b) + ")";
  if (a.dimension() != b.dimension()) {
    FUZZ_CHECK(d.status().code() == absl::StatusCode::kInvalidArgument,
               call + ": " + d.status().ToString());
  } else if (b.canonical_amount() > a.canonical_amount()) {
    FUZZ_CHECK(d.status().code() == absl::StatusCode::kFailedPrecondition,
               call + ": " + d.status().ToString());
  } else {
    FUZZ_CHECK(d.ok() && d->dimension() == a.dimension() &&
                   d->canonical_amount() == a.canonical_amount() - b.canonical_amount(),
               call + ": " + (d.ok() ? Describe(*d) : d.status().ToString()));
  }
}

void CheckMultiply(const Quantity& q, int64_t factor) {
  const absl::StatusOr<Quantity> p = lims::Multiply(q, factor);
  const std::string call = "Multiply(" + Describe(q) + ", " + std::to_string(factor) + ")";
  const __int128 exact = static_cast<__int128>(q.canonical_amount()) * factor;
  if (factor < 0 || exact > INT64_MAX) {
    FUZZ_CHECK(p.status().code() == absl::StatusCode::kInvalidArgument,
               call + ": " + p.status().ToString());
  } else {
    FUZZ_CHECK(p.ok() && p->dimension() == q.dimension() && p->canonical_amount() == exact,
               call + ": " + (p.ok() ? Describe(*p) : p.status().ToString()));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> lines;
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  while (lines.size() < 3) {
    const size_t newline = rest.find('\n');
    lines.emplace_back(rest.substr(0, newline));
    if (newline == std::string_view::npos) break;
    rest.remove_prefix(newline + 1);
  }

  const std::optional<Quantity> measured = CheckFromValue(lines[0]);
  const std::optional<Quantity> stored =
      lines.size() > 1 ? CheckFromCanonical(lines[1]) : std::nullopt;
  if (measured && stored) {
    CheckSubtract(*measured, *stored);
    CheckSubtract(*stored, *measured);
  }
  if (lines.size() > 2) {
    const std::optional<int64_t> factor = ParseInt64(lines[2]);
    const std::optional<Quantity>& q = stored ? stored : measured;
    if (factor && q) CheckMultiply(*q, *factor);
  }
  return 0;
}
