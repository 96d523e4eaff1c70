#include "lims/scanning/code_reader.h"

// text() as UTF-8 (ZXing-cpp 1.4 otherwise answers std::wstring).
#define ZX_USE_UTF8 1
#include "ZXing/ReadBarcode.h"

namespace lims::scanning {

namespace {

ZXing::DecodeHints Hints(ZXing::BarcodeFormats formats) {
  ZXing::DecodeHints hints;
  hints.setFormats(formats);
  hints.setTryHarder(true);
  hints.setTryRotate(true);
  return hints;
}

}  // namespace

std::vector<FoundCode> ReadCodes(const GrayImage& image) {
  const ZXing::ImageView view(image.pixels.data(), image.width, image.height,
                              ZXing::ImageFormat::Lum);
  // Every 2D symbol; Code 128 with the single-symbol reader: Debian's ZXing-cpp 1.4 aborts the
  // process (a failed assertion) when its multi-symbol reader merges some Code 128 results, as
  // on tests/data/barcodes/code128-1/4.png. So at most one Code 128 per picture.
  ZXing::Results results =
      ZXing::ReadBarcodes(view, Hints(ZXing::BarcodeFormat::DataMatrix | ZXing::BarcodeFormat::QRCode));
  ZXing::Result linear = ZXing::ReadBarcode(view, Hints(ZXing::BarcodeFormat::Code128));
  if (linear.isValid()) results.push_back(std::move(linear));
  std::vector<FoundCode> out;
  for (const ZXing::Result& r : results) {
    if (!r.isValid()) continue;
    FoundCode code;
    code.text = r.text();
    switch (r.format()) {
      case ZXing::BarcodeFormat::QRCode: code.format = CodeFormat::kQrCode; break;
      case ZXing::BarcodeFormat::Code128: code.format = CodeFormat::kCode128; break;
      default: code.format = CodeFormat::kDataMatrix; break;
    }
    const ZXing::Position& p = r.position();
    for (int i = 0; i < 4; ++i) code.corners[i] = {p[i].x, p[i].y};
    out.push_back(std::move(code));
  }
  return out;
}

}  // namespace lims::scanning
