#include "png_direct.h"

#include <libdeflate.h>
#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

namespace lims::scanning {
namespace {

constexpr size_t kSignature = 8;

uint32_t BigEndian32(std::string_view s, size_t at) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}

struct Header {
  uint32_t width = 0, height = 0;
  int channels = 0;  // 1 grey, 2 grey and alpha, 3 RGB, 4 RGBA
};

// The IHDR's layout when it is one read here; channels 0 otherwise.
Header ReadHeader(std::string_view png) {
  Header h;
  if (png.size() < kSignature + 8 + 13 || png.compare(kSignature + 4, 4, "IHDR") != 0 ||
      BigEndian32(png, kSignature) != 13) {
    return h;
  }
  const size_t at = kSignature + 8;
  h.width = BigEndian32(png, at);
  h.height = BigEndian32(png, at + 4);
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(png[at + k]); };
  const int depth = byte(8), colour = byte(9), compression = byte(10), filter = byte(11),
            interlace = byte(12);
  if (depth != 8 || compression != 0 || filter != 0 || interlace != 0) return h;
  switch (colour) {
    case 0:
      h.channels = 1;
      break;
    case 4:
      h.channels = 2;
      break;
    case 2:
      h.channels = 3;
      break;
    case 6:
      h.channels = 4;
      break;
    default:
      break;
  }
  return h;
}

absl::Status Bomb(const Header& h) {
  return absl::ResourceExhaustedError(
      absl::StrCat("the PNG's pixel data holds more than its ", h.width, " x ", h.height,
                   " header allows (a decompression bomb?); refused"));
}

absl::Status Damaged(std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("the image cannot be decoded (", std::string(what),
                                                 "); it may be truncated or damaged"));
}

// The pixel data: every IDAT chunk's bytes in order, each chunk's CRC checked (and every other
// critical chunk's). Points into the file when there is one IDAT, else joined in `joined`.
absl::StatusOr<std::string_view> PixelData(std::string_view png, std::string* joined) {
  std::vector<std::string_view> parts;
  size_t total = 0;
  bool ended = false;
  for (size_t at = kSignature; !ended;) {
    if (png.size() - at < 12) return Damaged("the file ends inside a chunk");
    const uint32_t length = BigEndian32(png, at);
    if (length > png.size() - at - 12) return Damaged("a chunk runs past the end of the file");
    const std::string_view type = png.substr(at + 4, 4);
    const std::string_view data = png.substr(at + 8, length);
    const bool critical = (type[0] & 0x20) == 0;
    if (critical) {
      const uint32_t crc = libdeflate_crc32(0, png.data() + at + 4, 4 + length);
      if (crc != BigEndian32(png, at + 8 + length)) {
        return Damaged(absl::StrCat(std::string(type), " chunk's CRC does not match"));
      }
    }
    if (type == "IDAT") {
      if (!parts.empty() && parts.back().data() + parts.back().size() + 12 != data.data()) {
        return Damaged("its pixel data is split by other chunks");
      }
      parts.push_back(data);
      total += length;
    } else if (type == "IEND") {
      ended = true;
    } else if (critical && type != "PLTE" && (type != "IHDR" || at != kSignature)) {
      // PLTE: a suggested palette, which a true-colour picture may carry.
      return Damaged(absl::StrCat("an unexpected ", std::string(type), " chunk"));
    }
    at += 12 + length;
  }
  if (parts.empty()) return Damaged("no pixel data");
  if (parts.size() == 1) return parts.front();
  joined->reserve(total);
  for (std::string_view part : parts) joined->append(part);
  return std::string_view(*joined);
}

// The PNG Paeth predictor, without branches: on a noisy picture they are mispredicted at
// every other byte.
uint8_t Paeth(int left, int up, int up_left) {
  const int pa = std::abs(up - up_left), pb = std::abs(left - up_left),
            pc = std::abs(left + up - 2 * up_left);
  const int up_or_corner = pb <= pc ? up : up_left;
  return static_cast<uint8_t>((pa <= pb) & (pa <= pc) ? left : up_or_corner);
}

// Undoes one row's filter in place; `prior` is the row above, already unfiltered (zeros for
// the first row). The pixel to the left is kept in registers, kBpp samples of it: each sample
// then depends on the one a pixel back only, not on a store and load of it. false for an
// unknown filter type.
template <size_t kBpp>
bool Unfilter(uint8_t filter, uint8_t* row, const uint8_t* prior, size_t bytes) {
  uint8_t left[kBpp] = {};
  uint8_t up_left[kBpp] = {};
  switch (filter) {
    case 0:
      return true;
    case 1:
      for (size_t k = 0; k < bytes; k += kBpp) {
#pragma GCC unroll 4
        for (size_t c = 0; c < kBpp; ++c)
          row[k + c] = left[c] = static_cast<uint8_t>(row[k + c] + left[c]);
      }
      return true;
    case 2:
      for (size_t k = 0; k < bytes; ++k) row[k] = static_cast<uint8_t>(row[k] + prior[k]);
      return true;
    case 3:
      for (size_t k = 0; k < bytes; k += kBpp) {
#pragma GCC unroll 4
        for (size_t c = 0; c < kBpp; ++c) {
          row[k + c] = left[c] = static_cast<uint8_t>(row[k + c] + ((left[c] + prior[k + c]) >> 1));
        }
      }
      return true;
    case 4:
      for (size_t k = 0; k < bytes; k += kBpp) {
#pragma GCC unroll 4
        for (size_t c = 0; c < kBpp; ++c) {
          const uint8_t up = prior[k + c];
          row[k + c] = left[c] = static_cast<uint8_t>(row[k + c] + Paeth(left[c], up, up_left[c]));
          up_left[c] = up;
        }
      }
      return true;
    default:
      return false;
  }
}

bool UnfilterRow(uint8_t filter, uint8_t* row, const uint8_t* prior, size_t bytes, int bpp) {
  switch (bpp) {
    case 1:
      return Unfilter<1>(filter, row, prior, bytes);
    case 2:
      return Unfilter<2>(filter, row, prior, bytes);
    case 3:
      return Unfilter<3>(filter, row, prior, bytes);
    default:
      return Unfilter<4>(filter, row, prior, bytes);
  }
}

// One row of samples to grey levels: grey as it is, colour weighted as libpng's default
// (Rec. 709 luminance, 15-bit fixed point), alpha dropped.
void ToGrey(const uint8_t* row, int channels, uint32_t width, uint8_t* out) {
  if (channels <= 2) {
    for (uint32_t x = 0; x < width; ++x) out[x] = row[x * channels];
    return;
  }
  for (uint32_t x = 0; x < width; ++x) {
    const uint8_t* p = row + static_cast<size_t>(x) * channels;
    out[x] = static_cast<uint8_t>((6968u * p[0] + 23434u * p[1] + 2366u * p[2] + 16384u) >> 15);
  }
}

// The inflated pixel data, tens of megabytes touched once: mapped in huge pages where the
// kernel has them, so that filling it takes a few dozen page faults instead of thousands.
class RawBuffer {
 public:
  explicit RawBuffer(size_t bytes) : bytes_(bytes) {
    void* p = mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return;
    madvise(p, bytes_, MADV_HUGEPAGE);  // advice only: ignored where unsupported
    data_ = static_cast<uint8_t*>(p);
  }
  ~RawBuffer() {
    if (data_ != nullptr) munmap(data_, bytes_);
  }
  RawBuffer(const RawBuffer&) = delete;
  RawBuffer& operator=(const RawBuffer&) = delete;
  uint8_t* get() const { return data_; }

 private:
  size_t bytes_;
  uint8_t* data_ = nullptr;
};

struct DecompressorFree {
  void operator()(libdeflate_decompressor* d) const { libdeflate_free_decompressor(d); }
};

}  // namespace

bool DecodesDirectly(std::string_view png) {
  const Header h = ReadHeader(png);
  if (h.channels == 0 || h.width == 0 || h.height == 0) return false;
  const double inflated = (1.0 + static_cast<double>(h.width) * h.channels) * h.height;
  return inflated <= static_cast<double>(kMaxDirectBytes);
}

absl::StatusOr<GrayImage> DecodePngDirect(std::string_view png) {
  if (!DecodesDirectly(png)) return Damaged("its layout is not one read directly");
  const Header h = ReadHeader(png);
  std::string joined;
  auto data = PixelData(png, &joined);
  if (!data.ok()) return data.status();
  const size_t row_bytes = static_cast<size_t>(h.width) * h.channels;
  const size_t expected = (row_bytes + 1) * h.height;
  std::unique_ptr<libdeflate_decompressor, DecompressorFree> inflater(
      libdeflate_alloc_decompressor());
  if (!inflater) return absl::ResourceExhaustedError("no memory to decode the image");
  // One byte of room beyond the header's size: data running on into it is a bomb's.
  RawBuffer raw(expected + 1);
  if (raw.get() == nullptr) return absl::ResourceExhaustedError("no memory to decode the image");
  size_t inflated = 0;
  switch (libdeflate_zlib_decompress(inflater.get(), data->data(), data->size(), raw.get(),
                                     expected + 1, &inflated)) {
    case LIBDEFLATE_SUCCESS:
      break;
    case LIBDEFLATE_INSUFFICIENT_SPACE:
      return Bomb(h);
    default:
      return Damaged("its compressed pixel data is corrupt");
  }
  if (inflated < expected) return Damaged("its pixel data ends early");
  if (inflated > expected) return Bomb(h);
  GrayImage image;
  image.width = static_cast<int>(h.width);
  image.height = static_cast<int>(h.height);
  image.pixels.resize(static_cast<size_t>(h.width) * h.height);
  const std::vector<uint8_t> zeros(row_bytes, 0);
  const uint8_t* prior = zeros.data();
  for (uint32_t y = 0; y < h.height; ++y) {
    uint8_t* line = raw.get() + static_cast<size_t>(y) * (row_bytes + 1);
    if (!UnfilterRow(line[0], line + 1, prior, row_bytes, h.channels)) {
      return Damaged(absl::StrCat("row ", y, " has an unknown filter type"));
    }
    ToGrey(line + 1, h.channels, h.width, &image.pixels[static_cast<size_t>(y) * h.width]);
    prior = line + 1;
  }
  return image;
}

}  // namespace lims::scanning
