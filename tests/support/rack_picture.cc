#include "rack_picture.h"

#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>
#include <set>

#include "ZXing/BitMatrix.h"
#include "ZXing/MultiFormatWriter.h"

namespace lims::testing {
namespace {

constexpr double kPi = 3.14159265358979323846;
// Rack geometry in pitches.
constexpr double kMargin = 1.4;        // plate edge to the first well's centre
constexpr double kChamfer = 1.2;       // legs of the cut-off A1 corner
constexpr double kWellRadius = 0.42;
constexpr double kCodeSide = 0.56;     // the code with its one-module quiet zone
// Grey levels.
constexpr double kLid = 15, kPlate = 110, kHole = 35, kTube = 175, kFrost = 168;

void Grey(cairo_t* cr, double level, double alpha = 1) {
  cairo_set_source_rgba(cr, level / 255, level / 255, level / 255, alpha);
}

void DrawPlate(cairo_t* cr, double width, double height, double chamfer) {
  cairo_move_to(cr, chamfer, 0);
  cairo_line_to(cr, width, 0);
  cairo_line_to(cr, width, height);
  cairo_line_to(cr, 0, height);
  cairo_line_to(cr, 0, chamfer);
  cairo_close_path(cr);
  Grey(cr, kPlate);
  cairo_fill(cr);
}

// The tube's code centred on the origin, mirrored (the picture is in the top-view layout).
void DrawCode(cairo_t* cr, const std::string& text, double pitch) {
  ZXing::MultiFormatWriter writer(ZXing::BarcodeFormat::DataMatrix);
  writer.setMargin(0);
  const ZXing::BitMatrix bits = writer.encode(text, 0, 0);
  const int modules = std::max(bits.width(), bits.height()) + 2;
  const double module = kCodeSide * pitch / modules;
  const double x0 = -bits.width() * module / 2, y0 = -bits.height() * module / 2;
  cairo_save(cr);
  cairo_scale(cr, -1, 1);
  Grey(cr, 250);
  cairo_rectangle(cr, x0 - module, y0 - module, (bits.width() + 2) * module,
                  (bits.height() + 2) * module);
  cairo_fill(cr);
  Grey(cr, 20);
  for (int y = 0; y < bits.height(); ++y) {
    for (int x = 0; x < bits.width(); ++x) {
      if (bits.get(x, y)) cairo_rectangle(cr, x0 + x * module, y0 + y * module, module, module);
    }
  }
  cairo_fill(cr);
  cairo_restore(cr);
}

std::vector<double> GaussianKernel(double sigma) {
  const int radius = std::max(1, static_cast<int>(std::ceil(3 * sigma)));
  std::vector<double> k(2 * radius + 1);
  double sum = 0;
  for (int i = -radius; i <= radius; ++i) sum += k[i + radius] = std::exp(-i * i / (2 * sigma * sigma));
  for (double& v : k) v /= sum;
  return k;
}

// Separable Gaussian blur, edges clamped.
void Blur(std::vector<double>& px, int w, int h, double sigma) {
  const std::vector<double> k = GaussianKernel(sigma);
  const int r = static_cast<int>(k.size() / 2);
  std::vector<double> tmp(px.size());
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      double s = 0;
      for (int i = -r; i <= r; ++i) s += k[i + r] * px[y * w + std::clamp(x + i, 0, w - 1)];
      tmp[y * w + x] = s;
    }
  }
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      double s = 0;
      for (int i = -r; i <= r; ++i) s += k[i + r] * tmp[std::clamp(y + i, 0, h - 1) * w + x];
      px[y * w + x] = s;
    }
  }
}

}  // namespace

namespace {

struct Frame {
  double rack_w = 0, rack_h = 0, angle = 0;
  int width = 0, height = 0;
};

// The rack's size and the picture's: the rack turned about the picture's centre, half a pitch
// of lid around it.
Frame FrameOf(const RackPictureSpec& spec) {
  Frame f;
  const double p = spec.pitch_px;
  f.rack_w = ((spec.columns - 1) + 2 * kMargin) * p;
  f.rack_h = ((spec.rows - 1) + 2 * kMargin) * p;
  f.angle = (spec.rotation_degrees + spec.skew_degrees) * kPi / 180;
  const double c = std::abs(std::cos(f.angle)), s = std::abs(std::sin(f.angle));
  f.width = static_cast<int>(std::ceil(c * f.rack_w + s * f.rack_h + p));
  f.height = static_cast<int>(std::ceil(s * f.rack_w + c * f.rack_h + p));
  return f;
}

}  // namespace

PixelPoint WellCentre(const RackPictureSpec& spec, int row, int column) {
  const Frame f = FrameOf(spec);
  // As cairo draws it: translate to the centre, rotate, translate by half the rack.
  const double rx = (kMargin + column) * spec.pitch_px - f.rack_w / 2;
  const double ry = (kMargin + row) * spec.pitch_px - f.rack_h / 2;
  const double x = f.width / 2.0 + std::cos(f.angle) * rx - std::sin(f.angle) * ry;
  const double y = f.height / 2.0 + std::sin(f.angle) * rx + std::cos(f.angle) * ry;
  // Pixel k's centre is at k + 0.5 in cairo's coordinates.
  return {(spec.bottom_view ? f.width - x : x) - 0.5, y - 0.5};
}

scanning::GrayImage DrawRack(const RackPictureSpec& spec) {
  const double p = spec.pitch_px;
  const Frame frame = FrameOf(spec);
  const double rack_w = frame.rack_w, rack_h = frame.rack_h, angle = frame.angle;
  const int width = frame.width, height = frame.height;

  std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface(
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height), cairo_surface_destroy);
  std::unique_ptr<cairo_t, decltype(&cairo_destroy)> owner(cairo_create(surface.get()),
                                                           cairo_destroy);
  cairo_t* cr = owner.get();
  Grey(cr, kLid);
  cairo_paint(cr);
  cairo_translate(cr, width / 2.0, height / 2.0);
  cairo_rotate(cr, angle);
  cairo_translate(cr, -rack_w / 2, -rack_h / 2);
  DrawPlate(cr, rack_w, rack_h, spec.orientation_mark ? kChamfer * p : 0);

  std::mt19937 random(spec.seed);
  std::uniform_real_distribution<double> turn(0, 2 * kPi);
  const std::set<int> frosted(spec.frosted.begin(), spec.frosted.end());
  for (int r = 0; r < spec.rows; ++r) {
    for (int col = 0; col < spec.columns; ++col) {
      const int well = r * spec.columns + col;
      const std::string& code = well < static_cast<int>(spec.codes.size()) ? spec.codes[well] : "";
      cairo_save(cr);
      cairo_translate(cr, (kMargin + col) * p, (kMargin + r) * p);
      cairo_arc(cr, 0, 0, kWellRadius * p, 0, 2 * kPi);
      Grey(cr, code.empty() ? kHole : kTube);
      cairo_fill(cr);
      if (!code.empty()) {
        cairo_rotate(cr, turn(random));
        DrawCode(cr, code, p);
        if (frosted.count(well) != 0) {
          const double half = kCodeSide * p / 2;
          cairo_rectangle(cr, -half, -half, 2 * half, 2 * half);
          Grey(cr, kFrost, 0.9);
          cairo_fill(cr);
        }
      }
      cairo_restore(cr);
    }
  }
  cairo_surface_flush(surface.get());

  const unsigned char* data = cairo_image_surface_get_data(surface.get());
  const int stride = cairo_image_surface_get_stride(surface.get());
  std::vector<double> px(static_cast<size_t>(width) * height);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const int src_x = spec.bottom_view ? width - 1 - x : x;
      px[y * width + x] = data[y * stride + src_x * 4 + 1];  // green of B, G, R, X
    }
  }
  if (spec.blur_sigma_px > 0) Blur(px, width, height, spec.blur_sigma_px);
  std::normal_distribution<double> noise(0, std::max(spec.noise_sd, 1e-9));
  scanning::GrayImage image{width, height, std::vector<uint8_t>(px.size())};
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      // Light falls off along the diagonal, as from a lamp beside the scanner bed.
      const double light = 1 - spec.light_falloff * (x + y) / double(width + height);
      double v = px[y * width + x] * light + (spec.noise_sd > 0 ? noise(random) : 0);
      image.pixels[y * width + x] = static_cast<uint8_t>(std::clamp(std::lround(v), 0L, 255L));
    }
  }
  return image;
}

namespace {

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

std::string EncodePng(const scanning::GrayImage& image) {
  std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface(
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, image.width, image.height),
      cairo_surface_destroy);
  unsigned char* data = cairo_image_surface_get_data(surface.get());
  const int stride = cairo_image_surface_get_stride(surface.get());
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      const uint8_t v = image.pixels[y * image.width + x];
      unsigned char* pixel = data + y * stride + x * 4;
      pixel[0] = pixel[1] = pixel[2] = v;
      pixel[3] = 255;
    }
  }
  cairo_surface_mark_dirty(surface.get());
  std::string png;
  cairo_surface_write_to_png_stream(surface.get(), Append, &png);
  return png;
}

std::vector<std::string> TubeCodes(int count, uint32_t seed) {
  std::mt19937 random(seed);
  std::uniform_int_distribution<long long> digits(1'000'000'000LL, 9'999'999'999LL);
  std::set<std::string> seen;
  std::vector<std::string> codes;
  while (static_cast<int>(codes.size()) < count) {
    std::string code = std::to_string(digits(random));
    if (seen.insert(code).second) codes.push_back(std::move(code));
  }
  return codes;
}

std::vector<RackPictureSpec> SweepSpecs(std::string_view level, double pitch, int rotation,
                                        int count, uint32_t seed) {
  struct Level {
    std::string_view name;
    double max_skew, blur, noise, light;
    int frosted;
  };
  static constexpr Level kLevels[] = {
      {"easy", 2, 0.5, 2, 0.1, 0},
      {"medium", 5, 0.8, 5, 0.3, 0},
      {"hard", 8, 1.1, 9, 0.5, 4},
  };
  const auto* found = std::find_if(std::begin(kLevels), std::end(kLevels),
                                   [&](const Level& l) { return l.name == level; });
  std::vector<RackPictureSpec> specs;
  if (found == std::end(kLevels)) return specs;
  std::mt19937 random(seed);
  for (int n = 0; n < count; ++n) {
    RackPictureSpec spec;
    spec.seed = seed * 1000 + n;
    spec.codes = TubeCodes(96, spec.seed);
    std::uniform_int_distribution<int> well(0, 95);
    for (int e = 0; e < 12; ++e) spec.codes[well(random)].clear();
    for (int f = 0; f < found->frosted; ++f) {
      const int w = well(random);
      if (!spec.codes[w].empty()) spec.frosted.push_back(w);
    }
    spec.pitch_px = pitch;
    spec.rotation_degrees = rotation;
    spec.skew_degrees =
        std::uniform_real_distribution<double>(-found->max_skew, found->max_skew)(random);
    spec.blur_sigma_px = std::max(0.5, found->blur * pitch / 90);
    spec.noise_sd = found->noise;
    spec.light_falloff = found->light;
    spec.bottom_view = n % 2 == 1;
    specs.push_back(std::move(spec));
  }
  return specs;
}

}  // namespace lims::testing
