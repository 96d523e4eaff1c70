#include "display.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <vector>

#include "lims/core/box_layout.h"
#include "time_args.h"

namespace lims::cli {
namespace {

std::string Number(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.10g", value);
  return buffer;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string StripPrefix(const std::string& name, std::string_view prefix) {
  if (name.compare(0, prefix.size(), prefix) == 0) return name.substr(prefix.size());
  return name;
}

}  // namespace

std::string FormatQuantity(const v1::Quantity& quantity) {
  const double value = quantity.value();
  const std::string& unit = quantity.unit();
  if (unit.empty() && value == 0) return "";
  if (unit == "uL" || unit == "\xC2\xB5L") {
    if (value >= 1000) return Number(value / 1000) + " mL";
    return Number(value) + " \xC2\xB5L";
  }
  if (unit == "ug" || unit == "\xC2\xB5g") {
    if (value >= 1000) return Number(value / 1000) + " mg";
    return Number(value) + " \xC2\xB5g";
  }
  if ((unit == "cells" || unit == "count") && value >= 100000) {
    // 2000000 → "2e6", 2500000 → "2.5e6".
    const int exponent = static_cast<int>(std::floor(std::log10(value)));
    const double mantissa = value / std::pow(10.0, exponent);
    return Number(std::round(mantissa * 1000) / 1000) + "e" + std::to_string(exponent) + " " + unit;
  }
  return Number(value) + " " + unit;
}

std::string StatusName(v1::SampleStatus status) {
  return StripPrefix(v1::SampleStatus_Name(status), "SAMPLE_STATUS_");
}

std::string KindName(v1::StorageKind kind) {
  std::string name = StripPrefix(v1::StorageKind_Name(kind), "STORAGE_KIND_");
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

v1::StorageKind ParseKind(std::string_view text) {
  v1::StorageKind kind;
  if (!text.empty() && v1::StorageKind_Parse("STORAGE_KIND_" + Upper(text), &kind) &&
      kind != v1::STORAGE_KIND_UNSPECIFIED) {
    return kind;
  }
  return v1::STORAGE_KIND_UNSPECIFIED;
}

std::string WindowText(const v1::Sample& sample) {
  if (!sample.out_of_window()) return "in window";
  const int days = sample.window_offset_days();
  std::string detail;
  if (days != 0) {
    const int magnitude = days < 0 ? -days : days;
    detail = " (" + std::to_string(magnitude) + (magnitude == 1 ? " day " : " days ") +
             (days < 0 ? "early" : "late") + ")";
  }
  return "OUT OF WINDOW" + detail;
}

std::string FormatOffset(int days) {
  if (days == 0) return "0 d";
  return (days > 0 ? "+" : "") + std::to_string(days) + " d";
}

std::string FormatWindow(int before, int after) {
  if (before == after) return "\xC2\xB1" + std::to_string(before) + " d";
  return "-" + std::to_string(before) + "/+" + std::to_string(after) + " d";
}

std::string FormatKit(const v1::Timepoint& timepoint) {
  if (timepoint.expected_samples().empty()) return "1 primary sample (any type)";
  std::string out;
  for (const auto& expected : timepoint.expected_samples()) {
    if (!out.empty()) out += ", ";
    out += expected.sample_type() + " \xC3\x97" + std::to_string(expected.count());
  }
  return out;
}

std::string BoxName(const v1::Location& location) {
  const std::string& path = location.path();
  const size_t slash = path.rfind(" / ");
  std::string last = slash == std::string::npos ? path : path.substr(slash + 3);
  if (last.rfind("Box ", 0) == 0) last = last.substr(4);
  return last.empty() ? location.box_id() : last;
}

std::string FormatLocation(const v1::Location& location) {
  if (location.box_id().empty()) return "not in a box";
  const std::string name = BoxName(location);
  return "box " + name + (name == location.box_id() ? "" : " (#" + location.box_id() + ")") +
         " position " + location.position();
}

std::string ShortTag(std::string_view barcode, size_t width) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t dash = barcode.find('-', start);
    parts.push_back(barcode.substr(start, dash == std::string_view::npos ? dash : dash - start));
    if (dash == std::string_view::npos) break;
    start = dash + 1;
  }
  std::string_view tag = parts.back();
  // A minted id ends in a one-character check: show the sequence before it.
  if (parts.size() >= 3 && tag.size() == 1) tag = parts[parts.size() - 2];
  while (tag.size() > 1 && tag.front() == '0') tag.remove_prefix(1);
  if (tag.size() > width) tag = tag.substr(tag.size() - width);
  return std::string(tag);
}

KeyValues SampleLines(const v1::Sample& sample) {
  KeyValues lines = {
      {"Barcode", Style::Bold(sample.barcode())},
      {"Type", sample.sample_type()},
      {"Quantity", FormatQuantity(sample.quantity())},
      {"Status", StatusName(sample.status())},
      {"Freeze-thaw", std::to_string(sample.freeze_thaw_count())},
  };
  if (!sample.parent_barcode().empty()) lines.push_back({"Parent", sample.parent_barcode()});
  lines.push_back({"Patient", sample.patient_registry_id()});
  lines.push_back({"Protocol", sample.protocol_code()});
  lines.push_back({"Timepoint", sample.timepoint_code()});
  const std::string collected = FormatTimestamp(sample.collected_at());
  if (!collected.empty()) lines.push_back({"Collected", collected});
  const std::string window = WindowText(sample);
  lines.push_back({"Window", sample.out_of_window() ? Style::Warn(window) : window});
  if (!sample.sprec().empty()) lines.push_back({"SPREC", sample.sprec()});
  if (!sample.site_code().empty()) lines.push_back({"Site", sample.site_code()});
  if (!sample.enrollment_id().empty()) lines.push_back({"Enrollment", sample.enrollment_id()});
  return lines;
}

std::string ConsentScopeName(v1::ConsentScope scope) {
  std::string name = v1::ConsentScope_Name(scope);
  const std::string prefix = "CONSENT_SCOPE_";
  if (name.rfind(prefix, 0) == 0) name = name.substr(prefix.size());
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name.empty() ? std::to_string(static_cast<int>(scope)) : name;
}

std::string ConsentText(const google::protobuf::RepeatedField<int>& scopes, bool withdrawn) {
  std::string text;
  for (int scope : scopes) {
    if (!text.empty()) text += ", ";
    text += ConsentScopeName(static_cast<v1::ConsentScope>(scope));
  }
  if (text.empty()) return withdrawn ? "WITHDRAWN (no scope granted)" : "none recorded";
  return withdrawn ? text + " (some scopes withdrawn)" : text;
}

void PrintWellGrid(std::ostream& out, int rows, int columns,
                   const std::map<std::pair<int, int>, std::string>& tags) {
  size_t width = std::to_string(columns).size();
  for (const auto& [cell, tag] : tags) width = std::max(width, DisplayWidth(tag));
  // Row letters as lims-core names them (a layout it refuses: row numbers).
  const auto layout = BoxLayout::Create(rows, columns);
  auto row_name = [&](int r) { return layout.ok() ? layout->RowName(r) : std::to_string(r + 1); };
  const size_t label_width = row_name(rows - 1).size();
  std::string header(label_width, ' ');
  for (int c = 0; c < columns; ++c) header += " " + PadLeft(std::to_string(c + 1), width);
  out << Style::Bold(header) << "\n";
  for (int r = 0; r < rows; ++r) {
    std::string line = Style::Bold(PadRight(row_name(r), label_width));
    for (int c = 0; c < columns; ++c) {
      auto it = tags.find({r, c});
      line += " " + (it == tags.end() ? PadLeft("\xC2\xB7", width)  // ·
                                      : Style::Bold(PadLeft(it->second, width)));
    }
    out << line << "\n";
  }
}

// "storage,research genetic" → scopes; names as in ConsentScopeName, '-' accepted for '_'.
std::vector<v1::ConsentScope> ParseScopes(const std::string& text, const std::string& option) {
  std::vector<v1::ConsentScope> scopes;
  std::string word;
  auto flush = [&] {
    if (word.empty()) return;
    std::string name = "CONSENT_SCOPE_";
    for (char c : word) {
      name.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
    v1::ConsentScope scope;
    if (!v1::ConsentScope_Parse(name, &scope) || scope == v1::CONSENT_SCOPE_UNSPECIFIED) {
      throw CliError(kExitUsage, option + ": unknown scope '" + word +
                                     "'; use storage, research, genetic, sharing_outside_eu, "
                                     "commercial");
    }
    scopes.push_back(scope);
    word.clear();
  };
  for (char c : text) {
    if (c == ',' || c == ' ') {
      flush();
    } else {
      word.push_back(c);
    }
  }
  flush();
  return scopes;
}

}  // namespace lims::cli
