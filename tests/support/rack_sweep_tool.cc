// lims-rack-sweep: rack pictures from the project's own generator (rack_picture.h) written as
// PNG files with their truth beside them (the JSON that tests/tools/rack_scene.py writes too),
// so that one checker reads the pictures of both generators:
//
//   lims-rack-sweep OUT_DIR LEVEL PITCH ROTATION COUNT SEED
//
// LEVEL: easy, medium or hard (see SweepSpecs in rack_picture.h).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "nlohmann/json.hpp"
#include "rack_picture.h"

namespace {

std::string WellName(int row, int column) {
  return std::string(1, static_cast<char>('A' + row)) + std::to_string(column + 1);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 7) {
    std::fprintf(stderr, "usage: %s OUT_DIR easy|medium|hard PITCH ROTATION COUNT SEED\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const double pitch = std::atof(argv[3]);
  const int rotation = std::atoi(argv[4]), count = std::atoi(argv[5]);
  const auto seed = static_cast<uint32_t>(std::strtoul(argv[6], nullptr, 10));
  const auto specs = lims::testing::SweepSpecs(argv[2], pitch, rotation, count, seed);
  if (specs.empty()) {
    std::fprintf(stderr, "unknown level %s (easy, medium or hard)\n", argv[2]);
    return 2;
  }
  for (int n = 0; n < count; ++n) {
    const lims::testing::RackPictureSpec& spec = specs[n];
    const lims::scanning::GrayImage image = lims::testing::DrawRack(spec);

    nlohmann::json truth{{"generator", "rack_picture.cc"}, {"rows", spec.rows},
                         {"columns", spec.columns}, {"view", spec.bottom_view ? "bottom" : "top"},
                         {"rotation", rotation}, {"skew", spec.skew_degrees}, {"pitch", pitch},
                         {"width", image.width}, {"height", image.height}};
    const auto a1 = lims::testing::WellCentre(spec, 0, 0);
    truth["a1_corner"] = std::string(a1.y < image.height / 2.0 ? "top_" : "bottom_") +
                         (a1.x < image.width / 2.0 ? "left" : "right");
    for (int row = 0; row < spec.rows; ++row) {
      for (int column = 0; column < spec.columns; ++column) {
        const int w = row * spec.columns + column;
        const auto centre = lims::testing::WellCentre(spec, row, column);
        nlohmann::json entry{{"center", {centre.x, centre.y}}};
        if (spec.codes[w].empty()) {
          entry["state"] = "empty";
        } else {
          const bool frosted = std::find(spec.frosted.begin(), spec.frosted.end(), w) != spec.frosted.end();
          entry["state"] = frosted ? "unreadable" : "code";
          entry["code"] = spec.codes[w];
        }
        truth["wells"][WellName(row, column)] = entry;
      }
    }
    char stem[64];
    std::snprintf(stem, sizeof stem, "/rack_%03d", n);
    std::ofstream(dir + stem + ".png", std::ios::binary) << lims::testing::EncodePng(image);
    std::ofstream(dir + stem + ".json") << truth.dump(1) << "\n";
  }
  return 0;
}
