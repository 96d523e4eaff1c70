#include "rack_grid.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <vector>

#include "absl/strings/str_cat.h"

namespace lims::scanning {
namespace {

// The rack is located on a reduced copy: fast, and the codes blur into their tubes.
constexpr int kWorkingSide = 400;

struct Reduced {
  int width = 0, height = 0, factor = 1;
  std::vector<float> px;
  float at(int x, int y) const { return px[static_cast<size_t>(y) * width + x]; }
};

Reduced Reduce(const GrayImage& image) {
  Reduced r;
  r.factor = std::max(1, (std::max(image.width, image.height) + kWorkingSide - 1) / kWorkingSide);
  r.width = image.width / r.factor;
  r.height = image.height / r.factor;
  r.px.assign(static_cast<size_t>(r.width) * r.height, 0);
  const float area = static_cast<float>(r.factor * r.factor);
  for (int y = 0; y < r.height * r.factor; ++y) {
    const uint8_t* row = &image.pixels[static_cast<size_t>(y) * image.width];
    float* out = &r.px[static_cast<size_t>(y / r.factor) * r.width];
    for (int x = 0; x < r.width * r.factor; ++x) out[x / r.factor] += row[x] / area;
  }
  return r;
}

float Median(std::vector<float> v) {
  if (v.empty()) return 0;
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

// The plate: the largest 4-connected region not reached by flooding the dark background in from
// the picture's edges (empty wells are dark too, but walled in by the plate).
absl::StatusOr<std::vector<uint8_t>> PlateMask(const Reduced& r) {
  std::vector<float> border;
  for (int x = 0; x < r.width; ++x) border.push_back(r.at(x, 0)), border.push_back(r.at(x, r.height - 1));
  for (int y = 0; y < r.height; ++y) border.push_back(r.at(0, y)), border.push_back(r.at(r.width - 1, y));
  const float lid = Median(border);
  const float overall = Median(r.px);
  if (overall - lid < 20) {
    return absl::InvalidArgumentError(
        "no rack stands out from the background: scan the rack on a dark background (lid "
        "closed), with the whole plate in the picture");
  }
  const float threshold = lid + 0.4f * (overall - lid);
  const size_t n = r.px.size();
  std::vector<uint8_t> background(n, 0);
  std::deque<size_t> queue;
  auto push_dark = [&](size_t i) {
    if (!background[i] && r.px[i] < threshold) background[i] = 1, queue.push_back(i);
  };
  for (int x = 0; x < r.width; ++x) push_dark(x), push_dark(static_cast<size_t>(r.height - 1) * r.width + x);
  for (int y = 0; y < r.height; ++y) push_dark(static_cast<size_t>(y) * r.width), push_dark(static_cast<size_t>(y) * r.width + r.width - 1);
  while (!queue.empty()) {
    const size_t i = queue.front();
    queue.pop_front();
    const int x = static_cast<int>(i % r.width), y = static_cast<int>(i / r.width);
    if (x > 0) push_dark(i - 1);
    if (x + 1 < r.width) push_dark(i + 1);
    if (y > 0) push_dark(i - r.width);
    if (y + 1 < r.height) push_dark(i + r.width);
  }
  // Largest remaining component.
  std::vector<int> label(n, 0);
  int best_label = 0;
  size_t best_size = 0;
  int next = 0;
  for (size_t seed = 0; seed < n; ++seed) {
    if (background[seed] || label[seed]) continue;
    ++next;
    size_t size = 0;
    label[seed] = next;
    queue.push_back(seed);
    while (!queue.empty()) {
      const size_t i = queue.front();
      queue.pop_front();
      ++size;
      const int x = static_cast<int>(i % r.width), y = static_cast<int>(i / r.width);
      auto visit = [&](size_t j) {
        if (!background[j] && !label[j]) label[j] = next, queue.push_back(j);
      };
      if (x > 0) visit(i - 1);
      if (x + 1 < r.width) visit(i + 1);
      if (y > 0) visit(i - r.width);
      if (y + 1 < r.height) visit(i + r.width);
    }
    if (size > best_size) best_size = size, best_label = next;
  }
  if (best_size < n / 10) {
    return absl::InvalidArgumentError(
        "no rack found: nothing in the picture is large and bright enough to be a rack plate; "
        "the rack should fill most of the picture");
  }
  std::vector<uint8_t> mask(n);
  for (size_t i = 0; i < n; ++i) mask[i] = label[i] == best_label;
  return mask;
}

double Cross(Vec2 o, Vec2 a, Vec2 b) { return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x); }

// Convex hull (monotone chain) of the mask's pixel corners.
std::vector<Vec2> Hull(const Reduced& r, const std::vector<uint8_t>& mask) {
  std::vector<Vec2> pts;
  for (int y = 0; y < r.height; ++y) {
    int first = -1, last = -1;
    for (int x = 0; x < r.width; ++x) {
      if (mask[static_cast<size_t>(y) * r.width + x]) {
        if (first < 0) first = x;
        last = x;
      }
    }
    if (first < 0) continue;
    pts.push_back({double(first), double(y)});
    pts.push_back({double(first), double(y + 1)});
    pts.push_back({double(last + 1), double(y)});
    pts.push_back({double(last + 1), double(y + 1)});
  }
  std::sort(pts.begin(), pts.end(), [](Vec2 a, Vec2 b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });
  std::vector<Vec2> hull(2 * pts.size());
  size_t k = 0;
  for (size_t i = 0; i < pts.size(); ++i) {
    while (k >= 2 && Cross(hull[k - 2], hull[k - 1], pts[i]) <= 0) --k;
    hull[k++] = pts[i];
  }
  for (size_t i = pts.size() - 1, t = k + 1; i > 0; --i) {
    while (k >= t && Cross(hull[k - 2], hull[k - 1], pts[i - 1]) <= 0) --k;
    hull[k++] = pts[i - 1];
  }
  hull.resize(k > 0 ? k - 1 : 0);
  return hull;
}

// The smallest rectangle around the hull, one of whose sides lies along a hull edge; u points
// to the right (within 45 degrees), v = u turned a quarter clockwise on screen (downwards).
struct Rect {
  Vec2 centre, u, v;
  double half_u = 0, half_v = 0;
};

Rect MinAreaRect(const std::vector<Vec2>& hull) {
  Rect best;
  double best_area = -1;
  for (size_t i = 0; i < hull.size(); ++i) {
    const Vec2 edge = hull[(i + 1) % hull.size()] - hull[i];
    const double len = std::hypot(edge.x, edge.y);
    if (len < 1e-9) continue;
    Vec2 u{edge.x / len, edge.y / len};
    // Normalise the direction: u within 45 degrees of +x.
    for (int turn = 0; turn < 4 && !(u.x >= std::abs(u.y) - 1e-12); ++turn) u = {-u.y, u.x};
    const Vec2 v{-u.y, u.x};
    double lo_u = 1e300, hi_u = -1e300, lo_v = 1e300, hi_v = -1e300;
    for (Vec2 p : hull) {
      lo_u = std::min(lo_u, Dot(p, u)), hi_u = std::max(hi_u, Dot(p, u));
      lo_v = std::min(lo_v, Dot(p, v)), hi_v = std::max(hi_v, Dot(p, v));
    }
    const double area = (hi_u - lo_u) * (hi_v - lo_v);
    if (best_area < 0 || area < best_area) {
      best_area = area;
      best.u = u;
      best.v = v;
      best.half_u = (hi_u - lo_u) / 2;
      best.half_v = (hi_v - lo_v) / 2;
      best.centre = ((lo_u + hi_u) / 2) * u + ((lo_v + hi_v) / 2) * v;
    }
  }
  return best;
}

// Edge strength relative to the local brightness, so uneven light does not matter: wells (a
// hole's rim, a tube's rim and code) have it, the flat plate between them has none.
std::vector<float> RelativeEdges(const Reduced& r, const std::vector<uint8_t>& mask) {
  std::vector<float> e(r.px.size(), 0);
  for (int y = 1; y + 1 < r.height; ++y) {
    for (int x = 1; x + 1 < r.width; ++x) {
      const float gx = r.at(x + 1, y) - r.at(x - 1, y);
      const float gy = r.at(x, y + 1) - r.at(x, y - 1);
      const float local = (r.at(x, y) + r.at(x + 1, y) + r.at(x - 1, y) + r.at(x, y + 1) + r.at(x, y - 1)) / 5;
      // The plate's own outline is not a well.
      const size_t i = static_cast<size_t>(y) * r.width + x;
      if (!mask[i] || !mask[i - 1] || !mask[i + 1] || !mask[i - r.width] || !mask[i + r.width]) continue;
      e[static_cast<size_t>(y) * r.width + x] = (std::abs(gx) + std::abs(gy)) / (local + 8);
    }
  }
  return e;
}

// Mean edge strength of the plate's pixels in each unit-wide slice across `axis`.
std::vector<double> Profile(const Reduced& r, const std::vector<uint8_t>& mask,
                            const std::vector<float>& edges, const Rect& rect, Vec2 axis,
                            double half) {
  const int bins = std::max(1, static_cast<int>(std::ceil(2 * half)));
  std::vector<double> sum(bins, 0), count(bins, 0);
  for (int y = 0; y < r.height; ++y) {
    for (int x = 0; x < r.width; ++x) {
      const size_t i = static_cast<size_t>(y) * r.width + x;
      if (!mask[i]) continue;
      const int bin = static_cast<int>(Dot(Vec2{x + 0.5, y + 0.5} - rect.centre, axis) + half);
      if (bin < 0 || bin >= bins) continue;
      sum[bin] += edges[i];
      count[bin] += 1;
    }
  }
  for (int b = 0; b < bins; ++b) sum[b] = count[b] > 0 ? sum[b] / count[b] : 0;
  return sum;
}

// Mean of a profile over [a, b), bins treated as unit-wide steps.
double Mean(const std::vector<double>& profile, double a, double b) {
  const int n = static_cast<int>(profile.size());
  double total = 0;
  for (int i = std::max(0, static_cast<int>(std::floor(a))); i < n && i < b; ++i) {
    const double overlap = std::min<double>(b, i + 1) - std::max<double>(a, i);
    if (overlap > 0) total += overlap * profile[i];
  }
  return total / std::max(b - a, 1e-9);
}

struct CombFit {
  double pitch = 0;
  double score = -1e300;
  double flatness = 1;  // edges halfway between wells over edges across them: ~0 on a true fit
};

// The pitch of `wells` wells centred on the profile: strong edges across each well, none in the
// flat plate halfway between wells, beside the first and the last, and where one more well
// would be (so a smaller grid inside the true one does not fit).
CombFit FitComb(const std::vector<double>& profile, int wells) {
  const double length = static_cast<double>(profile.size());
  const double peak = std::max(1e-9, *std::max_element(profile.begin(), profile.end()));
  CombFit best;
  if (wells <= 1) return best;
  // Margins from 0.6 to 2.5 pitches on each side.
  const double lo = length / (wells - 1 + 5.0), hi = length / (wells - 1 + 1.2);
  for (double s = lo; s <= hi; s += 0.05) {
    auto centre = [&](double k) { return length / 2 + (k - (wells - 1) / 2.0) * s; };
    double on = 0, off = 0;
    for (int k = 0; k < wells; ++k) {
      on += Mean(profile, centre(k) - 0.25 * s, centre(k) + 0.25 * s);
    }
    for (int k = 0; k <= wells; ++k) {
      off += Mean(profile, centre(k - 0.5) - 0.05 * s, centre(k - 0.5) + 0.05 * s);
    }
    const double beyond = std::max(Mean(profile, centre(-1) - 0.15 * s, centre(-1) + 0.15 * s),
                                   Mean(profile, centre(wells) - 0.15 * s, centre(wells) + 0.15 * s));
    on /= wells;
    off /= wells + 1;
    const double score = (on - std::max(off, beyond)) / peak;
    if (score > best.score) best = {s, score, std::max(off, beyond) / std::max(on, 1e-9)};
  }
  return best;
}

// Fraction of plate pixels in a small disc.
double PlateFraction(const Reduced& r, const std::vector<uint8_t>& mask, Vec2 at, double radius) {
  int inside = 0, total = 0;
  const int rad = std::max(1, static_cast<int>(std::lround(radius)));
  for (int dy = -rad; dy <= rad; ++dy) {
    for (int dx = -rad; dx <= rad; ++dx) {
      if (dx * dx + dy * dy > rad * rad) continue;
      const int x = static_cast<int>(std::floor(at.x)) + dx, y = static_cast<int>(std::floor(at.y)) + dy;
      ++total;
      if (x < 0 || y < 0 || x >= r.width || y >= r.height) continue;
      inside += mask[static_cast<size_t>(y) * r.width + x];
    }
  }
  return total ? double(inside) / total : 0;
}

}  // namespace

double RackGrid::Pitch() const {
  return (std::hypot(step_u.x, step_u.y) + std::hypot(step_v.x, step_v.y)) / 2;
}

absl::StatusOr<RackGrid> FindRackGrid(const GrayImage& image, int rows, int columns) {
  const Reduced r = Reduce(image);
  if (r.width < 16 || r.height < 16) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the picture is ", image.width, " x ", image.height, " pixels: too small to hold a rack"));
  }
  auto mask = PlateMask(r);
  if (!mask.ok()) return mask.status();
  const Rect rect = MinAreaRect(Hull(r, *mask));
  const std::vector<float> edges = RelativeEdges(r, *mask);
  const std::vector<double> along_u = Profile(r, *mask, edges, rect, rect.u, rect.half_u);
  const std::vector<double> along_v = Profile(r, *mask, edges, rect, rect.v, rect.half_v);

  // Which way the columns run: the better fit (a non-square rack's long side shows at once).
  int count_u = columns, count_v = rows;
  CombFit fit_u, fit_v;
  double best = -1e300;
  for (int flip = 0; flip < (rows == columns ? 1 : 2); ++flip) {
    const int nu = flip ? rows : columns, nv = flip ? columns : rows;
    const CombFit fu = FitComb(along_u, nu), fv = FitComb(along_v, nv);
    // A single row or column takes its pitch from the other side.
    const double score = (nu > 1 ? fu.score : 0) + (nv > 1 ? fv.score : 0);
    if (score > best) best = score, count_u = nu, count_v = nv, fit_u = fu, fit_v = fv;
  }
  if (count_u <= 1) fit_u.pitch = fit_v.pitch;
  if (count_v <= 1) fit_v.pitch = fit_u.pitch;
  const double flatness = std::max(count_u > 1 ? fit_u.flatness : 0, count_v > 1 ? fit_v.flatness : 0);
  if (fit_u.pitch <= 0 || flatness > 0.4 ||
      std::abs(fit_u.pitch - fit_v.pitch) > 0.15 * std::max(fit_u.pitch, fit_v.pitch)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "no grid of ", rows, " x ", columns,
        " wells fits the rack in the picture: check the layout (rows and columns) and that the "
        "whole rack is in the picture"));
  }

  // The chamfered corner: plate missing near one corner of the rectangle, present at the others.
  const double margin_u = rect.half_u - (count_u - 1) / 2.0 * fit_u.pitch;
  const double margin_v = rect.half_v - (count_v - 1) / 2.0 * fit_v.pitch;
  int cut = 0, whole = 0;
  RackGrid grid;
  for (int su = -1; su <= 1; su += 2) {
    for (int sv = -1; sv <= 1; sv += 2) {
      const Vec2 corner = rect.centre + (su * rect.half_u) * rect.u + (sv * rect.half_v) * rect.v;
      const Vec2 probe = corner - (su * 0.3 * margin_u) * rect.u - (sv * 0.3 * margin_v) * rect.v;
      const double plate = PlateFraction(r, *mask, probe, 0.12 * std::min(margin_u, margin_v));
      if (plate < 0.25) {
        ++cut;
        grid.chamfer_i = su < 0 ? 0 : count_u - 1;
        grid.chamfer_j = sv < 0 ? 0 : count_v - 1;
      } else if (plate > 0.75) {
        ++whole;
      }
    }
  }
  grid.chamfer_seen = cut == 1 && whole == 3;

  // Back to the full picture's pixels.
  const double f = r.factor;
  auto full = [f](Vec2 p) { return Vec2{p.x * f - 0.5, p.y * f - 0.5}; };
  const Vec2 first = rect.centre - ((count_u - 1) / 2.0 * fit_u.pitch) * rect.u -
                     ((count_v - 1) / 2.0 * fit_v.pitch) * rect.v;
  grid.first = full(first);
  grid.step_u = (f * fit_u.pitch) * rect.u;
  grid.step_v = (f * fit_v.pitch) * rect.v;
  grid.count_u = count_u;
  grid.count_v = count_v;
  return grid;
}

}  // namespace lims::scanning
