#include "barcode_symbols.h"

#include <algorithm>
#include <stdexcept>

#include "ZXing/MultiFormatWriter.h"
#include "absl/strings/str_cat.h"

namespace lims::labels {
namespace {

absl::StatusOr<ZXing::BitMatrix> Encode(ZXing::BarcodeFormat format, const std::string& text) {
  try {
    ZXing::MultiFormatWriter writer(format);
    writer.setMargin(0);
    // Width and height 0: the symbol at one element per module.
    return writer.encode(text, 0, format == ZXing::BarcodeFormat::Code128 ? 1 : 0);
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text, "\" cannot be encoded as a barcode: ", e.what()));
  }
}

}  // namespace

absl::StatusOr<ZXing::BitMatrix> EncodeDataMatrix(const std::string& text) {
  return Encode(ZXing::BarcodeFormat::DataMatrix, text);
}

absl::StatusOr<ZXing::BitMatrix> EncodeCode128(const std::string& text) {
  return Encode(ZXing::BarcodeFormat::Code128, text);
}

int SquareDataMatrixSide(int columns, int rows) {
  struct Symbol {
    int columns, rows, data_codewords;
  };
  // ISO/IEC 16022 ECC 200 symbol sizes and their data capacity.
  static constexpr Symbol kSymbols[] = {
      {10, 10, 3},    {12, 12, 5},    {14, 14, 8},    {16, 16, 12},   {18, 18, 18},
      {20, 20, 22},   {22, 22, 30},   {24, 24, 36},   {26, 26, 44},   {32, 32, 62},
      {36, 36, 86},   {40, 40, 114},  {44, 44, 144},  {48, 48, 174},  {52, 52, 204},
      {64, 64, 280},  {72, 72, 368},  {80, 80, 456},  {88, 88, 576},  {96, 96, 696},
      {104, 104, 816}, {120, 120, 1050}, {132, 132, 1304}, {144, 144, 1558},
      {18, 8, 5},     {32, 8, 10},    {26, 12, 16},   {36, 12, 22},   {36, 16, 32},
      {48, 16, 49},
  };
  int capacity = 0;
  for (const Symbol& s : kSymbols) {
    if (s.columns == columns && s.rows == rows) capacity = s.data_codewords;
  }
  for (const Symbol& s : kSymbols) {
    if (s.columns == s.rows && s.data_codewords >= capacity) return s.columns;
  }
  return std::max(columns, rows);
}

int Code128SubsetBModules(const std::string& text) {
  return 11 * (static_cast<int>(text.size()) + 2) + 13;
}

}  // namespace lims::labels
