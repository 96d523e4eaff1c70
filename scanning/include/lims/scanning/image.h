// Images handed to the scan service (a tube photo, a rack seen from below), decoded to grey
// levels. Only PNG, JPEG and BMP are read, and only within limits checked from the file's header
// before any pixel is decoded, so a small file that claims a huge picture (a decompression
// bomb) costs nothing.
#ifndef LIMS_SCANNING_IMAGE_H_
#define LIMS_SCANNING_IMAGE_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace lims::scanning {

struct ImageLimits {
  size_t max_bytes = 32u << 20;       // 32 MiB of file
  int64_t max_pixels = 50'000'000;    // 50 megapixels
};

struct GrayImage {
  int width = 0, height = 0;
  std::vector<uint8_t> pixels;  // row-major, one byte a pixel
};

// InvalidArgument (saying what was wrong): not PNG, JPEG or BMP, truncated or corrupt.
// ResourceExhausted: more bytes or pixels than `limits`, with both figures.
absl::StatusOr<GrayImage> DecodeImage(std::string_view file, const ImageLimits& limits = {});

}  // namespace lims::scanning

#endif  // LIMS_SCANNING_IMAGE_H_
