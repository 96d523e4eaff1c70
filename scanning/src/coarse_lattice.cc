#include "coarse_lattice.h"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

namespace lims::scanning {
namespace {

// The reduced copy's longer side: a rack filling the picture has a pitch of 15-30 cells there.
constexpr int kWorkingSide = 384;

// Texture varying more slowly than over about this many cells (a Gaussian's sigma, more than a
// rack's pitch here) is light and background, not wells.
constexpr int kHighPassRadius = 15;

// Grey levels added to the local brightness before dividing by it, so that sensor noise in
// dark regions does not count as texture.
constexpr float kDarkFloor = 24;

struct Map {
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

// Edge density relative to brightness, one value per factor x factor block of the picture:
// high on codes whatever their contrast, size or polarity, low on flat plate and background.
Map Texture(const GrayImage& image, int factor) {
  Map m;
  m.width = image.width / factor;
  m.height = image.height / factor;
  std::vector<float> edges(static_cast<size_t>(m.width) * m.height, 0);
  std::vector<float> light(edges.size(), 0), count(edges.size(), 0);
  // Large pictures are sampled every few pixels: the blocks stay well filled. Their edges are
  // measured over as many pixels: a lens blurs an edge over more pixels the larger the picture,
  // while sensor noise differs as much between neighbours as between pixels further apart.
  const int stride = std::max(1, factor / 3);
  for (int y = 0; y < m.height * factor; y += stride) {
    const uint8_t* row = &image.pixels[static_cast<size_t>(y) * image.width];
    const uint8_t* below = y + stride < image.height ? row + stride * image.width : row;
    const size_t out_row = static_cast<size_t>(y / factor) * m.width;
    for (int x = 0; x < m.width * factor; x += stride) {
      const int right = x + stride < image.width ? stride : 0;
      const size_t cell = out_row + x / factor;
      edges[cell] += static_cast<float>(std::abs(row[x + right] - row[x]) + std::abs(below[x] - row[x]));
      light[cell] += row[x];
      count[cell] += 1;
    }
  }
  m.v.resize(edges.size());
  for (size_t i = 0; i < edges.size(); ++i) {
    m.v[i] = count[i] > 0 ? edges[i] / (light[i] + kDarkFloor * count[i]) : 0;
  }
  return m;
}

// A 3 x 3 box average (twice: close to a small Gaussian).
Map Smoothed(const Map& in) {
  Map out = in;
  for (int pass = 0; pass < 2; ++pass) {
    Map src = out;
    for (int y = 0; y < in.height; ++y) {
      for (int x = 0; x < in.width; ++x) {
        float sum = 0;
        int n = 0;
        for (int dy = -1; dy <= 1; ++dy) {
          for (int dx = -1; dx <= 1; ++dx) {
            const int xx = x + dx, yy = y + dy;
            if (xx < 0 || yy < 0 || xx >= in.width || yy >= in.height) continue;
            sum += src.at(xx, yy);
            ++n;
          }
        }
        out.v[static_cast<size_t>(y) * in.width + x] = sum / n;
      }
    }
  }
  return out;
}

// A box average over (2 radius + 1)^2 cells (an integral image), the picture's edges clamped.
Map BoxBlurred(const Map& in, int radius) {
  const int w = in.width, h = in.height;
  std::vector<double> sum(static_cast<size_t>(w + 1) * (h + 1), 0);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      sum[static_cast<size_t>(y + 1) * (w + 1) + x + 1] =
          in.at(x, y) + sum[static_cast<size_t>(y) * (w + 1) + x + 1] +
          sum[static_cast<size_t>(y + 1) * (w + 1) + x] - sum[static_cast<size_t>(y) * (w + 1) + x];
    }
  }
  Map out = in;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const int x0 = std::max(0, x - radius), x1 = std::min(w, x + radius + 1);
      const int y0 = std::max(0, y - radius), y1 = std::min(h, y + radius + 1);
      const double total = sum[static_cast<size_t>(y1) * (w + 1) + x1] -
                           sum[static_cast<size_t>(y0) * (w + 1) + x1] -
                           sum[static_cast<size_t>(y1) * (w + 1) + x0] +
                           sum[static_cast<size_t>(y0) * (w + 1) + x0];
      out.v[static_cast<size_t>(y) * w + x] = static_cast<float>(total / ((x1 - x0) * (y1 - y0)));
    }
  }
  return out;
}

// Minus a smooth (nearly Gaussian: three box passes) average over a few wells: what remains
// is the wells' repetition, without the step from the dark background to the busy rack, which
// would make the autocorrelation one broad hill. A single box would ring at its own size and
// echo there as a false lattice.
Map HighPassed(const Map& in, int radius) {
  const Map low = BoxBlurred(BoxBlurred(BoxBlurred(in, radius), radius), radius);
  Map out = in;
  for (size_t k = 0; k < out.v.size(); ++k) out.v[k] -= low.v[k];
  return out;
}

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
Map Autocorrelation(const Map& texture) {
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
  Map out;
  out.width = cols;
  out.height = rows;
  const float origin = real.get()[0] > 0 ? real.get()[0] : 1;
  out.v.assign(real.get(), real.get() + static_cast<size_t>(rows) * cols);
  for (float& v : out.v) v /= origin;
  return out;
}

// The autocorrelation at offset (dx, dy), bilinear.
double Correlation(const Map& a, double dx, double dy) {
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
std::vector<Peak> Peaks(const Map& a, int reach) {
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
Vec2 RefinedPeak(const Map& a, Vec2 guess) {
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
Vec2 Lengthened(const Map& a, Vec2 step, int reach) {
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
Phase BestPhase(const Map& t, Vec2 a, Vec2 b) {
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
CoarseLattice NodesOf(const Map& t, int factor, Vec2 origin, Vec2 a, Vec2 b,
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

// Pixels a cell of the reduced copy for a picture of this size.
int WorkingFactor(int width, int height) {
  return std::max(1, (std::max(width, height) + kWorkingSide - 1) / kWorkingSide);
}

struct Region {
  int x0 = 0, y0 = 0, width = 0, height = 0;  // full-picture pixels
};

// Where the picture is busy (cells at least half as textured as its top thousandth: the tubes'
// codes, even when the rack covers a hundredth of the picture), with a margin of a quarter of
// its size each way; nullopt unless that is under a third of the picture.
std::optional<Region> BusyRegion(const Map& texture, int factor, const GrayImage& image) {
  std::vector<float> sorted = texture.v;
  const size_t rank = sorted.size() * 999 / 1000;
  std::nth_element(sorted.begin(), sorted.begin() + rank, sorted.end());
  const float busy = 0.5f * sorted[rank];
  int x0 = texture.width, y0 = texture.height, x1 = -1, y1 = -1, count = 0;
  for (int y = 0; y < texture.height; ++y) {
    for (int x = 0; x < texture.width; ++x) {
      if (texture.at(x, y) < busy || busy <= 0) continue;
      x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
      ++count;
    }
  }
  if (count < 16) return std::nullopt;
  const int mx = (x1 - x0 + 1) / 4 + 2, my = (y1 - y0 + 1) / 4 + 2;
  x0 = std::max(0, x0 - mx), y0 = std::max(0, y0 - my);
  x1 = std::min(texture.width - 1, x1 + mx), y1 = std::min(texture.height - 1, y1 + my);
  Region r{x0 * factor, y0 * factor, (x1 - x0 + 1) * factor, (y1 - y0 + 1) * factor};
  r.width = std::min(r.width, image.width - r.x0);
  r.height = std::min(r.height, image.height - r.y0);
  if (3.0 * r.width * r.height >= static_cast<double>(image.width) * image.height)
    return std::nullopt;
  return r;
}

GrayImage Cropped(const GrayImage& image, const Region& r) {
  GrayImage out{r.width, r.height, std::vector<uint8_t>(static_cast<size_t>(r.width) * r.height)};
  for (int y = 0; y < r.height; ++y) {
    const uint8_t* row = &image.pixels[static_cast<size_t>(r.y0 + y) * image.width + r.x0];
    std::copy(row, row + r.width, &out.pixels[static_cast<size_t>(y) * r.width]);
  }
  return out;
}

// The lattice from the picture's texture map (one cell per factor x factor pixels).
absl::StatusOr<CoarseLattice> LatticeFromTexture(const GrayImage& image, const Map& texture,
                                                 int factor, size_t min_nodes) {
  const Map corr =
      Autocorrelation(HighPassed(texture, kHighPassRadius));
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
  const Map texture = Smoothed(Texture(image, factor));
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
