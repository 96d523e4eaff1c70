// The picture reduced to a small map of its texture (edge density relative to brightness),
// on which the rack reader finds the wells' repetition and where the rack lies; and the
// smoothing that map needs. Internal to the rack reader.
#ifndef LIMS_SCANNING_TEXTURE_MAP_H_
#define LIMS_SCANNING_TEXTURE_MAP_H_

#include <cmath>
#include <optional>
#include <vector>

#include "lims/scanning/image.h"

namespace lims::scanning {

struct TextureMap {
  int width = 0, height = 0;
  std::vector<float> v;
  float at(int x, int y) const { return v[static_cast<size_t>(y) * width + x]; }
  // Bilinear, 0 outside.
  float Sample(double x, double y) const {
    const int x0 = static_cast<int>(std::floor(x)), y0 = static_cast<int>(std::floor(y));
    if (x0 < 0 || y0 < 0 || x0 + 1 >= width || y0 + 1 >= height) return 0;
    const double ax = x - x0, ay = y - y0;
    return static_cast<float>((1 - ay) * ((1 - ax) * at(x0, y0) + ax * at(x0 + 1, y0)) +
                              ay * ((1 - ax) * at(x0, y0 + 1) + ax * at(x0 + 1, y0 + 1)));
  }
};

// Pixels a cell of the reduced copy for a picture of this size (its longer side about 384
// cells: a rack filling the picture has a pitch of 15-30 cells there).
int WorkingFactor(int width, int height);

// Edge density relative to brightness, one value per factor x factor block of the picture:
// high on codes whatever their contrast, size or polarity, low on flat plate and background.
TextureMap Texture(const GrayImage& image, int factor);

// A 3 x 3 box average, twice (close to a small Gaussian).
TextureMap Smoothed(const TextureMap& in);

// Minus a smooth average over (2 radius + 1) cells: what remains is what repeats faster.
TextureMap HighPassed(const TextureMap& in, int radius);

struct Region {
  int x0 = 0, y0 = 0, width = 0, height = 0;  // full-picture pixels
};

// Where the picture is busy (its most textured cells: the tubes' codes), with a margin; nullopt
// unless that is under a third of the picture.
std::optional<Region> BusyRegion(const TextureMap& texture, int factor, const GrayImage& image);

// The pixels of `region`.
GrayImage Cropped(const GrayImage& image, const Region& region);

}  // namespace lims::scanning

#endif  // LIMS_SCANNING_TEXTURE_MAP_H_
