// Grey-level statistics of small round regions of a picture: what the rack reader measures
// at and around each well. Internal to scanning/.
#ifndef LIMS_SCANNING_DISC_STATS_H_
#define LIMS_SCANNING_DISC_STATS_H_

#include "geometry.h"
#include "lims/scanning/image.h"

namespace lims::scanning {

struct DiscStats {
  bool inside = false;  // the whole region lies in the picture
  double mean = 0, sd = 0, median = 0;
  double low = 0, high = 0;  // 10th and 90th percentiles
  // The mean step between neighbouring pixels: grain, print and noise raise it, a smooth
  // gradient (glare, vignetting) does not.
  double roughness = 0;
};

// Pixels whose distance from `centre` is within [inner, outer] (a disc when inner is 0). Large
// regions are sampled on a sparser grid.
DiscStats Annulus(const GrayImage& image, Vec2 centre, double inner, double outer);
inline DiscStats Disc(const GrayImage& image, Vec2 centre, double radius) {
  return Annulus(image, centre, 0, radius);
}

// The spread of the disc's pixels around their neighbourhood's mean (a box of about `scale`
// pixels each side): what is left once shading broader than `scale` (a glare spot, vignetting)
// is taken away. Print, grain and a smear's streaks keep it high; on a flat surface it is the
// sensor's noise. Negative when the region is not wholly in the picture.
double FineSpread(const GrayImage& image, Vec2 centre, double radius, double scale);
// The scale, over the well pitch, that the rack reader measures fine spread at: finer than a
// glare spot (0.08 pitch and broader), as coarse as a code's modules.
constexpr double kFineScale = 0.05;

}  // namespace lims::scanning

#endif  // LIMS_SCANNING_DISC_STATS_H_
