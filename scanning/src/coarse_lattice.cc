#include "coarse_lattice.h"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "texture_map.h"

namespace lims::scanning {
namespace {

// Texture varying more slowly than over about this many cells (a Gaussian's sigma, more than a
// rack's pitch here) is light and background, not wells.
constexpr int kHighPassRadius = 15;

// FFTW's planner is not thread-safe (executing a plan is); the scan service reads racks on
// several threads.
std::mutex& PlannerMutex() {
  static std::mutex mutex;
  return mutex;
}

struct FftwFree {
  void operator()(void* p) const { fftwf_free(p); }
};

// The circular autocorrelation of the zero-mean map padded to twice its size (so it is the
// linear one), normalised to 1 at the origin; indexed [dy mod rows][dx mod cols].
TextureMap Autocorrelation(const TextureMap& texture) {
  const int rows = 2 * texture.height, cols = 2 * texture.width;
  const int half = cols / 2 + 1;
  std::unique_ptr<float, FftwFree> real(
      static_cast<float*>(fftwf_malloc(sizeof(float) * static_cast<size_t>(rows) * cols)));
  std::unique_ptr<fftwf_complex, FftwFree> freq(static_cast<fftwf_complex*>(
      fftwf_malloc(sizeof(fftwf_complex) * static_cast<size_t>(rows) * half)));
  fftwf_plan forward, backward;
  {
    std::lock_guard<std::mutex> lock(PlannerMutex());
    forward = fftwf_plan_dft_r2c_2d(rows, cols, real.get(), freq.get(), FFTW_ESTIMATE);
    backward = fftwf_plan_dft_c2r_2d(rows, cols, freq.get(), real.get(), FFTW_ESTIMATE);
  }
  double mean = 0;
  for (float v : texture.v) mean += v;
  mean /= std::max<size_t>(1, texture.v.size());
  std::fill(real.get(), real.get() + static_cast<size_t>(rows) * cols, 0.0f);
  for (int y = 0; y < texture.height; ++y) {
    for (int x = 0; x < texture.width; ++x) {
      real.get()[static_cast<size_t>(y) * cols + x] = static_cast<float>(texture.at(x, y) - mean);
    }
  }
  fftwf_execute(forward);
  for (size_t k = 0; k < static_cast<size_t>(rows) * half; ++k) {
    fftwf_complex& c = freq.get()[k];
    c[0] = c[0] * c[0] + c[1] * c[1];
    c[1] = 0;
  }
  fftwf_execute(backward);
  {
    std::lock_guard<std::mutex> lock(PlannerMutex());
    fftwf_destroy_plan(forward);
    fftwf_destroy_plan(backward);
  }
  TextureMap out;
  out.width = cols;
  out.height = rows;
  const float origin = real.get()[0] > 0 ? real.get()[0] : 1;
  out.v.assign(real.get(), real.get() + static_cast<size_t>(rows) * cols);
  for (float& v : out.v) v /= origin;
  return out;
}

// The autocorrelation at offset (dx, dy), bilinear.
double Correlation(const TextureMap& a, double dx, double dy) {
  const int x0 = static_cast<int>(std::floor(dx)), y0 = static_cast<int>(std::floor(dy));
  const double fx = dx - x0, fy = dy - y0;
  auto at = [&](int x, int y) {
    x = ((x % a.width) + a.width) % a.width;
    y = ((y % a.height) + a.height) % a.height;
    return static_cast<double>(a.at(x, y));
  };
  return (1 - fy) * ((1 - fx) * at(x0, y0) + fx * at(x0 + 1, y0)) +
         fy * ((1 - fx) * at(x0, y0 + 1) + fx * at(x0 + 1, y0 + 1));
}

struct Peak {
  Vec2 d;
  double value = 0;
};

// Local maxima of the autocorrelation in the upper half plane, separated from the origin by a
// valley (the central lobe's own shoulder is not a lattice step).
std::vector<Peak> Peaks(const TextureMap& a, int reach) {
  std::vector<Peak> peaks;
  for (int dy = 0; dy <= reach; ++dy) {
    for (int dx = -reach; dx <= reach; ++dx) {
      if (dy == 0 && dx <= 0) continue;
      if (dx * dx + dy * dy < 9) continue;
      const double v = Correlation(a, dx, dy);
      if (v <= 0.05) continue;
      bool is_max = true;
      for (int ny = -2; ny <= 2 && is_max; ++ny) {
        for (int nx = -2; nx <= 2; ++nx) {
          if ((nx || ny) && Correlation(a, dx + nx, dy + ny) > v) {
            is_max = false;
            break;
          }
        }
      }
      if (!is_max) continue;
      double valley = v;
      const double length = std::hypot(dx, dy);
      for (double t = 0; t <= 1; t += 0.5 / length) {
        valley = std::min(valley, Correlation(a, t * dx, t * dy));
      }
      if (v - valley >= 0.05 && valley <= 0.9 * v) peaks.push_back({{double(dx), double(dy)}, v});
    }
  }
  return peaks;
}

// The peak nearest `guess` (within 2 cells), to a fraction of a cell (parabola through the
// neighbours on each axis).
Vec2 RefinedPeak(const TextureMap& a, Vec2 guess) {
  int bx = static_cast<int>(std::lround(guess.x)), by = static_cast<int>(std::lround(guess.y));
  double best = -1e300;
  const int gx = bx, gy = by;
  for (int dy = -2; dy <= 2; ++dy) {
    for (int dx = -2; dx <= 2; ++dx) {
      const double v = Correlation(a, gx + dx, gy + dy);
      if (v > best) best = v, bx = gx + dx, by = gy + dy;
    }
  }
  auto offset = [](double l, double c, double r) {
    const double denom = l - 2 * c + r;
    return denom < 0 ? std::clamp(0.5 * (l - r) / denom, -0.5, 0.5) : 0.0;
  };
  const double c = Correlation(a, bx, by);
  return {bx + offset(Correlation(a, bx - 1, by), c, Correlation(a, bx + 1, by)),
          by + offset(Correlation(a, bx, by - 1), c, Correlation(a, bx, by + 1))};
}

// A lattice step measured over k steps when the autocorrelation reaches that far: k times
// more precise.
Vec2 Lengthened(const TextureMap& a, Vec2 step, int reach) {
  const int k = std::clamp(static_cast<int>(reach / Length(step)), 1, 4);
  Vec2 far = RefinedPeak(a, static_cast<double>(k) * step);
  return (1.0 / k) * far;
}

struct Phase {
  Vec2 origin;
  double contrast = -1e300;  // mean texture at the nodes minus between them
};

// The node offset of lattice (a, b) where its nodes are most textured compared with the points
// halfway between them (edge midpoints and cell centres), searched over one cell.
Phase BestPhase(const TextureMap& t, Vec2 a, Vec2 b) {
  const Vec2 centre{t.width / 2.0, t.height / 2.0};
  const int span = static_cast<int>(std::max(t.width, t.height) / std::min(Length(a), Length(b))) / 2 + 1;
  auto mean_at = [&](Vec2 o, double di, double dj) {
    double sum = 0;
    int n = 0;
    for (int i = -span; i <= span; ++i) {
      for (int j = -span; j <= span; ++j) {
        const Vec2 p = o + (i + di) * a + (j + dj) * b;
        if (p.x < 0 || p.y < 0 || p.x > t.width - 1 || p.y > t.height - 1) continue;
        sum += t.Sample(p.x, p.y);
        ++n;
      }
    }
    return n ? sum / n : 0.0;
  };
  Phase best;
  const int steps = std::max(2, static_cast<int>(std::ceil(std::max(Length(a), Length(b)) / 1.5)));
  for (int u = 0; u < steps; ++u) {
    for (int v = 0; v < steps; ++v) {
      const Vec2 o = centre + (double(u) / steps) * a + (double(v) / steps) * b;
      const double between = (mean_at(o, 0.5, 0) + mean_at(o, 0, 0.5) + mean_at(o, 0.5, 0.5)) / 3;
      const double contrast = mean_at(o, 0, 0) - between;
      if (contrast > best.contrast) best = {o, contrast};
    }
  }
  return best;
}

// The lattice (a, b) of the reduced copy with its node (0, 0) at `origin`, in the full
// picture's pixels, with every node inside the picture, most textured first.
CoarseLattice NodesOf(const TextureMap& t, int factor, Vec2 origin, Vec2 a, Vec2 b,
                      const GrayImage& image) {
  CoarseLattice out;
  const double f = factor;
  out.origin = {origin.x * f + 0.5 * (f - 1), origin.y * f + 0.5 * (f - 1)};
  out.step_i = f * a;
  out.step_j = f * b;
  out.pitch = f * (Length(a) + Length(b)) / 2;
  const int span = static_cast<int>(std::max(image.width, image.height) / (f * Length(a))) + 2;
  for (int i = -span; i <= span; ++i) {
    for (int j = -span; j <= span; ++j) {
      const Vec2 p = origin + static_cast<double>(i) * a + static_cast<double>(j) * b;
      if (p.x < 0 || p.y < 0 || p.x > t.width - 1 || p.y > t.height - 1) continue;
      out.nodes.push_back(
          {i, j,
           out.origin + static_cast<double>(i) * out.step_i + static_cast<double>(j) * out.step_j,
           t.Sample(p.x, p.y)});
    }
  }
  std::sort(out.nodes.begin(), out.nodes.end(),
            [](const LatticeNode& x, const LatticeNode& y) { return x.texture > y.texture; });
  return out;
}

absl::Status NoLattice() {
  return absl::InvalidArgumentError(
      "no rows of wells found in the picture: photograph the whole rack from below, in focus, "
      "filling most of the picture");
}

// The lattice from the picture's texture map (one cell per factor x factor pixels).
absl::StatusOr<CoarseLattice> LatticeFromTexture(const GrayImage& image, const TextureMap& texture,
                                                 int factor, size_t min_nodes) {
  const TextureMap corr = Autocorrelation(HighPassed(texture, kHighPassRadius));
  const int reach = std::min(texture.width, texture.height) / 2;
  std::vector<Peak> peaks = Peaks(corr, reach);
  if (peaks.empty()) return NoLattice();
  double strongest = 0;
  for (const Peak& p : peaks) strongest = std::max(strongest, p.value);
  std::sort(peaks.begin(), peaks.end(),
            [](const Peak& x, const Peak& y) { return Length(x.d) < Length(y.d); });
  // Half a pitch can echo (tube rims, rows of modules): the true steps then correlate better
  // at twice their length than at their own, both of them (wells are as far apart each way).
  auto echoes = [&](Vec2 d) {
    const Vec2 twice = 2.0 * d;
    return Length(twice) <= reach &&
           Correlation(corr, twice.x, twice.y) > 1.25 * Correlation(corr, d.x, d.y);
  };
  // The lattice's basis: the shortest strong step with a strong one across it about as long
  // (wells are as far apart each way); a stray short echo is passed over.
  std::vector<const Peak*> strong;
  for (const Peak& p : peaks) {
    if (p.value >= 0.5 * strongest) strong.push_back(&p);
  }
  std::optional<std::pair<Vec2, Vec2>> basis;
  for (size_t f = 0; f < strong.size() && !basis; ++f) {
    for (size_t g = f + 1; g < strong.size(); ++g) {
      const Peak& first = *strong[f];
      const Peak& second = *strong[g];
      if (std::abs(Cross(first.d, second.d)) <= 0.7 * Length(first.d) * Length(second.d)) continue;
      const double k = echoes(first.d) && echoes(second.d) ? 2 : 1;
      Vec2 a = Lengthened(corr, RefinedPeak(corr, k * first.d), reach);
      Vec2 b = Lengthened(corr, RefinedPeak(corr, k * second.d), reach);
      if (Length(b) < Length(a)) std::swap(a, b);
      b = b - std::round(Dot(a, b) / Dot(a, a)) * a;  // the reduced basis: b as short as it gets
      if (Length(b) <= 1.35 * Length(a) && Length(a) >= 4) basis = {a, b};
      break;  // the shortest step across this one decides
    }
  }
  if (!basis) return NoLattice();
  // A lattice with fewer nodes in the picture than the rack has wells cannot be the wells'
  // (the whole rack is in the picture): the texture repeated at every other well. Halved.
  Vec2 a = basis->first, b = basis->second;
  CoarseLattice out;
  for (int halvings = 0;; ++halvings) {
    out = NodesOf(texture, factor, BestPhase(texture, a, b).origin, a, b, image);
    if (out.nodes.size() >= min_nodes || halvings == 2 || Length(a) < 8) break;
    a = 0.5 * a, b = 0.5 * b;
  }
  return out;
}

}  // namespace

absl::StatusOr<CoarseLattice> FindCoarseLattice(const GrayImage& image, size_t min_nodes) {
  const int factor = WorkingFactor(image.width, image.height);
  if (image.width / factor < 32 || image.height / factor < 32) {
    return absl::InvalidArgumentError("the picture is too small to hold a rack of tubes");
  }
  const TextureMap texture = Smoothed(Texture(image, factor));
  // A rack in a small part of a large picture has too few cells a well in the reduced copy:
  // its lattice is looked for again on the part alone, reduced less.
  if (auto region = BusyRegion(texture, factor, image)) {
    const GrayImage part = Cropped(image, *region);
    const int part_factor = WorkingFactor(part.width, part.height);
    if (part_factor < factor && part.width / part_factor >= 32 && part.height / part_factor >= 32) {
      auto lattice =
          LatticeFromTexture(part, Smoothed(Texture(part, part_factor)), part_factor, min_nodes);
      if (lattice.ok()) {
        const Vec2 offset{static_cast<double>(region->x0), static_cast<double>(region->y0)};
        lattice->origin = lattice->origin + offset;
        for (LatticeNode& node : lattice->nodes) node.at = node.at + offset;
        return lattice;
      }
    }
  }
  return LatticeFromTexture(image, texture, factor, min_nodes);
}

}  // namespace lims::scanning
