#include "png_barcodes.h"

#include <cairo.h>

#include <algorithm>
#include <cstring>
#include <memory>

// text() as UTF-8 (ZXing-cpp 1.4 otherwise answers std::wstring).
#define ZX_USE_UTF8 1
#include "ZXing/ReadBarcode.h"

namespace lims::testing {
namespace {

struct Reader {
  const std::string& bytes;
  size_t offset = 0;
};

cairo_status_t ReadChunk(void* closure, unsigned char* data, unsigned int length) {
  auto* r = static_cast<Reader*>(closure);
  if (r->offset + length > r->bytes.size()) return CAIRO_STATUS_READ_ERROR;
  std::memcpy(data, r->bytes.data() + r->offset, length);
  r->offset += length;
  return CAIRO_STATUS_SUCCESS;
}

using Surface = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;

Surface Load(const std::string& png) {
  Reader reader{png};
  Surface s(cairo_image_surface_create_from_png_stream(ReadChunk, &reader),
            cairo_surface_destroy);
  if (cairo_surface_status(s.get()) != CAIRO_STATUS_SUCCESS) return Surface(nullptr, cairo_surface_destroy);
  return s;
}

}  // namespace

std::vector<FoundBarcode> DecodePng(const std::string& png) {
  return DecodePngRegion(png, 0, 0, 1 << 20, 1 << 20);
}

std::vector<FoundBarcode> DecodePngRegion(const std::string& png, int x, int y, int width,
                                          int height) {
  Surface s = Load(png);
  if (!s) return {};
  cairo_surface_flush(s.get());
  const int image_width = cairo_image_surface_get_width(s.get());
  const int image_height = cairo_image_surface_get_height(s.get());
  x = std::max(0, x);
  y = std::max(0, y);
  width = std::min(width, image_width - x);
  height = std::min(height, image_height - y);
  if (width <= 0 || height <= 0) return {};
  const int stride = cairo_image_surface_get_stride(s.get());
  // cairo's 32-bit pixels are native-endian ARGB: B, G, R, X in memory on x86.
  ZXing::ImageView image(cairo_image_surface_get_data(s.get()) + y * stride + x * 4, width,
                         height, ZXing::ImageFormat::BGRX, stride);
  ZXing::DecodeHints hints;
  hints.setTryHarder(true);
  hints.setTryRotate(true);
  std::vector<FoundBarcode> out;
  for (const ZXing::Result& r : ZXing::ReadBarcodes(image, hints)) {
    if (!r.isValid()) continue;
    out.push_back({ZXing::ToString(r.format()), r.text()});
  }
  return out;
}

std::pair<int, int> PngSize(const std::string& png) {
  Surface s = Load(png);
  if (!s) return {0, 0};
  return {cairo_image_surface_get_width(s.get()), cairo_image_surface_get_height(s.get())};
}

}  // namespace lims::testing
