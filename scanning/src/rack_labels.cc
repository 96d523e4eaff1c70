#include "rack_labels.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

namespace lims::scanning {
namespace {

// One side of the rack: its outer line of wells (i fixed at `line`, or j) and the way out.
struct Side {
  bool along_j;  // the line runs along j (i is fixed)
  int line, from, to;
  int outward;  // -1 or +1 across the line
};

// The grey levels' spread over a square of half-side `half` at `centre`, sampled on an 11 x 11
// grid (fine enough to catch a label's strokes, cheap at any pitch); negative when the square
// leaves the picture.
double Spread(const GrayImage& image, Vec2 centre, double half) {
  constexpr int kGrid = 11;
  if (centre.x - half < 0 || centre.y - half < 0 || centre.x + half > image.width - 1 ||
      centre.y + half > image.height - 1) {
    return -1;
  }
  double sum = 0, sum2 = 0;
  for (int gy = 0; gy < kGrid; ++gy) {
    const int y = static_cast<int>(centre.y - half + 2 * half * gy / (kGrid - 1));
    const uint8_t* row = &image.pixels[static_cast<size_t>(y) * image.width];
    for (int gx = 0; gx < kGrid; ++gx) {
      const double v = row[static_cast<int>(centre.x - half + 2 * half * gx / (kGrid - 1))];
      sum += v, sum2 += v * v;
    }
  }
  const double n = kGrid * kGrid, mean = sum / n;
  return std::sqrt(std::max(0.0, sum2 / n - mean * mean));
}

// The share of this side's wells with a mark `out` steps beyond them, standing out from the
// plate halfway between the wells at the same distance (a straight plate edge or an even
// background shows the same at both, a label only level with its well).
double MarkedShare(const GrayImage& image, const LatticeMap& map, const Side& side, double out) {
  auto at = [&](double k) {
    const double across = side.line + side.outward * out;
    return side.along_j ? map.At(across, k) : map.At(k, across);
  };
  std::vector<double> marks, gaps;
  for (int k = side.from; k <= side.to; ++k) {
    const double half =
        0.1 * (side.along_j ? map.PitchAt(side.line, k) : map.PitchAt(k, side.line));
    const double mark = Spread(image, at(k), half);
    if (mark < 0) return 0;
    marks.push_back(mark);
    if (k < side.to) {
      const double gap = Spread(image, at(k + 0.5), half);
      if (gap < 0) return 0;
      gaps.push_back(gap);
    }
  }
  if (gaps.empty()) return 0;
  std::nth_element(gaps.begin(), gaps.begin() + gaps.size() / 2, gaps.end());
  const double plain = gaps[gaps.size() / 2];
  const auto standing_out =
      std::count_if(marks.begin(), marks.end(), [&](double sd) { return sd > 2 * plain + 4; });
  return static_cast<double>(standing_out) / marks.size();
}

}  // namespace

std::optional<IndexedPoint> FindLabelledCorner(const GrayImage& image, const LatticeMap& map,
                                               const RackExtent& extent) {
  // Sides in order round the rack, so that neighbours in the list are adjacent (and the last
  // and the first).
  const std::array<Side, 4> sides = {Side{true, extent.i0, extent.j0, extent.j1(), -1},
                                     Side{false, extent.j0, extent.i0, extent.i1(), -1},
                                     Side{true, extent.i1(), extent.j0, extent.j1(), 1},
                                     Side{false, extent.j1(), extent.i0, extent.i1(), 1}};
  // The labels lie somewhere in the margin beyond the wells, from the wells' rims out onto
  // the plate. A side is labelled when most of its wells have a mark at two distances running
  // (a label has a height; a rim caught at one distance does not count); the other sides must
  // show hardly any that way at every distance (labels on three sides leave A1 untold). Close
  // in, where every side shows marks (the rims themselves), nothing is told.
  std::array<double, 4> most{}, before{};
  for (double out = 0.55; out <= 1.5; out += 0.05) {
    std::array<double, 4> share{};
    for (size_t s = 0; s < sides.size(); ++s) share[s] = MarkedShare(image, map, sides[s], out);
    if (std::all_of(share.begin(), share.end(), [](double v) { return v >= 0.75; })) {
      before = {};
      continue;
    }
    for (size_t s = 0; s < sides.size(); ++s) {
      most[s] = std::max(most[s], std::min(share[s], before[s]));
    }
    before = share;
  }
  std::optional<int> corner;  // k: sides k and k + 1 (mod 4) are labelled
  for (int k = 0; k < 4; ++k) {
    const bool pair = most[k] >= 0.75 && most[(k + 1) % 4] >= 0.75;
    const bool rest_plain = most[(k + 2) % 4] <= 0.4 && most[(k + 3) % 4] <= 0.4;
    if (pair && rest_plain) corner = k;
  }
  if (!corner) return std::nullopt;
  // Side k and side k + 1 meet at the corner of both their lines.
  const Side& a = sides[*corner];
  const Side& b = sides[(*corner + 1) % 4];
  const int i = a.along_j ? a.line : b.line;
  const int j = a.along_j ? b.line : a.line;
  return IndexedPoint{i, j, map.At(i, j)};
}

}  // namespace lims::scanning
