// Writes a synthetic rack picture (tests/support/rack_picture.h) as a PNG, for the CLI's
// end-to-end test:
//   lims-rack-picture OUT.png ROWS COLUMNS ROTATION [WELL=CODE ...]   (WELL: 1-based, row-major)
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "rack_picture.h"

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: %s OUT.png ROWS COLUMNS ROTATION [WELL=CODE ...]\n", argv[0]);
    return 2;
  }
  lims::testing::RackPictureSpec spec;
  spec.rows = std::atoi(argv[2]);
  spec.columns = std::atoi(argv[3]);
  spec.rotation_degrees = std::atoi(argv[4]);
  spec.skew_degrees = 2;
  spec.noise_sd = 3;
  spec.codes.assign(static_cast<size_t>(spec.rows) * spec.columns, "");
  for (int i = 5; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t eq = arg.find('=');
    const int well = eq == std::string::npos ? 0 : std::atoi(arg.substr(0, eq).c_str());
    if (well < 1 || well > spec.rows * spec.columns) {
      std::fprintf(stderr, "bad well in %s\n", argv[i]);
      return 2;
    }
    spec.codes[well - 1] = arg.substr(eq + 1);
  }
  std::ofstream(argv[1], std::ios::binary) << lims::testing::EncodePng(lims::testing::DrawRack(spec));
  return 0;
}
