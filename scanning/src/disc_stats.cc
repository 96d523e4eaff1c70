#include "disc_stats.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

namespace lims::scanning {

DiscStats Annulus(const GrayImage& image, Vec2 centre, double inner, double outer) {
  DiscStats s;
  s.inside = centre.x - outer >= 0 && centre.y - outer >= 0 &&
             centre.x + outer <= image.width - 1 && centre.y + outer <= image.height - 1;
  // About 40 samples across the region at most.
  const int step = std::max(1, static_cast<int>(outer / 20));
  std::vector<uint8_t> values;
  double steps = 0;
  int step_count = 0;
  const int x0 = std::max(0, static_cast<int>(std::ceil(centre.x - outer)));
  const int x1 = std::min(image.width - 1, static_cast<int>(centre.x + outer));
  const int y0 = std::max(0, static_cast<int>(std::ceil(centre.y - outer)));
  const int y1 = std::min(image.height - 1, static_cast<int>(centre.y + outer));
  for (int y = y0; y <= y1; y += step) {
    for (int x = x0; x <= x1; x += step) {
      const double d2 = (x - centre.x) * (x - centre.x) + (y - centre.y) * (y - centre.y);
      if (d2 > outer * outer || d2 < inner * inner) continue;
      const uint8_t* p = &image.pixels[static_cast<size_t>(y) * image.width + x];
      values.push_back(*p);
      if (x + 1 < image.width && y + 1 < image.height) {
        steps += std::abs(p[1] - p[0]) + std::abs(p[image.width] - p[0]);
        step_count += 2;
      }
    }
  }
  if (values.empty()) {
    s.inside = false;
    return s;
  }
  double sum = 0, sum2 = 0;
  for (uint8_t v : values) sum += v, sum2 += double(v) * v;
  s.mean = sum / values.size();
  s.roughness = step_count ? steps / step_count : 0;
  s.sd = std::sqrt(std::max(0.0, sum2 / values.size() - s.mean * s.mean));
  // Percentiles from a histogram of the grey levels: linear, where sorting was not.
  std::array<uint32_t, 256> histogram{};
  for (uint8_t v : values) ++histogram[v];
  auto at = [&](double q) {
    const size_t rank = static_cast<size_t>(q * (values.size() - 1));
    size_t seen = 0;
    for (int level = 0; level < 256; ++level) {
      seen += histogram[level];
      if (seen > rank) return double(level);
    }
    return 255.0;
  };
  s.median = at(0.5);
  s.low = at(0.1);
  s.high = at(0.9);
  return s;
}

double FineSpread(const GrayImage& image, Vec2 centre, double radius, double scale) {
  const int box = std::max(1, static_cast<int>(std::lround(scale)));
  const int x0 = static_cast<int>(std::floor(centre.x - radius)) - box;
  const int y0 = static_cast<int>(std::floor(centre.y - radius)) - box;
  const int x1 = static_cast<int>(std::ceil(centre.x + radius)) + box;
  const int y1 = static_cast<int>(std::ceil(centre.y + radius)) + box;
  if (x0 < 0 || y0 < 0 || x1 >= image.width || y1 >= image.height) return -1;
  // Sums over the crop, so that each box mean costs four lookups.
  const int w = x1 - x0 + 1, h = y1 - y0 + 1;
  std::vector<int64_t> sums(static_cast<size_t>(w + 1) * (h + 1), 0);
  for (int y = 0; y < h; ++y) {
    const uint8_t* row = &image.pixels[static_cast<size_t>(y0 + y) * image.width + x0];
    int64_t line = 0;
    for (int x = 0; x < w; ++x) {
      line += row[x];
      sums[static_cast<size_t>(y + 1) * (w + 1) + x + 1] =
          sums[static_cast<size_t>(y) * (w + 1) + x + 1] + line;
    }
  }
  auto box_mean = [&](int x, int y) {  // crop coordinates, box inside the crop
    const size_t top = static_cast<size_t>(y - box) * (w + 1);
    const size_t bottom = static_cast<size_t>(y + box + 1) * (w + 1);
    const int64_t total = sums[bottom + x + box + 1] - sums[bottom + x - box] -
                          sums[top + x + box + 1] + sums[top + x - box];
    return double(total) / ((2 * box + 1) * (2 * box + 1));
  };
  const int step = std::max(1, static_cast<int>(radius / 20));  // as Annulus samples
  double sum2 = 0;
  int count = 0;
  for (int y = box; y < h - box; y += step) {
    for (int x = box; x < w - box; x += step) {
      const double dx = x0 + x - centre.x, dy = y0 + y - centre.y;
      if (dx * dx + dy * dy > radius * radius) continue;
      const double residual =
          image.pixels[static_cast<size_t>(y0 + y) * image.width + x0 + x] - box_mean(x, y);
      sum2 += residual * residual;
      ++count;
    }
  }
  return count ? std::sqrt(sum2 / count) : -1;
}

}  // namespace lims::scanning
