// lims-rack-sweep: rack pictures from the project's own generator (rack_picture.h) written as
// PNG files with their truth beside them (the JSON that tests/tools/rack_scene.py writes too),
// so that one checker reads the pictures of both generators:
//
//   lims-rack-sweep OUT_DIR LEVEL PITCH ROTATION COUNT SEED
//
// LEVEL: easy (skew up to 2°, slight blur and noise), medium (skew up to 5°, light -30%
// across), hard (skew up to 8°, noise sd 9, light -50% across, 4 frosted tubes); blur scales
// with the pitch, as a lens's does. Pictures alternate between the top view and the bottom view.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>

#include "nlohmann/json.hpp"
#include "rack_picture.h"

namespace {

struct Level {
  const char* name;
  double max_skew, blur, noise, light;
  int frosted;
};

constexpr Level kLevels[] = {
    {"easy", 2, 0.5, 2, 0.1, 0},
    {"medium", 5, 0.8, 5, 0.3, 0},
    {"hard", 8, 1.1, 9, 0.5, 4},
};

std::string WellName(int row, int column) {
  return std::string(1, static_cast<char>('A' + row)) + std::to_string(column + 1);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 7) {
    std::fprintf(stderr, "usage: %s OUT_DIR easy|medium|hard PITCH ROTATION COUNT SEED\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1], level_name = argv[2];
  const Level* level = nullptr;
  for (const Level& l : kLevels) {
    if (level_name == l.name) level = &l;
  }
  if (level == nullptr) {
    std::fprintf(stderr, "unknown level %s\n", argv[2]);
    return 2;
  }
  const double pitch = std::atof(argv[3]);
  const int rotation = std::atoi(argv[4]), count = std::atoi(argv[5]);
  const auto seed = static_cast<uint32_t>(std::strtoul(argv[6], nullptr, 10));
  std::mt19937 random(seed);
  for (int n = 0; n < count; ++n) {
    lims::testing::RackPictureSpec spec;
    spec.seed = seed * 1000 + n;
    spec.codes = lims::testing::TubeCodes(96, spec.seed);
    std::uniform_int_distribution<int> well(0, 95);
    for (int e = 0; e < 12; ++e) spec.codes[well(random)].clear();
    for (int f = 0; f < level->frosted; ++f) {
      const int w = well(random);
      if (!spec.codes[w].empty()) spec.frosted.push_back(w);
    }
    spec.pitch_px = pitch;
    spec.rotation_degrees = rotation;
    spec.skew_degrees = std::uniform_real_distribution<double>(-level->max_skew, level->max_skew)(random);
    spec.blur_sigma_px = std::max(0.5, level->blur * pitch / 90);
    spec.noise_sd = level->noise;
    spec.light_falloff = level->light;
    spec.bottom_view = n % 2 == 1;
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
