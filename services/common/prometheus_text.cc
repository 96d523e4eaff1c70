#include "prometheus_text.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace lims::services {
namespace {

// Label values escape backslash, double quote and line feed; HELP text backslash and line feed.
std::string Escaped(std::string_view text, bool quotes) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quotes) {
      out += "\\\"";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string Number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::abs(value) < 1e15) {
    return absl::StrCat(static_cast<int64_t>(value));
  }
  return absl::StrFormat("%.9g", value);
}

}  // namespace

void PrometheusText::Family(std::string_view name, std::string_view type, std::string_view help) {
  absl::StrAppend(&text_, "# HELP ", std::string(name), " ", Escaped(help, false), "\n", "# TYPE ",
                  std::string(name), " ", std::string(type), "\n");
}

void PrometheusText::Sample(std::string_view name, const MetricLabels& labels, double value) {
  absl::StrAppend(&text_, std::string(name));
  if (!labels.empty()) {
    text_.push_back('{');
    for (size_t i = 0; i < labels.size(); ++i) {
      absl::StrAppend(&text_, i ? "," : "", labels[i].first, "=\"", Escaped(labels[i].second, true),
                      "\"");
    }
    text_.push_back('}');
  }
  absl::StrAppend(&text_, " ", Number(value), "\n");
}

}  // namespace lims::services
