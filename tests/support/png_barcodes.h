// Test helper: every barcode ZXing-cpp's reader finds in a PNG image (the file's bytes).
#ifndef LIMS_TESTS_SUPPORT_PNG_BARCODES_H_
#define LIMS_TESTS_SUPPORT_PNG_BARCODES_H_

#include <string>
#include <vector>

namespace lims::testing {

struct FoundBarcode {
  std::string format;  // "DataMatrix", "Code128", ...
  std::string text;
};

// Empty when the PNG does not load or holds no readable code.
std::vector<FoundBarcode> DecodePng(const std::string& png);

// The same on a part of the picture (clipped to it). ZXing-cpp 1.4 finds a DataMatrix far from
// the middle of a large picture poorly, so label tests read each symbol with its quiet zone.
std::vector<FoundBarcode> DecodePngRegion(const std::string& png, int x, int y, int width,
                                          int height);

// Size of the PNG in pixels ({0, 0} when it does not load).
std::pair<int, int> PngSize(const std::string& png);

}  // namespace lims::testing

#endif  // LIMS_TESTS_SUPPORT_PNG_BARCODES_H_
