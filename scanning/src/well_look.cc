#include "well_look.h"

#include <algorithm>
#include <cmath>

#include "disc_stats.h"
#include "rack_frame.h"

namespace lims::scanning {
namespace {

// A tube's bottom around its code, relative to the plate: the ring just inside the well.
double RingToPlate(const GrayImage& image, const LatticeMap& map, int i, int j) {
  const double pitch = map.PitchAt(i, j);
  const double plate = PlateLevel(image, map, i, j);
  const DiscStats ring = Annulus(image, map.At(i, j), 0.34 * pitch, 0.39 * pitch);
  if (plate <= 0 || !ring.inside) return -1;
  return ring.median / std::max(plate, 1.0);
}

// The sensor's noise: the roughness of the flat plate beside node (i, j).
double PlateNoise(const GrayImage& image, const LatticeMap& map, int i, int j) {
  const double pitch = map.PitchAt(i, j);
  std::vector<double> sds;
  for (double di : {-0.5, 0.5}) {
    for (double dj : {-0.5, 0.5}) {
      sds.push_back(Disc(image, map.At(i + di, j + dj), 0.07 * pitch).roughness);
    }
  }
  std::sort(sds.begin(), sds.end());
  return (sds[1] + sds[2]) / 2;
}

double Median(std::vector<double> v) {
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

}  // namespace

WellLooks::WellLooks(const GrayImage& image, const LatticeMap& map,
                     const std::vector<IndexedPoint>& tubes,
                     std::optional<double> background_to_plate)
    : image_(image), map_(map), background_to_plate_(background_to_plate) {
  std::vector<double> sds;
  for (const IndexedPoint& t : tubes) {
    const double ratio = RingToPlate(image, map, t.i, t.j);
    if (ratio > 0) tube_to_plate_.push_back({t, ratio});
    sds.push_back(Disc(image, map.At(t.i, t.j), 0.2 * map.PitchAt(t.i, t.j)).sd);
  }
  if (!sds.empty()) code_sd_ = Median(sds);
}

WellContent WellLooks::Undecoded(int i, int j) const {
  const DiscStats centre = Disc(image_, map_.At(i, j), 0.2 * map_.PitchAt(i, j));
  const double plate = PlateLevel(image_, map_, i, j);
  if (!centre.inside || plate <= 0 || tube_to_plate_.empty()) return WellContent::kUnreadable;
  if (centre.sd >= 0.4 * code_sd_) return WellContent::kUnreadable;  // a code is there
  // The nearest tubes, which share this part of the picture's light.
  std::vector<std::pair<int, double>> near;
  for (const auto& [node, ratio] : tube_to_plate_) {
    near.push_back({std::abs(node.i - i) + std::abs(node.j - j), ratio});
  }
  const size_t k = std::min<size_t>(6, near.size());
  std::partial_sort(near.begin(), near.begin() + k, near.end());
  std::vector<double> refs;
  for (size_t n = 0; n < k; ++n) refs.push_back(near[n].second);
  const double tube = Median(refs);
  const double here = centre.mean / std::max(plate, 1.0);
  // Frost, a smear or a blank label keeps some grain; a hole is as smooth as the plate.
  if (centre.roughness > 1.5 * PlateNoise(image_, map_, i, j) + 2) return WellContent::kUnreadable;
  // A hole is darker than the tube bottoms around it (lit from below, they shine), and shows
  // what lies beyond the plate when that can be seen.
  if (here < 0.6 * tube) return WellContent::kEmpty;
  const bool like_background =
      background_to_plate_ &&
      std::abs(here - *background_to_plate_) < std::abs(here - tube);
  return here < 0.85 * tube && like_background ? WellContent::kEmpty : WellContent::kUnreadable;
}

}  // namespace lims::scanning
