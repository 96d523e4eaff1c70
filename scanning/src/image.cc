#include "lims/scanning/image.h"

#include <png.h>
#include <stb_image.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "png_direct.h"

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

// libpng reads the file from memory. Once the image's last row is being read, libpng inflates
// whatever compressed data is left: a PNG encoder ends its stream right there, so more than the
// last row and libpng's 8 KiB read-ahead is data the header does not account for.
struct PngSource {
  std::string_view file;
  size_t at = 0;
  size_t last_row_limit = 0;  // 0 until the last row is being read
  bool outgrown = false;
  std::string error;
};

void ReadPngBytes(png_structp png, png_bytep out, size_t count) {
  auto* source = static_cast<PngSource*>(png_get_io_ptr(png));
  if (count > source->file.size() - source->at) png_error(png, "the file ends early");
  if (source->last_row_limit != 0 && source->at + count > source->last_row_limit) {
    source->outgrown = true;
    png_error(png, "more pixel data than the header says");
  }
  std::memcpy(out, source->file.data() + source->at, count);
  source->at += count;
}

[[noreturn]] void OnPngError(png_structp png, png_const_charp message) {
  static_cast<PngSource*>(png_get_error_ptr(png))->error = message;
  png_longjmp(png, 1);
}

void OnPngWarning(png_structp, png_const_charp) {}

struct PngReader {
  png_structp png = nullptr;
  png_infop info = nullptr;
  ~PngReader() {
    if (png != nullptr) png_destroy_read_struct(&png, info != nullptr ? &info : nullptr, nullptr);
  }
};

// Grey levels, 8 bits, whatever the PNG's colour type, depth and interlacing. libpng reports
// errors by longjmp, so nothing here owns memory across the jump: the rows live in the caller's
// image.
bool ReadPngGrey(png_structp png, png_infop info, PngSource* source, GrayImage* image) {
  if (setjmp(png_jmpbuf(png))) return false;
  // The data's own CRCs are checked; zlib's Adler-32 over the same bytes is skipped (a twentieth
  // of a large picture's time).
  png_set_option(png, PNG_IGNORE_ADLER32, PNG_OPTION_ON);
  png_read_info(png, info);
  const int color = png_get_color_type(png, info);
  png_set_expand(png);  // palette to RGB, grey under 8 bits to 8 bits
  png_set_strip_16(png);
  png_set_strip_alpha(png);
  if (color & PNG_COLOR_MASK_COLOR) png_set_rgb_to_gray_fixed(png, PNG_ERROR_ACTION_NONE, -1, -1);
  const int passes = png_set_interlace_handling(png);
  png_read_update_info(png, info);
  image->width = static_cast<int>(png_get_image_width(png, info));
  image->height = static_cast<int>(png_get_image_height(png, info));
  if (png_get_rowbytes(png, info) != static_cast<size_t>(image->width)) {
    png_error(png, "unexpected pixel layout");
  }
  image->pixels.resize(static_cast<size_t>(image->width) * image->height);
  for (int pass = 0; pass < passes; ++pass) {
    for (int y = 0; y < image->height; ++y) {
      if (pass == passes - 1 && y == image->height - 1) {
        // A 16-bit RGBA row stored uncompressed, and libpng's 8 KiB read-ahead twice over.
        source->last_row_limit = source->at + 8 * static_cast<size_t>(image->width) + 16 * 1024;
      }
      png_read_row(png, image->pixels.data() + static_cast<size_t>(y) * image->width, nullptr);
    }
  }
  return true;
}

// PNG through libpng, in grey levels: several times faster than stb_image's own inflater on a
// rack scanner's 10-megapixel pictures. The pixel data is inflated once, row by row, and only
// as far as the header's size: a small file whose data inflates to gigabytes costs no more than
// its header says (checked against the limits before).
absl::StatusOr<GrayImage> DecodePng(std::string_view file) {
  PngSource source;
  source.file = file;
  PngReader reader;
  reader.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &source, OnPngError, OnPngWarning);
  if (reader.png != nullptr) reader.info = png_create_info_struct(reader.png);
  if (reader.info == nullptr) return absl::ResourceExhaustedError("no memory to decode the image");
  png_set_read_fn(reader.png, &source, ReadPngBytes);
  GrayImage image;
  if (ReadPngGrey(reader.png, reader.info, &source, &image)) return image;
  if (source.outgrown) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "the PNG's pixel data holds more than its ", image.width, " x ", image.height,
        " header allows (a decompression bomb?); refused"));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "the image cannot be decoded (", source.error, "); it may be truncated or damaged"));
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
  if (*kind == Kind::kPng) return DecodesDirectly(file) ? DecodePngDirect(file) : DecodePng(file);
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
