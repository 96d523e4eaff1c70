// Synthetic pictures of a rack of 2D-coded tubes seen from below, with known truth, for the rack
// reader's tests and benchmark. Drawn with cairo, codes made by ZXing-cpp's writer, then
// degraded (blur, noise, uneven light) with a seeded random generator so a failure can be
// replayed.
//
// The scene: a dark scanner lid as background; a grey rack plate with its A1 corner chamfered;
// wells one pitch apart, the first 1.4 pitches from the plate's edges; an empty well is a dark
// hole, a tube bottom a light disc with its code at any angle. As rack-scanner software shows
// it, the picture is in the top-view layout (A1 at the top-left when the rack lies straight),
// so the codes themselves appear mirrored; `bottom_view` gives the camera's raw picture instead.
#ifndef LIMS_TESTS_SUPPORT_RACK_PICTURE_H_
#define LIMS_TESTS_SUPPORT_RACK_PICTURE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lims/scanning/image.h"

namespace lims::testing {

struct RackPictureSpec {
  int rows = 8;
  int columns = 12;
  // Row-major, rows * columns entries: a tube code, or "" for an empty well.
  std::vector<std::string> codes;
  // Wells (0-based, row-major) whose tube is there but its code is frosted over.
  std::vector<int> frosted;
  double pitch_px = 90;
  // The rack's rotation in the picture, clockwise: 0, 90, 180 or 270, plus a small skew.
  int rotation_degrees = 0;
  double skew_degrees = 0;
  bool orientation_mark = true;  // the chamfered A1 corner
  bool bottom_view = false;
  // Degradations.
  double blur_sigma_px = 0;
  double noise_sd = 0;            // grey levels
  double light_falloff = 0;       // 0..1: brightness lost from one side of the picture to the other
  uint32_t seed = 1;
};

// The picture, in grey levels.
scanning::GrayImage DrawRack(const RackPictureSpec& spec);

// Where the centre of well (row, column) lies in DrawRack's picture, in pixels.
struct PixelPoint {
  double x = 0, y = 0;
};
PixelPoint WellCentre(const RackPictureSpec& spec, int row, int column);

// PNG file bytes of a grey picture (cairo's encoder).
std::string EncodePng(const scanning::GrayImage& image);

// `count` distinct 10-digit codes such as pre-barcoded cryotubes carry, from `seed`.
std::vector<std::string> TubeCodes(int count, uint32_t seed);

// The benchmark's pictures of 96-tube racks (lims-rack-sweep, bench/racks.sh): `count` specs at
// a difficulty ("easy": skew up to 2°, slight blur and noise; "medium": skew up to 5°, light
// -30% across; "hard": skew up to 8°, noise sd 9, light -50% across, 4 frosted tubes), about 12
// empty wells each, blur scaling with the pitch as a lens's does, alternating between the top
// view and the bottom view. Empty for an unknown level.
std::vector<RackPictureSpec> SweepSpecs(std::string_view level, double pitch, int rotation,
                                        int count, uint32_t seed);

}  // namespace lims::testing

#endif  // LIMS_TESTS_SUPPORT_RACK_PICTURE_H_
