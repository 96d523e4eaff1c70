#include "rack_frame.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "disc_stats.h"

namespace lims::scanning {
namespace {

// A well (an empty hole or a tube) on an outer line of wells: its centre unlike the plate (in
// grey level, or textured by a code), and
// the plate the same between it and its neighbours on the line and towards the rack (`inward`:
// +1 or -1 along the axis across the line). Beyond the rack's edge the points between
// neighbours are background or margin like the centre, not plate around a hole.
bool WellLike(const GrayImage& image, const LatticeMap& map, bool line_of_constant_i, int i,
              int j, int inward) {
  const double pitch = map.PitchAt(i, j);
  const DiscStats centre = Disc(image, map.At(i, j), 0.2 * pitch);
  if (!centre.inside) return false;
  const Vec2 around_at[] = {
      line_of_constant_i ? map.At(i, j - 0.5) : map.At(i - 0.5, j),
      line_of_constant_i ? map.At(i, j + 0.5) : map.At(i + 0.5, j),
      line_of_constant_i ? map.At(i + 0.5 * inward, j) : map.At(i, j + 0.5 * inward)};
  std::array<double, 3> around{};
  double plate_roughness = 0, plate_sd = 0;
  for (int k = 0; k < 3; ++k) {
    const DiscStats s = Disc(image, around_at[k], 0.05 * pitch);
    if (!s.inside) return false;
    around[k] = s.mean;
    plate_roughness = std::max(plate_roughness, s.roughness);
    plate_sd = std::max(plate_sd, s.sd);
  }
  std::sort(around.begin(), around.end());
  const double plate = around[1], spread = around[2] - around[0];
  // A round region unlike the plate and even in itself but for the noise (a hole, a blank
  // tube), or a code's
  // fine texture (a tube whose code was not read yet). The plate's edge crossing the disc is
  // neither: one step, uneven but not fine.
  const double shade = std::abs(centre.mean - plate);
  const double differs = std::max(centre.sd <= 0.35 * shade + plate_sd ? shade : 0.0,
                                  4 * (centre.roughness - 2 * plate_roughness - 1));
  // The means are over hundreds of pixels, so that a dark plate's holes 8 grey levels darker
  // (a fifth of its level) stand out from noise; a brighter plate needs 12 %.
  return differs >= std::max(8.0, 0.12 * plate) && spread <= 0.5 * differs;
}

// The fraction of well-like nodes on the line i = `line` (or j = `line`) over [from, to].
double WellFraction(const GrayImage& image, const LatticeMap& map, bool along_i, int line,
                    int from, int to, int inward) {
  int wells = 0;
  for (int k = from; k <= to; ++k) {
    wells += along_i ? WellLike(image, map, true, line, k, inward)
                     : WellLike(image, map, false, k, line, inward);
  }
  return double(wells) / (to - from + 1);
}

// Lines [lo, hi] of one axis beyond the codes' span [span_lo, span_hi] must be wells, the
// lines just outside [lo, hi] must not. Nothing to check when the codes span the whole axis.
bool EdgesAgree(const GrayImage& image, const LatticeMap& map, bool along_i, int lo, int hi,
                int span_lo, int span_hi, int other_lo, int other_hi) {
  if (lo == span_lo && hi == span_hi) return true;
  auto fraction = [&](int line) {
    return WellFraction(image, map, along_i, line, other_lo, other_hi, line < span_lo ? 1 : -1);
  };
  for (int line = lo; line <= hi; ++line) {
    if ((line < span_lo || line > span_hi) && fraction(line) < 0.75) return false;
  }
  return fraction(lo - 1) <= 0.25 && fraction(hi + 1) <= 0.25;
}

// Whether `p` lies in the picture, `margin` pixels clear of its borders.
bool InPicture(const GrayImage& image, Vec2 p, double margin) {
  return p.x >= margin && p.y >= margin && p.x <= image.width - 1 - margin &&
         p.y <= image.height - 1 - margin;
}

// Where a walk outwards from the rack first leaves the plate: at the plate's edge, whether the
// plate stands out from what lies beyond by its grey level or only by its outline.
struct PlateEdge {
  double at = 0;  // lattice units along the walk
  double plate = 0, beyond = 0;
};

// How a walk samples the picture: each sample the mean of a short segment across the walk
// (thin outlines stay sharp, noise averages out), `depth` lattice units deep along it; the
// least jump in grey level that counts as an edge, from what the walk saw `gap` lattice units
// before (a soft edge rises over that far).
struct WalkSampling {
  double depth = 0;
  double least_jump = 8;
  double gap = 0.05;
};
// Lines one pixel deep: sharpest, for a plate that stands out.
constexpr WalkSampling kSharpWalk{};
// Bands deep enough to quiet a noisy picture's sensor grain, so that a plate a few grey
// levels from the background, blurred, shows its edge.
constexpr WalkSampling kSteadyWalk{0.06, 5, 0.15};

// Walks from node (i, j) along (di, dj), starting `from` steps out, a pixel at a time. The
// edge is where the grey level jumps, two samples running, away from what
// it was just behind (a slow drift of the light is no edge; a step to the background or a
// drawn outline is). nullopt when the walk leaves the picture before it finds one.
std::optional<PlateEdge> WalkToPlateEdge(const GrayImage& image, const LatticeMap& map, double i,
                                         double j, double di, double dj, double from,
                                         const WalkSampling& sampling = kSharpWalk) {
  constexpr double kEnd = 3.0;
  const Vec2 along = map.At(i + di, j + dj) - map.At(i, j);
  const double pixels_per_step = std::max(Length(along), 1e-9);
  const Vec2 across = (1.0 / pixels_per_step) * Vec2{-along.y, along.x};
  const Vec2 forward = (1.0 / pixels_per_step) * along;
  const double half_width = 0.08 * pixels_per_step;
  const double half_depth = 0.5 * sampling.depth * pixels_per_step;
  const double step = std::min(0.025, 1 / pixels_per_step);  // lattice units a sample
  std::vector<double> values;
  for (double t = from; t <= kEnd; t += step) {
    const Vec2 centre = map.At(i + t * di, j + t * dj);
    double sum = 0;
    int n = 0;
    int rows = 0;
    for (double v = -half_depth; v <= half_depth; v += 1, ++rows) {
      for (double u = -half_width; u <= half_width; u += 1) {
        const Vec2 p = centre + u * across + v * forward;
        const int x = static_cast<int>(std::lround(p.x)), y = static_cast<int>(std::lround(p.y));
        if (x < 0 || y < 0 || x >= image.width || y >= image.height) break;
        sum += image.pixels[static_cast<size_t>(y) * image.width + x];
        ++n;
      }
    }
    if (n == 0 || n < 2 * half_width * rows) break;  // the walk left the picture
    values.push_back(sum / n);
  }
  // Windows in samples: just behind a sample (its reference), and a little before that.
  const size_t near = std::max<size_t>(2, static_cast<size_t>(sampling.gap / step));
  const size_t behind = std::max<size_t>(4, static_cast<size_t>(0.1 / step));
  if (values.size() < 2 * (near + behind)) return std::nullopt;
  auto median = [&](size_t lo, size_t hi) {
    std::vector<double> v(values.begin() + lo, values.begin() + hi);
    std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
    return v[v.size() / 2];
  };
  // The noise: the typical jump between neighbouring samples on the plate at the start.
  std::vector<double> jumps;
  for (size_t k = 1; k < near + behind; ++k) jumps.push_back(std::abs(values[k] - values[k - 1]));
  std::nth_element(jumps.begin(), jumps.begin() + jumps.size() / 2, jumps.end());
  const double threshold = std::max(sampling.least_jump, 6 * jumps[jumps.size() / 2]);
  for (size_t k = near + behind; k + 1 < values.size(); ++k) {
    const double before = median(k - near - behind, k - near);
    if (std::abs(values[k] - before) <= threshold || std::abs(values[k + 1] - before) <= threshold) {
      continue;
    }
    const size_t far_lo = std::min(values.size() - 1, k + static_cast<size_t>(0.1 / step));
    const size_t far_hi = std::min(values.size(), k + static_cast<size_t>(0.4 / step));
    return PlateEdge{from + step * k, before, far_hi > far_lo ? median(far_lo, far_hi) : values.back()};
  }
  return std::nullopt;
}

}  // namespace

std::optional<double> BackgroundToPlate(const GrayImage& image, const LatticeMap& map,
                                        const RackExtent& extent) {
  const double mid_i = (extent.i0 + extent.i1()) / 2.0 + 0.5;
  const double mid_j = (extent.j0 + extent.j1()) / 2.0 + 0.5;
  std::vector<double> ratios;
  // Outwards from each side's middle, halfway between two of its wells.
  const std::optional<PlateEdge> sides[] = {
      WalkToPlateEdge(image, map, extent.i0, mid_j, -1, 0, 0.5),
      WalkToPlateEdge(image, map, extent.i1(), mid_j, 1, 0, 0.5),
      WalkToPlateEdge(image, map, mid_i, extent.j0, 0, -1, 0.5),
      WalkToPlateEdge(image, map, mid_i, extent.j1(), 0, 1, 0.5)};
  for (const auto& edge : sides) {
    if (edge && edge->plate > 0) ratios.push_back(edge->beyond / edge->plate);
  }
  if (ratios.empty()) return std::nullopt;
  std::sort(ratios.begin(), ratios.end());
  return ratios[ratios.size() / 2];
}

namespace {

// The four points halfway from node (i, j) to its diagonal neighbours: plate between wells.
std::array<Vec2, 4> PlatePoints(const LatticeMap& map, int i, int j) {
  return {map.At(i - 0.5, j - 0.5), map.At(i - 0.5, j + 0.5), map.At(i + 0.5, j - 0.5),
          map.At(i + 0.5, j + 0.5)};
}

// The mean of the middle two of four values: one odd point (a label, a smear) does not count.
double MiddleTwo(std::array<double, 4> v) {
  std::sort(v.begin(), v.end());
  return (v[1] + v[2]) / 2;
}

}  // namespace

PlateAround PlateAt(const GrayImage& image, const LatticeMap& map, int i, int j) {
  const double pitch = map.PitchAt(i, j);
  std::array<double, 4> levels{}, roughness{};
  const std::array<Vec2, 4> points = PlatePoints(map, i, j);
  for (size_t k = 0; k < points.size(); ++k) {
    const DiscStats s = Disc(image, points[k], 0.07 * pitch);
    if (!s.inside) return {};
    levels[k] = s.mean;
    roughness[k] = s.roughness;
  }
  return {MiddleTwo(levels), MiddleTwo(roughness)};
}

double PlateFineSpread(const GrayImage& image, const LatticeMap& map, int i, int j) {
  const double pitch = map.PitchAt(i, j);
  std::array<double, 4> fine{};
  const std::array<Vec2, 4> points = PlatePoints(map, i, j);
  for (size_t k = 0; k < points.size(); ++k) {
    fine[k] = FineSpread(image, points[k], 0.07 * pitch, kFineScale * pitch);
    if (fine[k] < 0) return -1;
  }
  return MiddleTwo(fine);
}

absl::StatusOr<RackExtent> FindExtent(const GrayImage& image, const LatticeMap& map,
                                      const std::vector<IndexedPoint>& codes, int rows,
                                      int columns) {
  int imin = codes.front().i, imax = imin, jmin = codes.front().j, jmax = jmin;
  for (const IndexedPoint& p : codes) {
    imin = std::min(imin, p.i), imax = std::max(imax, p.i);
    jmin = std::min(jmin, p.j), jmax = std::max(jmax, p.j);
  }
  const int span_i = imax - imin + 1, span_j = jmax - jmin + 1;
  std::vector<RackExtent> fits;
  bool fits_span = false;
  for (int flip = 0; flip < (rows == columns ? 1 : 2); ++flip) {
    const int ni = flip ? rows : columns, nj = flip ? columns : rows;
    if (span_i > ni || span_j > nj) continue;
    fits_span = true;
    for (int i0 = imax - ni + 1; i0 <= imin; ++i0) {
      for (int j0 = jmax - nj + 1; j0 <= jmin; ++j0) {
        const RackExtent e{i0, j0, ni, nj};
        if (EdgesAgree(image, map, true, e.i0, e.i1(), imin, imax, e.j0, e.j1()) &&
            EdgesAgree(image, map, false, e.j0, e.j1(), jmin, jmax, e.i0, e.i1())) {
          fits.push_back(e);
        }
      }
    }
  }
  if (!fits_span) {
    return absl::InvalidArgumentError(absl::StrCat(
        "tube codes were read over ", std::max(span_i, span_j), " x ", std::min(span_i, span_j),
        " wells, more than a rack of ", rows, " x ", columns,
        " holds: check the layout (rows and columns)"));
  }
  if (fits.size() != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot tell where the rack's edge is: no tube was read in its outer rows or columns "
        "and its empty wells ",
        fits.empty() ? "do not show" : "could be on either side",
        "; photograph the whole rack including its plate edges, or put a tube in a corner "
        "well"));
  }
  return fits.front();
}

namespace {

// FindChamfer with walks sampling the picture as `sampling` says.
std::optional<IndexedPoint> CutCorner(const GrayImage& image, const LatticeMap& map,
                                      const RackExtent& extent, const WalkSampling& sampling) {
  // From each corner well: how far the plate goes beyond it along each side (walking halfway
  // between it and the next well), then the same again a little inside the other side's
  // edge. At an intact corner the second walks end where the first did; at a cut-off corner
  // they end sooner, by the cut's size less that depth, whatever the margins.
  constexpr double kDepths[] = {0.2, 0.3};
  struct Corner {
    int i, j;
    double cut = 0;  // lattice units by which the walks along the edges end early
  };
  std::vector<Corner> seen;
  for (int ci : {extent.i0, extent.i1()}) {
    for (int cj : {extent.j0, extent.j1()}) {
      const double si = ci == extent.i0 ? -1 : 1, sj = cj == extent.j0 ? -1 : 1;
      const auto side_i = WalkToPlateEdge(image, map, ci, cj - 0.5 * sj, si, 0, 0.5, sampling);
      const auto side_j = WalkToPlateEdge(image, map, ci - 0.5 * si, cj, 0, sj, 0.5, sampling);
      if (!side_i || !side_j) continue;
      // How early the walk at a depth inside the other side's edge ends; the whole
      // margin when it starts off the plate already (a cut larger than the margins). `open`:
      // the walk found no edge though it stayed in the picture well past where this side's
      // edge is (it ran beside the plate, not on it).
      bool open_i = false, open_j = false;
      auto shortfall = [&](const PlateEdge& side, const PlateEdge& other, double start_i,
                           double start_j, double di, double dj,
                           bool* open) -> std::optional<double> {
        const DiscStats start =
            Disc(image, map.At(start_i, start_j), 0.05 * map.PitchAt(start_i, start_j));
        if (!start.inside) return std::nullopt;
        // Off the plate already: told by the grey level only when the plate and what lies
        // beyond differ (an outline-only plate is the background's grey: walk instead).
        const bool levels_differ = std::abs(other.plate - other.beyond) > 12;
        if (levels_differ &&
            std::abs(start.mean - other.beyond) < std::abs(start.mean - other.plate)) {
          return side.at;
        }
        // Started a little back along the side: a cut that begins right at the start point
        // still has plate behind it to be measured against.
        const auto edge = WalkToPlateEdge(image, map, start_i, start_j, di, dj, -0.3, sampling);
        if (!edge) {
          const double past = side.at + 0.5;
          *open = *open || InPicture(image, map.At(start_i + past * di, start_j + past * dj),
                                     0.1 * map.PitchAt(start_i, start_j));
          return std::nullopt;
        }
        return side.at - edge->at;
      };
      // A walk that meets no edge at the first depth is tried a little deeper: where it
      // crosses a cut's slanting edge matters to how sharp the crossing looks.
      std::optional<double> cut_i, cut_j;
      for (double depth : kDepths) {
        if (!cut_i) {
          cut_i = shortfall(*side_i, *side_j, ci, cj + sj * (side_j->at - depth), si, 0, &open_i);
        }
        if (!cut_j) {
          cut_j = shortfall(*side_j, *side_i, ci + si * (side_i->at - depth), cj, 0, sj, &open_j);
        }
      }
      if (!cut_i && !cut_j) {
        // Neither walk met an edge where both sides have one: both ran beside the plate, off
        // a corner cut back beyond the margins (an outline-only plate, whose grey level does
        // not tell).
        if (open_i && open_j) seen.push_back({ci, cj, std::min(side_i->at, side_j->at)});
        continue;
      }
      // Both walks end early at a cut-off corner; one may leave the picture first.
      seen.push_back({ci, cj, std::min(cut_i.value_or(*cut_j), cut_j.value_or(*cut_i))});
    }
  }
  if (seen.size() < 3) return std::nullopt;
  std::sort(seen.begin(), seen.end(), [](const Corner& a, const Corner& b) { return a.cut > b.cut; });
  if (seen[0].cut < 0.15 || seen[1].cut > std::min(0.08, 0.4 * seen[0].cut)) return std::nullopt;
  return IndexedPoint{seen[0].i, seen[0].j, map.At(seen[0].i, seen[0].j)};
}

}  // namespace

std::optional<IndexedPoint> FindChamfer(const GrayImage& image, const LatticeMap& map,
                                        const RackExtent& extent) {
  // Walks on single lines of pixels first: sharpest where the plate stands out. A faint plate
  // under sensor noise shows its edges only to walks averaged along their way too.
  if (auto corner = CutCorner(image, map, extent, kSharpWalk)) return corner;
  return CutCorner(image, map, extent, kSteadyWalk);
}

}  // namespace lims::scanning
