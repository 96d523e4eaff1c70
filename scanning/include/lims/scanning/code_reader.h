// Every DataMatrix, QR and Code 128 symbol in a picture, with its corners, read by ZXing-cpp.
#ifndef LIMS_SCANNING_CODE_READER_H_
#define LIMS_SCANNING_CODE_READER_H_

#include <array>
#include <string>
#include <vector>

#include "lims/scanning/image.h"

namespace lims::scanning {

enum class CodeFormat { kDataMatrix, kQrCode, kCode128 };

struct Point {
  int x = 0, y = 0;
};

struct FoundCode {
  std::string text;  // UTF-8
  CodeFormat format = CodeFormat::kDataMatrix;
  std::array<Point, 4> corners;  // top-left, top-right, bottom-right, bottom-left of the symbol
};

// Only symbols whose error correction checked out: every DataMatrix and QR code, and one Code
// 128 (see code_reader.cc for why only one).
std::vector<FoundCode> ReadCodes(const GrayImage& image);

}  // namespace lims::scanning

#endif  // LIMS_SCANNING_CODE_READER_H_
