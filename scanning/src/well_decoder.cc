#include "well_decoder.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
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

// Below this turn (radians, about 4 degrees) a symbol lies along the crop's axes already.
constexpr double kLeastTurn = 0.07;
// The share of a large crop's side that is turned (Turned).
constexpr double kTurnedMiddle = 0.8;
// Crops this wide or narrower hold tiny modules (Try's kTurned).
constexpr int kSmallCrop = 100;
// Wells the full-resolution turn is tried on before it is given up, while it reads none.
constexpr int kFullTurnTrials = 8;

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

// The angle, in radians within +-pi/4, at which a symbol's module edges lie in the crop's
// middle (the outer fifth each side is left out: the tube's rim): the mean of the pixel
// gradients' directions taken four times over (edges a quarter turn apart agree), each weighted
// by its strength squared.
double SymbolAngle(const Crop& in) {
  double re = 0, im = 0;
  for (int y = std::max(1, in.height / 5); y < std::min(in.height - 1, in.height * 4 / 5); ++y) {
    for (int x = std::max(1, in.width / 5); x < std::min(in.width - 1, in.width * 4 / 5); ++x) {
      const double gx = in.at(x + 1, y) - in.at(x - 1, y), gy = in.at(x, y + 1) - in.at(x, y - 1);
      const double m2 = gx * gx + gy * gy;
      if (m2 == 0) continue;
      const double a = gx * gx - gy * gy, b = 2 * gx * gy;  // the gradient squared
      re += (a * a - b * b) / m2, im += 2 * a * b / m2;     // to the fourth, over |g|^2
    }
  }
  return std::atan2(im, re) / 4;
}

// Turned by `angle` about its centre (bilinear), so that edges lying at that angle lie along
// the axes: in a square large enough to hold it all (`whole`), or only its middle (fewer pixels
// to turn and for the decoder to search): 0.8 of a crop of 1.1 pitches holds the whole bottom of
// a tube centred in it, and so any symbol printed there. Output pixel d from the middle samples the
// crop at its middle plus d turned by `angle`; along an output row that point moves by (cos, sin),
// so it is stepped.
Crop Turned(const Crop& in, double angle, bool whole) {
  const double c = std::cos(angle), s = std::sin(angle);
  // A turned w x h rectangle spans w|c| + h|s| across and w|s| + h|c| down.
  const double across = in.width * std::abs(c) + in.height * std::abs(s);
  const double down = in.width * std::abs(s) + in.height * std::abs(c);
  const int side = whole ? static_cast<int>(std::ceil(std::max(across, down)))
                         : static_cast<int>(kTurnedMiddle * std::max(in.width, in.height));
  Crop out{side, side, std::vector<uint8_t>(static_cast<size_t>(side) * side)};
  // Source points in 16.16 fixed point: the inner loop adds and shifts integers.
  constexpr int kOne = 1 << 16;
  const double cx = in.width / 2.0, cy = in.height / 2.0, half = side / 2.0;
  const int step_x = static_cast<int>(std::lround(c * kOne));
  const int step_y = static_cast<int>(std::lround(s * kOne));
  const int64_t limit_x = static_cast<int64_t>(in.width - 1) << 16;
  const int64_t limit_y = static_cast<int64_t>(in.height - 1) << 16;
  const uint8_t fill = in.px.front();
  const uint8_t* src = in.px.data();
  const int w = in.width;
  uint8_t* dst = out.px.data();
  for (int y = 0; y < side; ++y) {
    const double dy = y - half;
    // At x = 0.
    int64_t sx = std::llround((cx - c * half - s * dy) * kOne);
    int64_t sy = std::llround((cy - s * half + c * dy) * kOne);
    for (int x = 0; x < side; ++x, sx += step_x, sy += step_y, ++dst) {
      if (sx < 0 || sy < 0 || sx >= limit_x || sy >= limit_y) {
        *dst = fill;
        continue;
      }
      const int x0 = static_cast<int>(sx >> 16), y0 = static_cast<int>(sy >> 16);
      const int ax = static_cast<int>(sx & (kOne - 1)) >> 8,
                ay = static_cast<int>(sy & (kOne - 1)) >> 8;
      const uint8_t* p = src + static_cast<size_t>(y0) * w + x0;
      const int top = p[0] * (256 - ax) + p[1] * ax, bottom = p[w] * (256 - ax) + p[w + 1] * ax;
      *dst = static_cast<uint8_t>((top * (256 - ay) + bottom * ay) >> 16);
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
  // Most successful first, but the turned attempts last, the one at the picture's own
  // resolution after the other: they cost several times the others, and a symbol they read is
  // often read by a cheaper attempt too, so that leading with them would make every well pay.
  auto rank = [&](int way) {
    const int attempt = way % kAttempts;
    return attempt == kFullTurned ? -2 : attempt == kTurned ? -1 : successes_[way];
  };
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return rank(a) > rank(b); });
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
    // Only on a reduced picture, and only while it reads symbols or has not failed often:
    // the dense symbols it is for are a picture's own (photographed labels), not one tube's.
    if (way % kAttempts == kFullTurned &&
        (shrink_ == 1 || (successes_[way] == 0 && fruitless_full_turns_ >= kFullTurnTrials))) {
      return false;
    }
    if (learning || way % kAttempts == kPlain) return true;
    return way >= kAttempts ? inverted > 0 : normal > 0 || inverted == 0;
  };
  const WellCrop reduced = CropAt(x0, y0, x1 - x0, y1 - y0, false);
  for (int k = 0; k < (thorough ? kWays : 1); ++k) {
    const int way = order[k];
    if (!worth(way)) continue;
    auto symbol = Try(static_cast<Attempt>(way % kAttempts), way >= kAttempts, reduced, x0, y0,
                      x1 - x0, y1 - y0);
    if (symbol) {
      ++successes_[way];
      return symbol;
    }
    if (way % kAttempts == kFullTurned) ++fruitless_full_turns_;
  }
  return std::nullopt;
}

WellCrop WellDecoder::CropAt(int x0, int y0, int width, int height, bool own_resolution) const {
  const int s = own_resolution ? 1 : shrink_;
  const GrayImage& source = s > 1 ? shrunk_ : image_;
  const int sx = x0 / s, sy = y0 / s;
  WellCrop crop{
      std::min(width / s, source.width - sx), std::min(height / s, source.height - sy), {}};
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
  // The picture's own pixels, for dense symbols (modules finer than the reduction keeps;
  // turning blurs, so they need every pixel to survive it).
  const bool full = attempt == kFullTurned;
  Crop crop = full ? CropAt(x0, y0, width, height, true) : reduced;
  if (inverted) crop = Inverted(crop);
  double scale = full ? 1 : s;  // picture pixels per crop pixel
  double turn = 0;              // radians the crop was turned by
  int turned_from_width = 0, turned_from_height = 0;
  ZXing::Binarizer binarizer = ZXing::Binarizer::LocalAverage;
  switch (attempt) {
    case kGlobal: binarizer = ZXing::Binarizer::GlobalHistogram; break;
    case kEnlarged: crop = Enlarged(crop), scale = s / 2.0; break;
    case kBlurred:
      // A large crop's dots (modules of 6 px and more) need a wider blur to meet.
      crop = Blurred(crop, width / s >= 220 ? 2 : 1);
      break;
    case kTurned:
    case kFullTurned:
      // ZXing-cpp 1.4's detector misses many symbols lying aslant (dense and rectangular ones
      // most): the crop is turned so that the symbol's edges lie along its axes. One already
      // lying so is the plain attempt's. A small crop's modules (2-3 px) are turned an eighth
      // instead: their angle is not measured finely enough (on the sweep's 50 px pictures an
      // eighth reads more).
      turn = crop.width <= kSmallCrop ? -kPi / 4 : SymbolAngle(crop);
      if (std::abs(turn) < kLeastTurn) return std::nullopt;
      // Tiny modules are enlarged first: turned, they would blur into each other.
      if (crop.width <= kSmallCrop) crop = Enlarged(crop), scale /= 2;
      turned_from_width = crop.width, turned_from_height = crop.height;
      // Up to twice a small crop's width (an enlarged one), a symbol can reach the corners.
      crop = Turned(crop, turn, turned_from_width <= 2 * kSmallCrop);
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
  if (attempt == kTurned || attempt == kFullTurned) {
    // Back from the turned square to the crop it was turned from (Turned's sampling).
    const double c = std::cos(turn), sn = std::sin(turn);
    const double dx = mid.x - crop.width / 2.0, dy = mid.y - crop.height / 2.0;
    mid = {turned_from_width / 2.0 + c * dx - sn * dy, turned_from_height / 2.0 + sn * dx + c * dy};
  }
  // Crop pixel k covers picture pixels [k * scale, (k + 1) * scale).
  symbol.centre = {x0 + (mid.x + 0.5) * scale - 0.5, y0 + (mid.y + 0.5) * scale - 0.5};
  return symbol;
}

}  // namespace lims::scanning
