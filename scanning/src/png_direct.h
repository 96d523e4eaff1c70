// The usual rack scanner's PNG (8 bits a sample, grey, grey and alpha, RGB or RGBA, not
// interlaced) decoded to grey levels without libpng: its pixel data inflated in one call to
// libdeflate, about twice as fast as zlib's streaming inflate on a 10-20 megapixel picture
// (half the time a rack read took), then unfiltered and turned grey row by row. Every other
// layout, and pictures whose inflated data would pass kMaxDirectBytes, are left to libpng,
// which inflates row by row in constant memory. Internal to scanning/.
#ifndef LIMS_SCANNING_PNG_DIRECT_H_
#define LIMS_SCANNING_PNG_DIRECT_H_

#include <cstddef>
#include <string_view>

#include "absl/status/statusor.h"
#include "lims/scanning/image.h"

namespace lims::scanning {

// The most inflated pixel data held at once (a 24-megapixel RGBA or 32-megapixel RGB picture).
inline constexpr size_t kMaxDirectBytes = 96u << 20;

// Whether DecodePngDirect reads this PNG: its IHDR (which the caller has found at the start)
// names a layout above, within kMaxDirectBytes.
bool DecodesDirectly(std::string_view png);

// The picture's grey levels. InvalidArgument when the file is damaged or ends early (saying
// so); ResourceExhausted when its pixel data inflates past what the header's size allows.
absl::StatusOr<GrayImage> DecodePngDirect(std::string_view png);

}  // namespace lims::scanning

#endif  // LIMS_SCANNING_PNG_DIRECT_H_
