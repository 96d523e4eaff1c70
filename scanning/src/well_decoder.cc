#include "well_decoder.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>
#include <vector>

// text() as UTF-8 (ZXing-cpp 1.4 otherwise answers std::wstring).
#define ZX_USE_UTF8 1
#include "ZXing/ReadBarcode.h"

namespace lims::scanning {

// A crop's pixels, the attempt's own copy.
struct WellCrop {
  int width = 0, height = 0;
  std::vector<uint8_t> px;
  uint8_t at(int x, int y) const {
    return px[static_cast<size_t>(std::clamp(y, 0, height - 1)) * width + std::clamp(x, 0, width - 1)];
  }
};

namespace {

using Crop = WellCrop;

// For each of n output positions of a 2x bilinear enlargement: the two source positions
// (clamped to [0, size - 1]) and the first one's weight. Output k samples source (k - 0.5) / 2.
struct Taps {
  std::vector<int> lo, hi;
  std::vector<float> weight;
};
Taps TwiceTaps(int size) {
  Taps t;
  for (int k = 0; k < 2 * size; ++k) {
    const float f = (k - 0.5f) / 2;
    const int i = static_cast<int>(std::floor(f));
    t.lo.push_back(std::clamp(i, 0, size - 1));
    t.hi.push_back(std::clamp(i + 1, 0, size - 1));
    t.weight.push_back(1 - (f - i));
  }
  return t;
}

// Twice the size (bilinear), then sharpened (unsharp mask): small, blurred modules that the
// binarizer would merge come apart. Indices and weights are worked out once per row and column,
// not per pixel.
Crop Enlarged(const Crop& in) {
  const int w = in.width * 2, h = in.height * 2;
  const Taps tx = TwiceTaps(in.width), ty = TwiceTaps(in.height);
  std::vector<float> up(static_cast<size_t>(w) * h);
  for (int y = 0; y < h; ++y) {
    const uint8_t* r0 = &in.px[static_cast<size_t>(ty.lo[y]) * in.width];
    const uint8_t* r1 = &in.px[static_cast<size_t>(ty.hi[y]) * in.width];
    const float wy = ty.weight[y];
    float* out = &up[static_cast<size_t>(y) * w];
    for (int x = 0; x < w; ++x) {
      const float wx = tx.weight[x];
      const int x0 = tx.lo[x], x1 = tx.hi[x];
      out[x] =
          wy * (wx * r0[x0] + (1 - wx) * r0[x1]) + (1 - wy) * (wx * r1[x0] + (1 - wx) * r1[x1]);
    }
  }
  // The 5 x 5 local mean for the unsharp mask, as two 5-wide passes (edges clamped).
  auto clamped = [](int k, int size) { return std::clamp(k, 0, size - 1); };
  std::vector<float> rows(up.size()), mean(up.size());
  for (int y = 0; y < h; ++y) {
    const float* row = &up[static_cast<size_t>(y) * w];
    float* out = &rows[static_cast<size_t>(y) * w];
    for (int x = 0; x < w; ++x) {
      float sum = 0;
      if (x >= 2 && x + 2 < w) {
        sum = row[x - 2] + row[x - 1] + row[x] + row[x + 1] + row[x + 2];
      } else {
        for (int d = -2; d <= 2; ++d) sum += row[clamped(x + d, w)];
      }
      out[x] = sum / 5;
    }
  }
  for (int y = 0; y < h; ++y) {
    const float* r[5];
    for (int d = -2; d <= 2; ++d) r[d + 2] = &rows[static_cast<size_t>(clamped(y + d, h)) * w];
    float* out = &mean[static_cast<size_t>(y) * w];
    for (int x = 0; x < w; ++x) out[x] = (r[0][x] + r[1][x] + r[2][x] + r[3][x] + r[4][x]) / 5;
  }
  Crop big{w, h, std::vector<uint8_t>(up.size())};
  for (size_t k = 0; k < up.size(); ++k) {
    big.px[k] = static_cast<uint8_t>(std::clamp(up[k] + 1.5f * (up[k] - mean[k]), 0.0f, 255.0f));
  }
  return big;
}

// A (2r + 1) square box blur: round, separated modules (dot-printed codes) flow into squares.
Crop Blurred(const Crop& in, int r) {
  const int side = 2 * r + 1;
  std::vector<int> rows(in.px.size());
  for (int y = 0; y < in.height; ++y) {
    for (int x = 0; x < in.width; ++x) {
      int sum = 0;
      for (int d = -r; d <= r; ++d) sum += in.at(x + d, y);
      rows[static_cast<size_t>(y) * in.width + x] = sum;
    }
  }
  Crop out = in;
  for (int y = 0; y < in.height; ++y) {
    for (int x = 0; x < in.width; ++x) {
      int sum = 0;
      for (int d = -r; d <= r; ++d) {
        sum += rows[static_cast<size_t>(std::clamp(y + d, 0, in.height - 1)) * in.width + x];
      }
      out.px[static_cast<size_t>(y) * in.width + x] = static_cast<uint8_t>(sum / (side * side));
    }
  }
  return out;
}

// Turned by 45 degrees about its centre (bilinear): in a square large enough to hold it all
// (`whole`), or only its middle, the crop's own size (half the pixels for the decoder to search;
// a code well inside a large crop is all there). Along an output row the source point moves by
// (c, -c), so it is stepped, not worked out again per pixel.
Crop Turned(const Crop& in, bool whole) {
  const int side = whole ? static_cast<int>(std::ceil((in.width + in.height) / std::sqrt(2.0)))
                         : std::max(in.width, in.height);
  Crop out{side, side, std::vector<uint8_t>(static_cast<size_t>(side) * side)};
  const double c = std::sqrt(0.5), cx = in.width / 2.0, cy = in.height / 2.0, half = side / 2.0;
  const uint8_t fill = in.px.front();
  const uint8_t* src = in.px.data();
  const int w = in.width;
  uint8_t* dst = out.px.data();
  for (int y = 0; y < side; ++y) {
    const double dy = y - half;
    double sx = cx + c * (dy - half), sy = cy + c * (dy + half);  // at x = 0
    for (int x = 0; x < side; ++x, sx += c, sy -= c, ++dst) {
      if (sx < 0 || sy < 0) {
        *dst = fill;
        continue;
      }
      const int x0 = static_cast<int>(sx), y0 = static_cast<int>(sy);
      if (x0 + 1 >= w || y0 + 1 >= in.height) {
        *dst = fill;
        continue;
      }
      const double ax = sx - x0, ay = sy - y0;
      const uint8_t* p = src + static_cast<size_t>(y0) * w + x0;
      *dst = static_cast<uint8_t>((1 - ay) * ((1 - ax) * p[0] + ax * p[1]) +
                                  ay * ((1 - ax) * p[w] + ax * p[w + 1]));
    }
  }
  return out;
}

Crop Inverted(const Crop& in) {
  Crop out = in;
  for (uint8_t& v : out.px) v = static_cast<uint8_t>(255 - v);
  return out;
}

}  // namespace

namespace {

// The picture reduced by s each way (the mean of each s x s block), once for all the crops: read
// crop by crop, a large picture's rows came from memory at a fraction of its speed.
GrayImage Shrunk(const GrayImage& image, int s) {
  GrayImage out{image.width / s, image.height / s, {}};
  out.pixels.resize(static_cast<size_t>(out.width) * out.height);
  // sum / s^2 as a multiplication and a shift (exact for these sums).
  const uint64_t reciprocal = ((uint64_t{1} << 32) + s * s - 1) / (s * s);
  std::vector<uint32_t> sums(static_cast<size_t>(out.width) * s);
  for (int y = 0; y < out.height; ++y) {
    std::fill(sums.begin(), sums.end(), 0);
    for (int dy = 0; dy < s; ++dy) {
      const uint8_t* row = &image.pixels[static_cast<size_t>(y * s + dy) * image.width];
      for (size_t x = 0; x < sums.size(); ++x) sums[x] += row[x];
    }
    uint8_t* dst = &out.pixels[static_cast<size_t>(y) * out.width];
    for (int x = 0; x < out.width; ++x) {
      uint64_t sum = 0;
      for (int dx = 0; dx < s; ++dx) sum += sums[static_cast<size_t>(x) * s + dx];
      dst[x] = static_cast<uint8_t>((sum * reciprocal) >> 32);
    }
  }
  return out;
}

}  // namespace

WellDecoder::WellDecoder(const GrayImage& image, double pitch)
    : image_(image), pitch_(pitch), shrink_(std::max(1, static_cast<int>(pitch / 110))) {
  if (shrink_ > 1) shrunk_ = Shrunk(image, shrink_);
}

std::optional<DecodedSymbol> WellDecoder::Decode(Vec2 centre, double reach, bool thorough) {
  const int half = static_cast<int>(std::ceil(reach * pitch_));
  // On the reduced picture's grid: whole blocks of shrink_ pixels.
  const int x0 = std::max(0, static_cast<int>(centre.x) - half) / shrink_ * shrink_;
  const int y0 = std::max(0, static_cast<int>(centre.y) - half) / shrink_ * shrink_;
  const int x1 = std::min(image_.width, static_cast<int>(centre.x) + half);
  const int y1 = std::min(image_.height, static_cast<int>(centre.y) + half);
  if ((x1 - x0) / shrink_ < 12 || (y1 - y0) / shrink_ < 12) return std::nullopt;
  std::array<int, kWays> order;
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return successes_[a] > successes_[b]; });
  // Once a few codes (or a few fruitless wells) show which way round this picture's codes are
  // printed, the other way is only tried plainly (an odd tube), not with every attempt: that
  // would cost every unreadable well. Until a light code is read, the dark way is the default.
  const auto [normal, inverted] = [&] {
    const auto middle = successes_.begin() + kAttempts;
    return std::pair{std::accumulate(successes_.begin(), middle, 0),
                     std::accumulate(middle, successes_.end(), 0)};
  }();
  const bool learning = normal + inverted < 3 && thorough_calls_ < 16;
  if (thorough) ++thorough_calls_;
  auto worth = [&](int way) {
    if (learning || way % kAttempts == kPlain) return true;
    return way >= kAttempts ? inverted > 0 : normal > 0 || inverted == 0;
  };
  const WellCrop reduced = Reduced(x0, y0, x1 - x0, y1 - y0);
  for (int k = 0; k < (thorough ? kWays : 1); ++k) {
    const int way = order[k];
    if (!worth(way)) continue;
    auto symbol = Try(static_cast<Attempt>(way % kAttempts), way >= kAttempts, reduced, x0, y0,
                      x1 - x0, y1 - y0);
    if (symbol) {
      ++successes_[way];
      return symbol;
    }
  }
  return std::nullopt;
}

WellCrop WellDecoder::Reduced(int x0, int y0, int width, int height) const {
  const GrayImage& source = shrink_ > 1 ? shrunk_ : image_;
  const int sx = x0 / shrink_, sy = y0 / shrink_;
  WellCrop crop{std::min(width / shrink_, source.width - sx),
                std::min(height / shrink_, source.height - sy),
                {}};
  crop.px.resize(static_cast<size_t>(crop.width) * crop.height);
  for (int y = 0; y < crop.height; ++y) {
    const uint8_t* row = &source.pixels[static_cast<size_t>(sy + y) * source.width + sx];
    std::copy(row, row + crop.width, &crop.px[static_cast<size_t>(y) * crop.width]);
  }
  return crop;
}

std::optional<DecodedSymbol> WellDecoder::Try(Attempt attempt, bool inverted,
                                              const WellCrop& reduced, int x0, int y0, int width,
                                              int height) {
  const int s = shrink_;
  // Enlarging helps small modules (also a small symbol in a large well); a large crop's
  // modules are large enough already.
  if (attempt == kEnlarged && width / s > 160) return std::nullopt;
  Crop crop = inverted ? Inverted(reduced) : reduced;
  double scale = s;  // picture pixels per crop pixel
  ZXing::Binarizer binarizer = ZXing::Binarizer::LocalAverage;
  switch (attempt) {
    case kGlobal: binarizer = ZXing::Binarizer::GlobalHistogram; break;
    case kEnlarged: crop = Enlarged(crop), scale = s / 2.0; break;
    case kBlurred:
      // A large crop's dots (modules of 6 px and more) need a wider blur to meet.
      crop = Blurred(crop, width / s >= 220 ? 2 : 1);
      break;
    case kTurned:
      // Tiny modules are enlarged first: turned, they would blur into each other.
      if (width / s <= 100) crop = Enlarged(crop), scale = s / 2.0;
      crop = Turned(crop, width / s <= 100);
      break;
    default: break;
  }
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::DataMatrix);
  hints.setTryHarder(true);
  hints.setBinarizer(binarizer);
  const ZXing::ImageView view(crop.px.data(), crop.width, crop.height, ZXing::ImageFormat::Lum);
  const ZXing::Result result = ZXing::ReadBarcode(view, hints);
  if (!result.isValid() || result.text().empty()) return std::nullopt;
  DecodedSymbol symbol;
  symbol.text = result.text();
  symbol.mirrored = result.isMirrored();
  symbol.inverted = inverted;
  const ZXing::Position& p = result.position();
  Vec2 mid{0, 0};
  for (int i = 0; i < 4; ++i) {
    const Vec2 corner{static_cast<double>(p[i].x), static_cast<double>(p[i].y)};
    const Vec2 next{static_cast<double>(p[(i + 1) % 4].x), static_cast<double>(p[(i + 1) % 4].y)};
    mid = mid + 0.25 * corner;
    symbol.side += 0.25 * scale * Length(next - corner);
  }
  if (attempt == kTurned) {
    // Back from the turned square to the crop it was turned from.
    const double c = std::sqrt(0.5), dx = mid.x - crop.width / 2.0, dy = mid.y - crop.height / 2.0;
    mid = {width / scale / 2.0 + c * (dx + dy), height / scale / 2.0 + c * (dy - dx)};
  }
  // Crop pixel k covers picture pixels [k * scale, (k + 1) * scale).
  symbol.centre = {x0 + (mid.x + 0.5) * scale - 0.5, y0 + (mid.y + 0.5) * scale - 0.5};
  return symbol;
}

}  // namespace lims::scanning
