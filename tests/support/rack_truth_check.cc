// lims-rack-check: reads rack pictures that come with their truth (a PNG and a JSON beside it,
// as tests/tools/rack_scene.py writes them) with the rack reader, and prints one JSON line per
// picture: tubes present and read, wrong wells, empty wells called tubes, tubes called empty,
// unreadable wells, unassigned codes, milliseconds (PNG decoding included), or why the picture
// was refused.
//
//   lims-rack-check [--strict] [--hint] [--baseline] PICTURE.png...
//
// --hint passes the truth's A1 corner as a1_corner (rack holders with a fixed orientation);
// --baseline also runs plain ZXing-cpp (this build's, 1.4) over the whole picture in the same
// process: the truth's codes it finds, other texts, milliseconds;
// --strict exits 1 when any picture has a code in a wrong well or a tube called empty (the
// rules that never bend: the first files a tube under another patient, the second marks a tube
// missing; a refused picture is a miss, an empty well called a tube an error: both counted).
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <utility>

#include "lims/scanning/image.h"
#include "lims/scanning/rack_reader.h"
#include "nlohmann/json.hpp"

// text() as UTF-8 (ZXing-cpp 1.4 otherwise answers std::wstring).
#define ZX_USE_UTF8 1
#include "ZXing/ReadBarcode.h"

namespace {

using lims::scanning::A1Corner;
using lims::scanning::WellContent;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

A1Corner CornerOf(const std::string& name) {
  if (name == "top_left") return A1Corner::kTopLeft;
  if (name == "top_right") return A1Corner::kTopRight;
  if (name == "bottom_left") return A1Corner::kBottomLeft;
  if (name == "bottom_right") return A1Corner::kBottomRight;
  return A1Corner::kUnknown;
}

std::string WellName(int row, int column) {
  std::string name;
  if (row >= 26) name += static_cast<char>('A' + row / 26 - 1);
  name += static_cast<char>('A' + row % 26);
  return name + std::to_string(column + 1);
}

// Plain ZXing-cpp over the whole picture: it assigns nothing to wells.
void Baseline(const lims::scanning::GrayImage& image, const nlohmann::json& truth,
              nlohmann::json* line) {
  std::set<std::string> codes;
  for (const auto& [name, well] : truth.at("wells").items()) {
    if (well.at("state") == "code") codes.insert(well.at("code").get<std::string>());
  }
  const ZXing::ImageView view(image.pixels.data(), image.width, image.height,
                              ZXing::ImageFormat::Lum);
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::DataMatrix);
  hints.setTryHarder(true);
  hints.setTryRotate(true);
  const auto start = std::chrono::steady_clock::now();
  const ZXing::Results results = ZXing::ReadBarcodes(view, hints);
  (*line)["baseline_ms"] =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::set<std::string> found;
  int other = 0;
  for (const ZXing::Result& r : results) {
    if (!r.isValid()) continue;
    if (codes.count(r.text())) {
      found.insert(r.text());
    } else {
      ++other;
    }
  }
  (*line)["baseline_read"] = found.size();
  (*line)["baseline_other"] = other;
}

// Checks one picture against its truth; false when it breaks a rule that must never bend.
bool Check(const std::string& png_path, bool hint, bool baseline, nlohmann::json* line) {
  const std::string stem = png_path.substr(0, png_path.rfind('.'));
  const nlohmann::json truth = nlohmann::json::parse(ReadFile(stem + ".json"));
  (*line)["picture"] = png_path;
  lims::scanning::RackReadOptions options;
  options.rows = truth.at("rows");
  options.columns = truth.at("columns");
  options.bottom_view = truth.at("view") == "bottom";
  if (hint) options.a1_corner = CornerOf(truth.at("a1_corner"));
  const std::string file = ReadFile(png_path);
  const auto start = std::chrono::steady_clock::now();
  auto image = lims::scanning::DecodeImage(file);
  if (!image.ok()) {
    (*line)["refused"] = std::string(image.status().message());
    return false;
  }
  const double decode_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  (*line)["decode_ms"] = decode_ms;
  // Plain ZXing first: the reader takes the picture (and mirrors a top view in place).
  if (baseline) Baseline(*image, truth, line);
  const auto read_start = std::chrono::steady_clock::now();
  auto reading = lims::scanning::ReadRack(std::move(*image), options);
  (*line)["ms"] = decode_ms + std::chrono::duration<double, std::milli>(
                                  std::chrono::steady_clock::now() - read_start)
                                  .count();
  int present = 0, read = 0, wrong = 0, empty_as_tube = 0, tube_as_empty = 0, unreadable = 0;
  std::string wrong_detail, missed;  // missed: wells whose code was not read
  for (int row = 0; row < options.rows; ++row) {
    for (int column = 0; column < options.columns; ++column) {
      const std::string name = WellName(row, column);
      const nlohmann::json& well = truth.at("wells").at(name);
      const std::string state = well.at("state");
      present += state == "code";
      if (!reading.ok()) continue;
      const auto& got = reading->wells[static_cast<size_t>(row) * options.columns + column];
      if (got.content == WellContent::kCode) {
        if (state == "code" && got.text == well.at("code")) {
          ++read;
        } else {
          ++wrong;
          wrong_detail += name + ":" + got.text + " ";
        }
      }
      if (state == "empty" && got.content != WellContent::kEmpty) {
        ++empty_as_tube;
        wrong_detail += name + ":not-empty ";
      }
      if (state != "empty" && got.content == WellContent::kEmpty) {
        ++tube_as_empty;
        wrong_detail += name + ":empty ";
      }
      unreadable += got.content == WellContent::kUnreadable;
      if (state == "code" && !(got.content == WellContent::kCode && got.text == well.at("code"))) {
        missed += name + " ";
      }
    }
  }
  (*line)["present"] = present;
  if (!reading.ok()) {
    (*line)["refused"] = std::string(reading.status().message());
    return true;
  }
  (*line)["read"] = read;
  (*line)["wrong"] = wrong;
  if (!wrong_detail.empty()) (*line)["wrong_wells"] = wrong_detail;
  if (!missed.empty()) (*line)["missed"] = missed;
  (*line)["empty_as_tube"] = empty_as_tube;
  (*line)["tube_as_empty"] = tube_as_empty;
  (*line)["unreadable"] = unreadable;
  (*line)["unassigned"] = reading->unassigned.size();
  (*line)["rotation"] = reading->rotation_degrees;
  (*line)["a1"] = reading->a1_decided_by;
  return wrong == 0 && tube_as_empty == 0;
}

}  // namespace

int main(int argc, char** argv) {
  bool strict = false, hint = false, baseline = false, all_good = true;
  for (int k = 1; k < argc; ++k) {
    const std::string arg = argv[k];
    if (arg == "--strict") {
      strict = true;
    } else if (arg == "--hint") {
      hint = true;
    } else if (arg == "--baseline") {
      baseline = true;
    } else {
      nlohmann::json line;
      try {
        all_good = Check(arg, hint, baseline, &line) && all_good;
      } catch (const std::exception& e) {
        line["picture"] = arg;
        line["refused"] = std::string("truth unreadable: ") + e.what();
        all_good = false;
      }
      std::cout << line.dump() << std::endl;
    }
  }
  return strict && !all_good ? 1 : 0;
}
