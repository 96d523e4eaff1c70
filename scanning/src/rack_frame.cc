#include "rack_frame.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "disc_stats.h"

namespace lims::scanning {
namespace {

// A well (an empty hole or a tube): its centre unlike the plate around it, and the plate the
// same on every side of it. Beyond the rack's edge one side is background or margin.
bool WellLike(const GrayImage& image, const LatticeMap& map, int i, int j) {
  const double pitch = map.PitchAt(i, j);
  const DiscStats centre = Disc(image, map.At(i, j), 0.2 * pitch);
  if (!centre.inside) return false;
  std::array<double, 4> around{};
  int k = 0;
  for (double di : {-0.5, 0.5}) {
    for (double dj : {-0.5, 0.5}) {
      const DiscStats s = Disc(image, map.At(i + di, j + dj), 0.07 * pitch);
      if (!s.inside) return false;
      around[k++] = s.mean;
    }
  }
  std::sort(around.begin(), around.end());
  const double plate = (around[1] + around[2]) / 2, spread = around[3] - around[0];
  const double differs = std::abs(centre.mean - plate);
  return differs >= std::max(12.0, 0.12 * plate) && spread <= 0.5 * differs;
}

// The fraction of well-like nodes on the line i = `line` (or j = `line`) over [from, to].
double WellFraction(const GrayImage& image, const LatticeMap& map, bool along_i, int line,
                    int from, int to) {
  int wells = 0;
  for (int k = from; k <= to; ++k) {
    wells += along_i ? WellLike(image, map, line, k) : WellLike(image, map, k, line);
  }
  return double(wells) / (to - from + 1);
}

// Lines [lo, hi] of one axis beyond the codes' span [span_lo, span_hi] must be wells, the
// lines just outside [lo, hi] must not. Nothing to check when the codes span the whole axis.
bool EdgesAgree(const GrayImage& image, const LatticeMap& map, bool along_i, int lo, int hi,
                int span_lo, int span_hi, int other_lo, int other_hi) {
  if (lo == span_lo && hi == span_hi) return true;
  for (int line = lo; line <= hi; ++line) {
    if (line >= span_lo && line <= span_hi) continue;
    if (WellFraction(image, map, along_i, line, other_lo, other_hi) < 0.75) return false;
  }
  for (int line : {lo - 1, hi + 1}) {
    if (WellFraction(image, map, along_i, line, other_lo, other_hi) > 0.25) return false;
  }
  return true;
}

}  // namespace

double PlateLevel(const GrayImage& image, const LatticeMap& map, int i, int j) {
  const double pitch = map.PitchAt(i, j);
  std::array<double, 4> around{};
  int k = 0;
  for (double di : {-0.5, 0.5}) {
    for (double dj : {-0.5, 0.5}) {
      const DiscStats s = Disc(image, map.At(i + di, j + dj), 0.07 * pitch);
      if (!s.inside) return -1;
      around[k++] = s.mean;
    }
  }
  std::sort(around.begin(), around.end());
  return (around[1] + around[2]) / 2;
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

std::optional<IndexedPoint> FindChamfer(const GrayImage& image, const LatticeMap& map,
                                        const RackExtent& extent) {
  // Beyond a corner well, the diagonal point at distance s is on the plate when the edge
  // points beside it are, unless the corner is cut off. Measured at several s (the margin and
  // the cut's size are unknown), as a change relative to the local light.
  struct Corner {
    int i, j;
    double evidence = 0;
    bool seen = false;
  };
  std::vector<Corner> corners;
  for (int ci : {extent.i0, extent.i1()}) {
    for (int cj : {extent.j0, extent.j1()}) corners.push_back({ci, cj});
  }
  for (Corner& c : corners) {
    const double si = c.i == extent.i0 ? -1 : 1, sj = c.j == extent.j0 ? -1 : 1;
    const double pitch = map.PitchAt(c.i, c.j);
    double previous = 0;
    for (double s = 0.55; s <= 1.75; s += 0.1) {
      const DiscStats diag = Disc(image, map.At(c.i + si * s, c.j + sj * s), 0.1 * pitch);
      const DiscStats edge_i = Disc(image, map.At(c.i + si * s, c.j - sj * 0.5), 0.1 * pitch);
      const DiscStats edge_j = Disc(image, map.At(c.i - si * 0.5, c.j + sj * s), 0.1 * pitch);
      if (!diag.inside || !edge_i.inside || !edge_j.inside) break;
      c.seen = true;
      const double edge = (edge_i.mean + edge_j.mean) / 2;
      const double scale = std::max({edge, diag.mean, 16.0});
      double evidence = 0;
      if (std::abs(edge_i.mean - edge_j.mean) <= 0.3 * scale) {
        evidence = std::abs(diag.mean - edge) / scale;
      }
      c.evidence = std::max(c.evidence, std::min(evidence, previous));  // two steps running
      previous = evidence;
    }
  }
  int seen = 0;
  const Corner* best = nullptr;
  for (const Corner& c : corners) {
    if (!c.seen) continue;
    ++seen;
    if (best == nullptr || c.evidence > best->evidence) best = &c;
  }
  if (seen < 3 || best == nullptr || best->evidence < 0.3) return std::nullopt;
  for (const Corner& c : corners) {
    if (&c != best && c.seen && c.evidence > std::max(0.12, 0.4 * best->evidence)) {
      return std::nullopt;
    }
  }
  return IndexedPoint{best->i, best->j, map.At(best->i, best->j)};
}

}  // namespace lims::scanning
