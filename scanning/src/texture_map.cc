#include "texture_map.h"

#include <algorithm>
#include <cstdint>

namespace lims::scanning {
namespace {

// Grey levels added to the local brightness before dividing by it, so that sensor noise in
// dark regions does not count as texture.
constexpr float kDarkFloor = 24;

// A box average over (2 radius + 1)^2 cells (an integral image), the picture's edges clamped.
TextureMap BoxBlurred(const TextureMap& in, int radius) {
  const int w = in.width, h = in.height;
  std::vector<double> sum(static_cast<size_t>(w + 1) * (h + 1), 0);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      sum[static_cast<size_t>(y + 1) * (w + 1) + x + 1] =
          in.at(x, y) + sum[static_cast<size_t>(y) * (w + 1) + x + 1] +
          sum[static_cast<size_t>(y + 1) * (w + 1) + x] - sum[static_cast<size_t>(y) * (w + 1) + x];
    }
  }
  TextureMap out = in;
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

}  // namespace

int WorkingFactor(int width, int height) {
  constexpr int kWorkingSide = 384;
  return std::max(1, (std::max(width, height) + kWorkingSide - 1) / kWorkingSide);
}

// Edge density relative to brightness, one value per factor x factor block of the picture:
// high on codes whatever their contrast, size or polarity, low on flat plate and background.
TextureMap Texture(const GrayImage& image, int factor) {
  TextureMap m;
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
      edges[cell] +=
          static_cast<float>(std::abs(row[x + right] - row[x]) + std::abs(below[x] - row[x]));
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
TextureMap Smoothed(const TextureMap& in) {
  TextureMap out = in;
  for (int pass = 0; pass < 2; ++pass) {
    TextureMap src = out;
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

// Minus a smooth (nearly Gaussian: three box passes) average over a few wells: what remains
// is the wells' repetition, without the step from the dark background to the busy rack, which
// would make the autocorrelation one broad hill. A single box would ring at its own size and
// echo there as a false lattice.
TextureMap HighPassed(const TextureMap& in, int radius) {
  const TextureMap low = BoxBlurred(BoxBlurred(BoxBlurred(in, radius), radius), radius);
  TextureMap out = in;
  for (size_t k = 0; k < out.v.size(); ++k) out.v[k] -= low.v[k];
  return out;
}

// Where the picture is busy (cells at least half as textured as its top thousandth: the tubes'
// codes, even when the rack covers a hundredth of the picture), with a margin of a quarter of
// its size each way; nullopt unless that is under a third of the picture.
std::optional<Region> BusyRegion(const TextureMap& texture, int factor, const GrayImage& image) {
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

}  // namespace lims::scanning
