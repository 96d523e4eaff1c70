#include "lims/core/temperature.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"

namespace lims {

std::string_view UnitStateCode(UnitState state) {
  switch (state) {
    case UnitState::kInService:
      return "in_service";
    case UnitState::kDefrosting:
      return "defrosting";
    case UnitState::kOutOfService:
      return "out_of_service";
    case UnitState::kBackup:
      return "backup";
  }
  return "in_service";
}

absl::StatusOr<UnitState> ParseUnitState(std::string_view code) {
  for (UnitState s : {UnitState::kInService, UnitState::kDefrosting, UnitState::kOutOfService,
                      UnitState::kBackup}) {
    if (UnitStateCode(s) == code) return s;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown unit state '", std::string(code),
                   "'; use in_service, defrosting, out_of_service or backup"));
}

absl::Status CheckClimate(const Climate& c) {
  constexpr double kAbsoluteZero = -273.15, kHottest = 100;
  for (const auto& [value, name] :
       {std::pair{c.set_point, "set_point_celsius"}, std::pair{c.alarm_low, "alarm_low_celsius"},
        std::pair{c.alarm_high, "alarm_high_celsius"}}) {
    if (value && (!std::isfinite(*value) || *value < kAbsoluteZero || *value > kHottest)) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, " must be between -273.15 and 100 °C, not ", *value));
    }
  }
  if (c.alarm_low && c.alarm_high && *c.alarm_low >= *c.alarm_high) {
    return absl::InvalidArgumentError(absl::StrCat("alarm_low_celsius (", *c.alarm_low,
                                                   ") must be below alarm_high_celsius (",
                                                   *c.alarm_high, ")"));
  }
  if (c.set_point && ((c.alarm_low && *c.set_point <= *c.alarm_low) ||
                      (c.alarm_high && *c.set_point >= *c.alarm_high))) {
    return absl::InvalidArgumentError(absl::StrCat("the set point (", *c.set_point,
                                                   " °C) must lie between the alarm thresholds"));
  }
  if (c.probe_id.size() > 100) {
    return absl::InvalidArgumentError("probe_id is longer than 100 characters");
  }
  for (char ch : c.probe_id) {
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) {
      return absl::InvalidArgumentError("probe_id holds a control character");
    }
  }
  return absl::OkStatus();
}

namespace {

// How far beyond its threshold a reading is on `side` (≤ 0: within).
double Beyond(ExcursionSide side, double threshold, double celsius) {
  return side == ExcursionSide::kHigh ? celsius - threshold : threshold - celsius;
}

void Scan(const std::vector<Reading>& readings, ExcursionSide side, double threshold,
          std::vector<ExcursionSpan>& out) {
  std::optional<ExcursionSpan> open;
  for (size_t i = 0; i < readings.size(); ++i) {
    const Reading& r = readings[i];
    const double beyond = Beyond(side, threshold, r.celsius);
    if (open) {
      // The previous reading held until this one.
      const Reading& previous = readings[i - 1];
      open->degree_minutes += std::max(0.0, Beyond(side, threshold, previous.celsius)) *
                              absl::ToDoubleMinutes(r.at - previous.at);
      open->last_reading = r.at;
      if (beyond <= 0) {
        open->end = r.at;
        open->minutes_beyond = absl::ToDoubleMinutes(r.at - open->start);
        out.push_back(*open);
        open.reset();
        continue;
      }
      open->minutes_beyond = absl::ToDoubleMinutes(r.at - open->start);
      if (beyond > Beyond(side, threshold, open->peak)) {
        open->peak = r.celsius;
        open->peak_at = r.at;
      }
    } else if (beyond > 0) {
      open = ExcursionSpan{side, threshold, r.at, std::nullopt, r.at, r.celsius, r.at, 0, 0};
    }
  }
  if (open) out.push_back(*open);
}

}  // namespace

std::vector<ExcursionSpan> FindExcursions(const std::vector<Reading>& readings,
                                          const Climate& climate) {
  std::vector<ExcursionSpan> out;
  if (climate.alarm_high) Scan(readings, ExcursionSide::kHigh, *climate.alarm_high, out);
  if (climate.alarm_low) Scan(readings, ExcursionSide::kLow, *climate.alarm_low, out);
  std::sort(out.begin(), out.end(),
            [](const ExcursionSpan& a, const ExcursionSpan& b) { return a.start < b.start; });
  return out;
}

double OverlapMinutes(absl::Time a_from, std::optional<absl::Time> a_to, absl::Time b_from,
                      std::optional<absl::Time> b_to, absl::Time now) {
  const absl::Time from = std::max(a_from, b_from);
  const absl::Time to = std::min(a_to.value_or(now), b_to.value_or(now));
  return to > from ? absl::ToDoubleMinutes(to - from) : 0;
}

}  // namespace lims
