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

// This many smooth wells alike in a rack, and few just beside them, are holes, not frost.
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
  // Smooth once broad shading is taken away (a glare spot on a hole), and its darker part's
  // level relative to the plate over the tubes' (glare only brightens).
  bool smooth_under_shading = false;
  double low_to_tubes = 0;
  // The ring around the centre, out to where any rack's opening still is, relative the same
  // way: a hole is dark across its opening, a dark label on a light tube bottom is not.
  double ring_to_tubes = 0;
};

WellLooks::Look WellLooks::LookAt(int i, int j) const {
  Look look;
  const double pitch = map_.PitchAt(i, j);
  const DiscStats centre = Disc(image_, map_.At(i, j), 0.2 * pitch);
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
  // A grey level here over the plate's, over the nearest tubes' (their ground over their plate).
  const double relative = 1 / std::max(plate, 1.0) / std::max(Median(refs), 1e-3);
  look.to_plate = centre.mean / std::max(plate, 1.0);
  look.to_tubes = centre.mean * relative;
  const double fine = FineSpread(image_, map_.At(i, j), 0.2 * pitch, kFineScale * pitch);
  const double plate_fine = PlateFineSpread(image_, map_, i, j);
  look.smooth_under_shading = fine >= 0 && plate_fine >= 0 && fine <= 1.3 * plate_fine + 1;
  look.low_to_tubes = centre.low * relative;
  look.ring_to_tubes = Annulus(image_, map_.At(i, j), 0.28 * pitch, 0.36 * pitch).median * relative;
  return look;
}

std::vector<WellContent> WellLooks::Undecoded(const std::vector<IndexedPoint>& nodes) const {
  std::vector<Look> looks;
  std::vector<double> smooth;
  for (const IndexedPoint& n : nodes) {
    looks.push_back(LookAt(n.i, n.j));
    if (looks.back().smooth) smooth.push_back(looks.back().to_plate);
  }
  // The holes' look: the largest group of smooth wells alike within the noise, standing alone
  // (holes all show the same thing through the plate; frost and blank labels spread their
  // levels evenly, so that many more lie a little further off).
  auto within = [](double share, double least) {
    return [=](double a, double b) { return std::abs(a - b) <= std::max(least, share * b); };
  };
  const auto alike = within(0.025, 0.01), beside = within(0.15, 0.03);
  auto count = [&](double level, auto close) {
    return static_cast<size_t>(
        std::count_if(smooth.begin(), smooth.end(), [&](double v) { return close(v, level); }));
  };
  double hole = 0;  // the holes' level over the plate's, when best > 0
  size_t best = 0;
  for (double level : smooth) {
    const size_t members = count(level, alike);
    // A spike, not part of a plateau: few others within a few times its width either side.
    if (members > best && count(level, beside) * 4 <= members * 5) best = members, hole = level;
  }
  auto hole_like = [&](const Look& look) {
    // Far darker than any tube bottom, also where a glare spot lights part of the hole (its
    // darker part is the hole's own level; print or a smear would leave fine structure).
    const bool dark_across = look.ring_to_tubes < 0.5;
    if (look.smooth_under_shading && look.low_to_tubes < 0.5 && dark_across) return true;
    if (!look.smooth) return false;
    if (look.to_tubes < 0.5 && dark_across) return true;
    if (best < 3 || !alike(look.to_plate, hole) || std::abs(look.to_tubes - 1) < 0.05) {
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
