#include "well_look.h"

#include <algorithm>
#include <cmath>

#include "disc_stats.h"
#include "rack_frame.h"

namespace lims::scanning {
namespace {

// A tube's bottom relative to the plate: the ground its code is printed on (the light level of
// a dark code, the dark level of a light one), what a blank or frosted bottom shows too.
double GroundToPlate(const GrayImage& image, const LatticeMap& map, const ReadTube& tube) {
  const DiscStats code = Disc(image, map.At(tube.i, tube.j), 0.2 * map.PitchAt(tube.i, tube.j));
  const double plate = PlateAt(image, map, tube.i, tube.j).level;
  if (plate <= 0 || !code.inside) return -1;
  return (tube.light_on_dark ? code.low : code.high) / std::max(plate, 1.0);
}

// This many smooth wells alike in a rack are holes, not frost.
constexpr size_t kManyHoles = 6;

double Median(std::vector<double> v) {
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

}  // namespace

WellLooks::WellLooks(const GrayImage& image, const LatticeMap& map,
                     const std::vector<ReadTube>& tubes,
                     std::optional<double> background_to_plate)
    : image_(image), map_(map), background_to_plate_(background_to_plate) {
  std::vector<double> sds;
  for (const ReadTube& t : tubes) {
    const double ratio = GroundToPlate(image, map, t);
    if (ratio > 0) tube_to_plate_.push_back({t, ratio});
    sds.push_back(Disc(image, map.At(t.i, t.j), 0.2 * map.PitchAt(t.i, t.j)).sd);
  }
  if (!sds.empty()) code_sd_ = Median(sds);
}

// One undecoded well: smooth or not, and its grey level relative to its plate, over the tubes'.
struct WellLooks::Look {
  bool smooth = false;
  double to_tubes = 0;
  double to_plate = 0;
};

WellLooks::Look WellLooks::LookAt(int i, int j) const {
  Look look;
  const DiscStats centre = Disc(image_, map_.At(i, j), 0.2 * map_.PitchAt(i, j));
  const PlateAround around = PlateAt(image_, map_, i, j);
  const double plate = around.level;
  if (!centre.inside || plate <= 0 || tube_to_plate_.empty()) return look;
  // A code, frost's grain or a smear: not smooth.
  look.smooth = centre.sd < 0.4 * code_sd_ &&
                centre.roughness <= 1.5 * around.roughness + 2;
  // The nearest tubes, which share this part of the picture's light.
  std::vector<std::pair<int, double>> near;
  for (const auto& [node, ratio] : tube_to_plate_) {
    near.push_back({std::abs(node.i - i) + std::abs(node.j - j), ratio});
  }
  const size_t k = std::min<size_t>(6, near.size());
  std::partial_sort(near.begin(), near.begin() + k, near.end());
  std::vector<double> refs;
  for (size_t n = 0; n < k; ++n) refs.push_back(near[n].second);
  look.to_plate = centre.mean / std::max(plate, 1.0);
  look.to_tubes = look.to_plate / std::max(Median(refs), 1e-3);
  return look;
}

std::vector<WellContent> WellLooks::Undecoded(const std::vector<IndexedPoint>& nodes) const {
  std::vector<Look> looks;
  std::vector<double> smooth;
  for (const IndexedPoint& n : nodes) {
    looks.push_back(LookAt(n.i, n.j));
    if (looks.back().smooth) smooth.push_back(looks.back().to_plate);
  }
  // The holes' look: the largest group of smooth wells alike within a few percent (all show
  // the same thing through the plate; frost and blank labels vary more).
  std::sort(smooth.begin(), smooth.end());
  auto alike = [](double a, double b) { return std::abs(a - b) <= std::max(0.03, 0.04 * b); };
  std::optional<double> hole;
  size_t best = 0;
  for (size_t k = 0; k < smooth.size(); ++k) {
    const size_t members = static_cast<size_t>(std::count_if(
        smooth.begin(), smooth.end(), [&](double v) { return alike(v, smooth[k]); }));
    if (members > best) best = members, hole = smooth[k];
  }
  auto hole_like = [&](const Look& look) {
    if (!look.smooth) return false;
    if (look.to_tubes < 0.5) return true;  // far darker than any tube bottom
    if (!hole || best < 3 || !alike(look.to_plate, *hole) || std::abs(look.to_tubes - 1) < 0.05) {
      return false;
    }
    // Many identical wells unlike the tubes are holes; a few must also show what lies beyond
    // the plate (a few frosted tubes could look alike).
    return best >= kManyHoles ||
           (background_to_plate_ &&
            std::abs(look.to_plate - *background_to_plate_) <= 0.25 * *background_to_plate_);
  };
  std::vector<WellContent> out;
  for (const Look& look : looks) {
    out.push_back(hole_like(look) ? WellContent::kEmpty : WellContent::kUnreadable);
  }
  return out;
}

}  // namespace lims::scanning
