#include "well_decoder.h"

#include <algorithm>
#include <cmath>
#include <numeric>
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

// Twice the size (bilinear), then sharpened (unsharp mask): small, blurred modules that the
// binarizer would merge come apart.
Crop Enlarged(const Crop& in) {
  Crop big{in.width * 2, in.height * 2, {}};
  std::vector<float> up(static_cast<size_t>(big.width) * big.height);
  for (int y = 0; y < big.height; ++y) {
    for (int x = 0; x < big.width; ++x) {
      const float fx = (x - 0.5f) / 2, fy = (y - 0.5f) / 2;
      const int x0 = static_cast<int>(std::floor(fx)), y0 = static_cast<int>(std::floor(fy));
      const float ax = fx - x0, ay = fy - y0;
      up[static_cast<size_t>(y) * big.width + x] =
          (1 - ay) * ((1 - ax) * in.at(x0, y0) + ax * in.at(x0 + 1, y0)) +
          ay * ((1 - ax) * in.at(x0, y0 + 1) + ax * in.at(x0 + 1, y0 + 1));
    }
  }
  // The 5 x 5 local mean for the unsharp mask, as two 5-wide passes.
  std::vector<float> rows(up.size()), mean(up.size());
  auto at = [&](const std::vector<float>& v, int x, int y) {
    return v[static_cast<size_t>(std::clamp(y, 0, big.height - 1)) * big.width +
             std::clamp(x, 0, big.width - 1)];
  };
  for (int y = 0; y < big.height; ++y) {
    for (int x = 0; x < big.width; ++x) {
      float sum = 0;
      for (int d = -2; d <= 2; ++d) sum += at(up, x + d, y);
      rows[static_cast<size_t>(y) * big.width + x] = sum / 5;
    }
  }
  for (int y = 0; y < big.height; ++y) {
    for (int x = 0; x < big.width; ++x) {
      float sum = 0;
      for (int d = -2; d <= 2; ++d) sum += at(rows, x, y + d);
      mean[static_cast<size_t>(y) * big.width + x] = sum / 5;
    }
  }
  big.px.resize(up.size());
  for (size_t k = 0; k < up.size(); ++k) {
    big.px[k] = static_cast<uint8_t>(std::clamp(up[k] + 1.5f * (up[k] - mean[k]), 0.0f, 255.0f));
  }
  return big;
}

// A 3 x 3 box blur: round, separated modules (dot-printed codes) flow into squares.
Crop Blurred(const Crop& in) {
  Crop out = in;
  for (int y = 0; y < in.height; ++y) {
    for (int x = 0; x < in.width; ++x) {
      int sum = 0;
      for (int dy = -1; dy <= 1; ++dy) {
        for (int dx = -1; dx <= 1; ++dx) sum += in.at(x + dx, y + dy);
      }
      out.px[static_cast<size_t>(y) * in.width + x] = static_cast<uint8_t>(sum / 9);
    }
  }
  return out;
}

// Turned by 45 degrees about its centre (bilinear): in a square large enough to hold it all
// (`whole`), or only its middle, the crop's own size (half the pixels for the decoder to search;
// a code well inside a large crop is all there).
Crop Turned(const Crop& in, bool whole) {
  const int side = whole ? static_cast<int>(std::ceil((in.width + in.height) / std::sqrt(2.0)))
                         : std::max(in.width, in.height);
  Crop out{side, side, std::vector<uint8_t>(static_cast<size_t>(side) * side, 0)};
  const double c = std::sqrt(0.5), cx = in.width / 2.0, cy = in.height / 2.0;
  uint8_t fill = in.at(0, 0);
  for (int y = 0; y < side; ++y) {
    for (int x = 0; x < side; ++x) {
      const double dx = x - side / 2.0, dy = y - side / 2.0;
      const double sx = cx + c * (dx + dy), sy = cy + c * (dy - dx);
      const int x0 = static_cast<int>(std::floor(sx)), y0 = static_cast<int>(std::floor(sy));
      uint8_t v = fill;
      if (x0 >= 0 && y0 >= 0 && x0 + 1 < in.width && y0 + 1 < in.height) {
        const double ax = sx - x0, ay = sy - y0;
        v = static_cast<uint8_t>((1 - ay) * ((1 - ax) * in.at(x0, y0) + ax * in.at(x0 + 1, y0)) +
                                 ay * ((1 - ax) * in.at(x0, y0 + 1) + ax * in.at(x0 + 1, y0 + 1)));
      }
      out.px[static_cast<size_t>(y) * side + x] = v;
    }
  }
  return out;
}

Crop Inverted(Crop in) {
  for (uint8_t& v : in.px) v = static_cast<uint8_t>(255 - v);
  return in;
}

}  // namespace

WellDecoder::WellDecoder(const GrayImage& image, double pitch)
    : image_(image), pitch_(pitch), shrink_(std::max(1, static_cast<int>(pitch / 110))) {}

std::optional<DecodedSymbol> WellDecoder::Decode(Vec2 centre, double reach, bool thorough) {
  const int half = static_cast<int>(std::ceil(reach * pitch_));
  const int x0 = std::max(0, static_cast<int>(centre.x) - half);
  const int y0 = std::max(0, static_cast<int>(centre.y) - half);
  const int x1 = std::min(image_.width, static_cast<int>(centre.x) + half);
  const int y1 = std::min(image_.height, static_cast<int>(centre.y) + half);
  if ((x1 - x0) / shrink_ < 12 || (y1 - y0) / shrink_ < 12) return std::nullopt;
  std::array<int, kAttempts> order;
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return successes_[a] > successes_[b]; });
  const WellCrop reduced = Reduced(x0, y0, x1 - x0, y1 - y0);
  for (int k = 0; k < (thorough ? kAttempts : 1); ++k) {
    const auto attempt = static_cast<Attempt>(order[k]);
    auto symbol = Try(attempt, reduced, x0, y0, x1 - x0, y1 - y0);
    if (symbol) {
      ++successes_[attempt];
      return symbol;
    }
  }
  return std::nullopt;
}

WellCrop WellDecoder::Reduced(int x0, int y0, int width, int height) const {
  const int s = shrink_;
  WellCrop crop{width / s, height / s, {}};
  crop.px.resize(static_cast<size_t>(crop.width) * crop.height);
  // Raw pointers held in locals: a byte written through the crop's could otherwise alias the
  // vectors' own, and be reloaded every pixel.
  const uint8_t* const pixels = image_.pixels.data();
  const size_t stride = static_cast<size_t>(image_.width);
  uint8_t* out = crop.px.data();
  // sum / s^2 as a multiplication and a shift (exact for these sums): a division every pixel
  // stalled the loop.
  const uint64_t reciprocal = ((uint64_t{1} << 32) + s * s - 1) / (s * s);
  for (int y = 0; y < crop.height; ++y) {
    const uint8_t* top = pixels + static_cast<size_t>(y0 + y * s) * stride + x0;
    for (int x = 0; x < crop.width; ++x, ++out) {
      uint64_t sum = 0;
      for (int dy = 0; dy < s; ++dy) {
        const uint8_t* p = top + dy * stride + x * s;
        for (int dx = 0; dx < s; ++dx) sum += p[dx];
      }
      *out = static_cast<uint8_t>((sum * reciprocal) >> 32);
    }
  }
  return crop;
}

std::optional<DecodedSymbol> WellDecoder::Try(Attempt attempt, const WellCrop& reduced, int x0,
                                              int y0, int width, int height) {
  const int s = shrink_;
  // Enlarging helps small modules (also a small symbol in a large well); a large crop's
  // modules are large enough already.
  if (attempt == kEnlarged && width / s > 160) return std::nullopt;
  Crop crop = reduced;
  double scale = s;  // picture pixels per crop pixel
  ZXing::Binarizer binarizer = ZXing::Binarizer::LocalAverage;
  switch (attempt) {
    case kGlobal: binarizer = ZXing::Binarizer::GlobalHistogram; break;
    case kEnlarged: crop = Enlarged(crop), scale = s / 2.0; break;
    case kBlurred: crop = Blurred(crop); break;
    case kInverted: crop = Inverted(std::move(crop)); break;
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
  symbol.inverted = attempt == kInverted;
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
