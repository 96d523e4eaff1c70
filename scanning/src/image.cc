#include "lims/scanning/image.h"

#include <png.h>
#include <stb_image.h>
#include <zlib.h>

#include <cstring>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"

namespace lims::scanning {
namespace {

enum class Kind { kPng, kJpeg, kBmp };

absl::StatusOr<Kind> Sniff(std::string_view file) {
  if (file.size() >= 8 && std::memcmp(file.data(), "\x89PNG\r\n\x1a\n", 8) == 0) return Kind::kPng;
  if (file.size() >= 3 && std::memcmp(file.data(), "\xff\xd8\xff", 3) == 0) return Kind::kJpeg;
  if (file.size() >= 2 && std::memcmp(file.data(), "BM", 2) == 0) return Kind::kBmp;
  return absl::InvalidArgumentError(
      "the image is not a PNG, JPEG or BMP file; send the scanner's picture as one of those");
}

uint32_t LittleEndian32(std::string_view s, size_t at) {  // at + 4 <= s.size()
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}

uint32_t BigEndian32(std::string_view s, size_t at) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}

// The size a PNG or BMP header claims, read here because stb_image refuses pictures past 2^30
// pixels as unreadable, and such a file is a bomb to be named as one. JPEG: left to stb_image.
bool HeaderSize(Kind kind, std::string_view file, int64_t* width, int64_t* height) {
  if (kind == Kind::kPng && file.size() >= 26 && file.compare(12, 4, "IHDR") == 0) {
    *width = BigEndian32(file, 16);
    *height = BigEndian32(file, 20);
    return true;
  }
  if (kind == Kind::kBmp && file.size() >= 26) {
    *width = static_cast<int32_t>(LittleEndian32(file, 18));
    *height = static_cast<int32_t>(LittleEndian32(file, 22));
    if (*height < 0) *height = -*height;  // top-down bitmaps
    return true;
  }
  return false;
}

// What the header says the pixel data inflates to (with room for Adam7 interlacing's extra
// filter bytes), so that compressed data claiming more is stopped while it is inflated: stb_image
// grows its buffer for whatever the data holds, up to gigabytes for a 1 x 1 picture.
uint64_t PngRawBytes(std::string_view file) {
  const uint64_t width = BigEndian32(file, 16), height = BigEndian32(file, 20);
  const uint64_t depth = static_cast<unsigned char>(file[24]);
  int channels = 1;
  switch (static_cast<unsigned char>(file[25])) {
    case 2: channels = 3; break;
    case 4: channels = 2; break;
    case 6: channels = 4; break;
    default: channels = 1; break;
  }
  const uint64_t row = (width * channels * depth + 7) / 8 + 1;
  const uint64_t raw = row * height;
  return raw + raw / 4 + 16 * (height + 8) + 4096;
}

// Inflates the PNG's IDAT data into nothing, counting: InvalidArgument for a chunk that runs past
// the file's end, ResourceExhausted when the data holds more than the header says.
absl::Status CheckPngData(std::string_view file) {
  if (file.size() < 33) return absl::InvalidArgumentError("the PNG file is truncated");
  const uint64_t limit = PngRawBytes(file);
  z_stream z{};
  if (inflateInit(&z) != Z_OK) return absl::InternalError("zlib cannot start");
  std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&z, inflateEnd);
  std::vector<unsigned char> sink(64 * 1024);
  uint64_t inflated = 0;
  size_t at = 8;
  while (at + 12 <= file.size()) {
    const uint64_t length = BigEndian32(file, at);
    if (length > file.size() - at - 12) {
      return absl::InvalidArgumentError("the PNG file is truncated (a chunk runs past its end)");
    }
    const std::string_view type = file.substr(at + 4, 4);
    if (type == "IDAT") {
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(file.data() + at + 8));
      z.avail_in = static_cast<uInt>(length);
      while (z.avail_in > 0) {
        z.next_out = sink.data();
        z.avail_out = static_cast<uInt>(sink.size());
        const int rc = inflate(&z, Z_NO_FLUSH);
        inflated += sink.size() - z.avail_out;
        if (inflated > limit) {
          return absl::ResourceExhaustedError(absl::StrCat(
              "the PNG's pixel data inflates to more than its ", BigEndian32(file, 16), " x ",
              BigEndian32(file, 20), " header allows (a decompression bomb?); refused"));
        }
        if (rc == Z_STREAM_END) break;
        if (rc != Z_OK) return absl::InvalidArgumentError("the PNG's pixel data is corrupt");
      }
    }
    if (type == "IEND") break;
    at += 12 + length;
  }
  return absl::OkStatus();
}

absl::Status TooManyPixels(int64_t width, int64_t height, const ImageLimits& limits) {
  return absl::ResourceExhaustedError(absl::StrCat(
      "the image is ", width, " x ", height, " pixels; at most ", limits.max_pixels,
      " pixels are accepted: scan at a lower resolution"));
}

// stb_image reads what is there and may fill a cut-off file's missing rows; the ends of the
// formats say whether the file arrived whole.
bool LooksComplete(Kind kind, std::string_view file) {
  switch (kind) {
    case Kind::kPng: {
      static constexpr char kIend[] = "IEND\xae\x42\x60\x82";
      return file.size() >= 12 && std::memcmp(file.data() + file.size() - 8, kIend, 8) == 0;
    }
    case Kind::kJpeg: {
      // The end-of-image marker, allowing for padding some cameras append.
      const size_t eoi = file.rfind("\xff\xd9");
      return eoi != std::string_view::npos && file.size() - eoi <= 4096;
    }
    case Kind::kBmp:
      return file.size() >= 14 && LittleEndian32(file, 2) <= file.size();
  }
  return false;
}

// PNG through libpng's simplified API, in grey levels: several times faster than stb_image's
// own inflater on a rack scanner's 10-megapixel pictures (checked complete and within its
// header's size before).
absl::StatusOr<GrayImage> DecodePng(std::string_view file) {
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&png, file.data(), file.size())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the image cannot be read (", png.message, "); it may be truncated or damaged"));
  }
  png.format = PNG_FORMAT_GRAY;
  GrayImage image;
  image.width = static_cast<int>(png.width);
  image.height = static_cast<int>(png.height);
  image.pixels.resize(PNG_IMAGE_SIZE(png));
  if (!png_image_finish_read(&png, nullptr, image.pixels.data(), 0, nullptr)) {
    png_image_free(&png);
    return absl::InvalidArgumentError(absl::StrCat(
        "the image cannot be decoded (", png.message, "); it may be damaged"));
  }
  return image;
}

}  // namespace

absl::StatusOr<GrayImage> DecodeImage(std::string_view file, const ImageLimits& limits) {
  if (file.size() > limits.max_bytes) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "the image has ", file.size(), " bytes; at most ", limits.max_bytes,
        " are accepted (a rack scanner's picture is typically 2-6 MB): scan at a lower "
        "resolution or crop it"));
  }
  auto kind = Sniff(file);
  if (!kind.ok()) return kind.status();
  int64_t claimed_width = 0, claimed_height = 0;
  // Each side is below 2^32, so the product fits in 64 bits only when compared by division.
  if (HeaderSize(*kind, file, &claimed_width, &claimed_height) &&
      (claimed_width > limits.max_pixels || claimed_height > limits.max_pixels ||
       (claimed_height > 0 && claimed_width > limits.max_pixels / claimed_height))) {
    return TooManyPixels(claimed_width, claimed_height, limits);
  }
  const auto* data = reinterpret_cast<const stbi_uc*>(file.data());
  const int length = static_cast<int>(file.size());
  int width = 0, height = 0, channels = 0;
  if (stbi_info_from_memory(data, length, &width, &height, &channels) == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the image cannot be read (", stbi_failure_reason(), "); it may be truncated or damaged"));
  }
  const int64_t pixels = static_cast<int64_t>(width) * height;
  if (width <= 0 || height <= 0) {
    return absl::InvalidArgumentError("the image has no pixels; send the scanner's picture");
  }
  if (pixels > limits.max_pixels) return TooManyPixels(width, height, limits);
  if (!LooksComplete(*kind, file)) {
    return absl::InvalidArgumentError(
        "the image file is truncated (its end is missing); send the whole file again");
  }
  if (*kind == Kind::kPng) {
    if (absl::Status data = CheckPngData(file); !data.ok()) return data;
    return DecodePng(file);
  }
  std::unique_ptr<stbi_uc, decltype(&stbi_image_free)> grey(
      stbi_load_from_memory(data, length, &width, &height, &channels, 1), stbi_image_free);
  if (!grey) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the image cannot be decoded (", stbi_failure_reason(), "); it may be damaged"));
  }
  GrayImage image;
  image.width = width;
  image.height = height;
  image.pixels.assign(grey.get(), grey.get() + pixels);
  return image;
}

}  // namespace lims::scanning
