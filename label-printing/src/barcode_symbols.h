// Barcode symbols from ZXing-cpp's writer, one cell or bar per matrix element (no margin).
#ifndef LIMS_LABELS_SRC_BARCODE_SYMBOLS_H_
#define LIMS_LABELS_SRC_BARCODE_SYMBOLS_H_

#include <string>

#include "ZXing/BitMatrix.h"
#include "absl/status/statusor.h"

namespace lims::labels {

// InvalidArgument when the writer refuses the text (e.g. too long for any symbol).
absl::StatusOr<ZXing::BitMatrix> EncodeDataMatrix(const std::string& text);
// A one-row matrix: set = bar.
absl::StatusOr<ZXing::BitMatrix> EncodeCode128(const std::string& text);

// The side of the square ECC 200 symbol a printer chooses for text that ZXing put in a
// `columns` x `rows` symbol (ZXing may pick a rectangle, a printer's ^BX a square): the smallest
// square holding at least as many data codewords, so never smaller than the printer's.
int SquareDataMatrixSide(int columns, int rows);

// Width in modules of a Code 128 symbol in subset B (how the printer encodes ^BC field data):
// start, one symbol per character and the check symbol of 11 modules each, the stop of 13.
int Code128SubsetBModules(const std::string& text);

}  // namespace lims::labels

#endif  // LIMS_LABELS_SRC_BARCODE_SYMBOLS_H_
