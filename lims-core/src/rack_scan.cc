#include "lims/core/rack_scan.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lims/core/csv_reader.h"
#include "lims/core/sample_id.h"
#include "text.h"

namespace lims {
namespace {

constexpr size_t kMaxErrors = 20;

char DetectDelimiter(std::string_view csv) {
  const std::string_view first = csv.substr(0, csv.find_first_of("\r\n"));
  size_t commas = 0, semicolons = 0, tabs = 0;
  for (char c : first) {
    commas += c == ',';
    semicolons += c == ';';
    tabs += c == '\t';
  }
  if (semicolons > commas && semicolons >= tabs) return ';';
  if (tabs > commas && tabs > semicolons) return '\t';
  return ',';
}

bool Contains(const std::string& lower, std::string_view word) {
  return lower.find(word) != std::string::npos;
}

struct Columns {
  int rack = -1, position = -1, code = -1;
};

// A header names its columns; a file without one is RACK,POSITION,CODE or POSITION,CODE.
bool ReadHeader(const std::vector<std::string>& fields, Columns* c) {
  for (size_t i = 0; i < fields.size(); ++i) {
    const std::string f = text::ToLower(text::Trim(fields[i]));
    const int index = static_cast<int>(i);
    if (Contains(f, "rack")) {
      if (c->rack < 0) c->rack = index;
    } else if (Contains(f, "pos") || Contains(f, "well") || Contains(f, "location") ||
               Contains(f, "coordinate")) {
      if (c->position < 0) c->position = index;
    } else if (Contains(f, "tube") || Contains(f, "barcode") || Contains(f, "code") ||
               Contains(f, "sample")) {
      if (c->code < 0) c->code = index;
    }
  }
  return c->position >= 0 && c->code >= 0;
}

// "A01" and "A1" differ only in columns 1..9: "H12" is written the same way in both ("").
std::string StyleOf(std::string_view position) {
  position = text::Trim(position);
  if (!position.empty() && text::IsDigit(position.front())) return "1..N";
  if (position.size() >= 3 && position[1] == '0') return "A01";
  if (position.size() == 2) return "A1";
  return "";
}

WellReading ReadingOf(std::string_view raw, std::string* code) {
  const std::string upper = text::ToUpper(text::Trim(raw));
  if (upper.empty() || upper == "EMPTY" || upper == "NO TUBE" || upper == "NOTUBE" ||
      upper == "NO_TUBE") {
    return WellReading::kEmpty;
  }
  if (upper == "NO READ" || upper == "NOREAD" || upper == "NO_READ" || upper == "ERROR" ||
      upper == "UNREADABLE") {
    return WellReading::kUnreadable;
  }
  // A code that does not pass its check is a misread: never a guess.
  auto canonical = CanonicalBarcode(raw);
  if (!canonical.ok()) return WellReading::kUnreadable;
  *code = *std::move(canonical);
  return WellReading::kCode;
}

}  // namespace

absl::StatusOr<RackScan> ParseRackCsv(std::string_view csv, const BoxLayout& layout) {
  CsvReader reader(csv);
  reader.set_delimiter(DetectDelimiter(csv));
  RackScan scan;
  scan.wells.resize(static_cast<size_t>(layout.capacity()));
  for (int p = 1; p <= layout.capacity(); ++p) scan.wells[p - 1].position = p;
  std::vector<std::string> errors;
  auto fail = [&](int line, const std::string& why) {
    if (errors.size() < kMaxErrors) errors.push_back(absl::StrCat("line ", line, ": ", why));
  };
  std::set<int> seen_positions;
  std::map<std::string, std::string> code_wells;  // code -> position name
  Columns columns;
  bool first = true;
  CsvRecord record;
  while (reader.Next(&record)) {
    if (!record.error.empty()) {
      fail(record.line, record.error);
      continue;
    }
    if (record.fields.size() == 1 && text::Trim(record.fields[0]).empty()) continue;  // blank
    if (first) {
      first = false;
      if (ReadHeader(record.fields, &columns)) continue;
      columns = record.fields.size() >= 3 ? Columns{0, 1, 2} : Columns{-1, 0, 1};
    }
    const int needed = std::max(columns.position, columns.code);
    if (static_cast<int>(record.fields.size()) <= needed) {
      fail(record.line, absl::StrCat("has ", record.fields.size(), " fields; expected at least ",
                                     needed + 1));
      continue;
    }
    const std::string& position_text = record.fields[static_cast<size_t>(columns.position)];
    auto position = layout.ParsePosition(position_text);
    if (!position.ok()) {
      fail(record.line, std::string(position.status().message()));
      continue;
    }
    const std::string style = StyleOf(position_text);
    const bool letters = style != "1..N";
    if (scan.position_style.empty() || (scan.position_style == "A?" && letters)) {
      scan.position_style = style.empty() ? "A?" : style;
    }
    const bool compatible = style == scan.position_style || (style.empty() && letters &&
                            scan.position_style != "1..N") ||
                            (scan.position_style == "A?" && letters);
    if (!compatible) {
      fail(record.line, absl::StrCat("position ", text::Quoted(position_text), " is written ",
                                     style, "-style but earlier lines use ", scan.position_style));
      continue;
    }
    if (!seen_positions.insert(*position).second) {
      fail(record.line, absl::StrCat("position ", layout.PositionName(*position),
                                     " is listed twice"));
      continue;
    }
    if (columns.rack >= 0 && scan.rack_barcode.empty() &&
        static_cast<int>(record.fields.size()) > columns.rack) {
      scan.rack_barcode = std::string(text::Trim(record.fields[static_cast<size_t>(columns.rack)]));
    }
    ScannedWell& well = scan.wells[static_cast<size_t>(*position - 1)];
    well.reading = ReadingOf(record.fields[static_cast<size_t>(columns.code)], &well.code);
    if (well.reading == WellReading::kCode) {
      auto [it, fresh] = code_wells.emplace(well.code, layout.PositionName(*position));
      if (!fresh) {
        fail(record.line, absl::StrCat(well.code, " is in ", it->second, " and in ",
                                       layout.PositionName(*position),
                                       "; one tube cannot be in two wells: scan the rack again"));
      }
    }
  }
  if (scan.position_style == "A?") scan.position_style = "A1";  // only columns 10 and up
  if (!errors.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the rack file has errors (nothing was changed): ", absl::StrJoin(errors, "; ")));
  }
  if (seen_positions.empty()) {
    return absl::InvalidArgumentError(
        "the rack file lists no wells; expected a header (e.g. Rack,Position,Tube) and one line "
        "per well");
  }
  return scan;
}

RackScan RackScanFromWells(const BoxLayout& layout,
                           const std::vector<std::pair<WellReading, std::string>>& wells) {
  RackScan scan;
  scan.wells.resize(static_cast<size_t>(layout.capacity()));
  std::map<std::string, std::vector<int>> seen;  // code -> wells (0-based)
  for (int p = 1; p <= layout.capacity(); ++p) {
    ScannedWell& well = scan.wells[p - 1];
    well.position = p;
    if (static_cast<size_t>(p) > wells.size()) {  // not read: never taken for empty
      well.reading = WellReading::kUnreadable;
      continue;
    }
    well.reading = wells[p - 1].first;
    if (well.reading != WellReading::kCode) continue;
    auto canonical = CanonicalBarcode(wells[p - 1].second);
    if (!canonical.ok()) {
      well.reading = WellReading::kUnreadable;
      continue;
    }
    well.code = *std::move(canonical);
    seen[well.code].push_back(p - 1);
  }
  for (const auto& [code, at] : seen) {
    if (at.size() < 2) continue;
    for (int i : at) {
      scan.wells[i].reading = WellReading::kUnreadable;
      scan.wells[i].code.clear();
    }
  }
  return scan;
}

BoxReconciliation ReconcileBox(int64_t box_id, const RackScan& scan,
                               const std::map<int, std::string>& recorded,
                               const std::map<std::string, RecordedPlace>& known) {
  BoxReconciliation r;
  std::set<std::string> scanned;
  for (const ScannedWell& well : scan.wells) {
    if (well.reading != WellReading::kCode) continue;
    scanned.insert(well.code);
    auto place = known.find(well.code);
    if (place == known.end()) {
      r.unexpected.push_back({well.code, well.position, ""});
    } else if (place->second.box_id == box_id && place->second.position == well.position) {
      r.matched.push_back({well.code, well.position, ""});
    } else {
      r.misplaced.push_back({well.code, well.position, place->second.where});
    }
  }
  for (const auto& [position, barcode] : recorded) {
    if (scanned.count(barcode)) continue;
    const bool in_scan = position >= 1 && position <= static_cast<int>(scan.wells.size());
    if (in_scan && scan.wells[static_cast<size_t>(position - 1)].reading ==
                       WellReading::kUnreadable) {
      r.unverified.push_back({barcode, position, ""});
    } else {
      r.missing.push_back({barcode, position, ""});
    }
  }
  return r;
}

}  // namespace lims
