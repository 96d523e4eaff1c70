// The scanning library on real pictures: zxing-cpp's blackbox photos and scans of DataMatrix,
// QR and Code 128 symbols (tests/data/barcodes, each with its expected text), pictures with no
// code at all, and hostile files: not an image, truncated, too many bytes, a decompression bomb.
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <png.h>
#include <zlib.h>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "lims/scanning/code_reader.h"
#include "lims/scanning/image.h"
#include "status_matchers.h"

namespace lims::scanning {
namespace {

namespace fs = std::filesystem;
constexpr absl::StatusCode kInvalid = absl::StatusCode::kInvalidArgument;
constexpr absl::StatusCode kExhausted = absl::StatusCode::kResourceExhausted;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

fs::path Samples() { return fs::path(LIMS_TEST_DATA_DIR) / "barcodes"; }

struct SetResult {
  int images = 0, read = 0, wrong = 0;
  std::string wrong_detail;
};

// Each picture of a set whose expected text is in NAME.txt: read (the expected text is among
// what was found) or not; wrong when something else was found and the expected text was not.
SetResult ReadSet(const std::string& set) {
  SetResult r;
  for (const auto& entry : fs::directory_iterator(Samples() / set)) {
    const fs::path image = entry.path();
    if (image.extension() != ".png" && image.extension() != ".jpg") continue;
    fs::path expected_file = image;
    expected_file.replace_extension(".txt");
    if (!fs::exists(expected_file)) continue;  // binary-content samples (.bin) are left out
    const std::string expected = ReadFile(expected_file);
    auto decoded = DecodeImage(ReadFile(image));
    EXPECT_TRUE(decoded.ok()) << image << ": " << decoded.status();
    if (!decoded.ok()) continue;
    ++r.images;
    bool found = false;
    std::string others;
    for (const FoundCode& code : ReadCodes(*decoded)) {
      if (code.text == expected) {
        found = true;
      } else {
        others += " \"" + code.text + "\"";
      }
    }
    if (found) {
      ++r.read;
    } else if (!others.empty()) {
      ++r.wrong;
      r.wrong_detail += absl::StrCat(image.filename().string(), ":", others, "; ");
    }
  }
  return r;
}

// Read rates measured with Debian's ZXing-cpp 1.4 when this test was written: a drop is a
// regression in how pictures reach the reader. Nothing is ever read as another text.
TEST(ReadCodes, RealPhotos_ReadAtLeastAsWellAsMeasuredAndNeverWrong) {
  const std::map<std::string, int> at_least = {
      {"datamatrix-1", 26}, {"datamatrix-2", 13}, {"datamatrix-3", 18}, {"datamatrix-4", 20},
      // datamatrix-5 (5 pictures) is not read by ZXing-cpp 1.4 at all.
      {"datamatrix-5", 0},  {"code128-1", 6},     {"code128-2", 12},    {"code128-3", 2},
      {"qrcode-1", 8},      {"qrcode-2", 42},
  };
  for (const auto& [set, minimum] : at_least) {
    const SetResult r = ReadSet(set);
    std::printf("%s: %d of %d read, %d wrong\n", set.c_str(), r.read, r.images, r.wrong);
    EXPECT_GT(r.images, 0) << set;
    EXPECT_GE(r.read, minimum) << set;
    EXPECT_EQ(r.wrong, 0) << set << ": " << r.wrong_detail;
  }
}

TEST(ReadCodes, PicturesWithoutCodes_NothingFound) {
  int pictures = 0;
  for (const auto& entry : fs::directory_iterator(Samples() / "falsepositives-1")) {
    const fs::path image = entry.path();
    if (image.extension() != ".png" && image.extension() != ".jpg") continue;
    auto decoded = DecodeImage(ReadFile(image));
    ASSERT_OK(decoded);
    ++pictures;
    EXPECT_TRUE(ReadCodes(*decoded).empty()) << image;
  }
  EXPECT_GT(pictures, 0);
}

TEST(ReadCodes, CornersSurroundTheSymbol) {
  auto decoded = DecodeImage(ReadFile(Samples() / "datamatrix-1" / "0123456789.png"));
  ASSERT_OK(decoded);
  const auto codes = ReadCodes(*decoded);
  ASSERT_EQ(codes.size(), 1u);
  EXPECT_EQ(codes[0].text, "0123456789");
  EXPECT_EQ(codes[0].format, CodeFormat::kDataMatrix);
  for (const Point& p : codes[0].corners) {
    EXPECT_GE(p.x, 0);
    EXPECT_GE(p.y, 0);
    EXPECT_LT(p.x, decoded->width);
    EXPECT_LT(p.y, decoded->height);
  }
  EXPECT_LT(codes[0].corners[0].x, codes[0].corners[1].x);  // top-left left of top-right
  EXPECT_LT(codes[0].corners[0].y, codes[0].corners[3].y);  // top-left above bottom-left
}

TEST(DecodeImage, NotAnImage_InvalidArgument) {
  EXPECT_STATUS(DecodeImage("%PDF-1.7 ..."), kInvalid, "not a PNG, JPEG or BMP");
  EXPECT_STATUS(DecodeImage(""), kInvalid, "not a PNG, JPEG or BMP");
  EXPECT_STATUS(DecodeImage(std::string("\x89PNG\r\n\x1a\n", 8) + "garbage"), kInvalid,
                "cannot be read");
}

TEST(DecodeImage, TruncatedFiles_InvalidArgument) {
  const std::string png = ReadFile(Samples() / "datamatrix-1" / "0123456789.png");
  ASSERT_OK(DecodeImage(png));
  EXPECT_STATUS(DecodeImage(png.substr(0, png.size() / 2)), kInvalid, "truncated");
  fs::path jpg;
  for (const auto& entry : fs::recursive_directory_iterator(Samples())) {
    if (entry.path().extension() == ".jpg") jpg = entry.path();
  }
  ASSERT_FALSE(jpg.empty());
  const std::string jpeg = ReadFile(jpg);
  ASSERT_OK(DecodeImage(jpeg));
  EXPECT_STATUS(DecodeImage(jpeg.substr(0, jpeg.size() * 2 / 3)), kInvalid, "truncated");
}

TEST(DecodeImage, TooManyBytes_ResourceExhausted) {
  const std::string png = ReadFile(Samples() / "datamatrix-1" / "0123456789.png");
  ImageLimits small;
  small.max_bytes = png.size() - 1;
  EXPECT_STATUS(DecodeImage(png, small), kExhausted, "at most");
}

// A grey picture written by libpng in another layout: each grey level v becomes v in every colour
// channel (16-bit: v * 257, palette: entry v), 1-bit pictures are thresholded at 128. `filters`:
// the row filters libpng may choose from; `tinted`: 8-bit colour channels v, 255 - v, v / 2.
std::string EncodePng(const GrayImage& grey, int color_type, int bit_depth, bool interlaced,
                      int filters = PNG_ALL_FILTERS, bool tinted = false) {
  std::string out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  png_set_write_fn(
      png, &out,
      [](png_structp p, png_bytep data, size_t n) {
        static_cast<std::string*>(png_get_io_ptr(p))->append(reinterpret_cast<char*>(data), n);
      },
      nullptr);
  png_set_IHDR(png, info, grey.width, grey.height, bit_depth, color_type,
               interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  std::vector<png_color> palette(256);
  for (int v = 0; v < 256; ++v) palette[v] = {static_cast<png_byte>(v), static_cast<png_byte>(v),
                                              static_cast<png_byte>(v)};
  if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_PLTE(png, info, palette.data(), 256);
  png_set_filter(png, PNG_FILTER_TYPE_BASE, filters);
  png_write_info(png, info);
  const int channels = png_get_channels(png, info);
  const int bytes = bit_depth / 8;
  std::vector<std::vector<png_byte>> rows(grey.height);
  std::vector<png_bytep> pointers;
  for (int y = 0; y < grey.height; ++y) {
    auto& row = rows[y];
    row.assign(png_get_rowbytes(png, info), 0);
    for (int x = 0; x < grey.width; ++x) {
      const png_byte v = grey.pixels[static_cast<size_t>(y) * grey.width + x];
      if (bit_depth == 1) {
        if (v >= 128) row[x / 8] |= static_cast<png_byte>(0x80 >> (x % 8));
        continue;
      }
      for (int c = 0; c < channels; ++c) {
        for (int b = 0; b < bytes; ++b) row[(x * channels + c) * bytes + b] = v;
        if (c == 3) row[(x * channels + c) * bytes] = 255;  // opaque
        if (tinted && c == 1) row[x * channels + c] = static_cast<png_byte>(255 - v);
        if (tinted && c == 2) row[x * channels + c] = static_cast<png_byte>(v / 2);
      }
    }
    pointers.push_back(row.data());
  }
  png_write_image(png, pointers.data());
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  return out;
}

TEST(DecodeImage, EveryPngLayoutGivesTheSameGreyLevels) {
  auto grey = DecodeImage(ReadFile(Samples() / "datamatrix-1" / "0123456789.png"));
  ASSERT_OK(grey);
  const struct {
    const char* name;
    int color_type, bit_depth;
    bool interlaced;
  } layouts[] = {
      {"grey", PNG_COLOR_TYPE_GRAY, 8, false},
      {"grey interlaced", PNG_COLOR_TYPE_GRAY, 8, true},
      {"grey 16-bit", PNG_COLOR_TYPE_GRAY, 16, false},
      {"RGB", PNG_COLOR_TYPE_RGB, 8, false},
      {"RGB interlaced", PNG_COLOR_TYPE_RGB, 8, true},
      {"RGBA 16-bit", PNG_COLOR_TYPE_RGB_ALPHA, 16, false},
      {"grey and alpha", PNG_COLOR_TYPE_GRAY_ALPHA, 8, false},
      {"palette", PNG_COLOR_TYPE_PALETTE, 8, false},
      {"1-bit", PNG_COLOR_TYPE_GRAY, 1, false},
  };
  for (const auto& layout : layouts) {
    SCOPED_TRACE(layout.name);
    auto decoded =
        DecodeImage(EncodePng(*grey, layout.color_type, layout.bit_depth, layout.interlaced));
    ASSERT_OK(decoded);
    ASSERT_EQ(decoded->width, grey->width);
    ASSERT_EQ(decoded->height, grey->height);
    std::vector<unsigned char> expected = grey->pixels;
    if (layout.bit_depth == 1) {
      for (auto& v : expected) v = v >= 128 ? 255 : 0;
    }
    EXPECT_TRUE(decoded->pixels == expected);
  }
}

// A PNG header that claims 100000 x 100000 pixels in a few dozen bytes: refused from the header,
// before any decompression.
TEST(DecodeImage, DecompressionBomb_RefusedBeforeDecoding) {
  std::string bomb("\x89PNG\r\n\x1a\n", 8);
  const unsigned char ihdr[] = {0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 1, 0x86, 0xA0,
                                0, 1, 0x86, 0xA0, 8, 0, 0, 0, 0, 0, 0, 0, 0};
  bomb.append(reinterpret_cast<const char*>(ihdr), sizeof ihdr);
  EXPECT_STATUS(DecodeImage(bomb), kExhausted, "100000 x 100000 pixels");
  ImageLimits tight;
  tight.max_pixels = 1000;
  const std::string png = ReadFile(Samples() / "datamatrix-1" / "0123456789.png");
  EXPECT_STATUS(DecodeImage(png, tight), kExhausted, "at most 1000 pixels");
}

// A PNG chunk: length, type, data, CRC.
std::string Chunk(const std::string& type, const std::string& data) {
  std::string out;
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>(data.size() >> shift));
  out += type + data;
  const uLong crc =
      crc32(crc32(0, nullptr, 0), reinterpret_cast<const Bytef*>((type + data).data()),
            static_cast<uInt>(type.size() + data.size()));
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(crc >> shift));
  return out;
}

std::string Deflated(const std::string& raw) {
  uLongf size = compressBound(raw.size());
  std::string packed(size, '\0');
  EXPECT_EQ(compress(reinterpret_cast<Bytef*>(packed.data()), &size,
                     reinterpret_cast<const Bytef*>(raw.data()), raw.size()),
            Z_OK);
  packed.resize(size);
  return packed;
}

// A valid 1 x 1 PNG whose pixel data inflates to 64 MiB: refused once the data runs on past the
// last row, instead of inflating all of it; 8-bit (decoded directly) and 16-bit (by libpng).
TEST(DecodeImage, PngWhoseDataOutgrowsItsHeader_ResourceExhausted) {
  const std::string packed = Deflated(std::string(64u << 20, '\0'));
  for (char depth : {'\x08', '\x10'}) {
    SCOPED_TRACE(absl::StrCat("bit depth ", static_cast<int>(depth)));
    const std::string ihdr = std::string("\0\0\0\1\0\0\0\1", 8) + depth + std::string(4, '\0');
    const std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + Chunk("IHDR", ihdr) +
                            Chunk("IDAT", packed) + Chunk("IEND", "");
    ASSERT_LT(png.size(), 1u << 20);
    EXPECT_STATUS(DecodeImage(png), kExhausted, "decompression bomb");
  }
}

// The usual layouts are decoded without libpng (libdeflate, then the rows' filters undone here):
// every filter type, grey and colour, with and without alpha, gives libpng's grey levels.
TEST(DecodeImage, EveryRowFilterGivesLibpngsGreyLevels) {
  auto grey = DecodeImage(ReadFile(Samples() / "datamatrix-1" / "0123456789.png"));
  ASSERT_OK(grey);
  const int filters[] = {PNG_FILTER_NONE, PNG_FILTER_SUB,   PNG_FILTER_UP,
                         PNG_FILTER_AVG,  PNG_FILTER_PAETH, PNG_ALL_FILTERS};
  for (int color_type : {PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA, PNG_COLOR_TYPE_RGB,
                         PNG_COLOR_TYPE_RGB_ALPHA}) {
    for (int filter : filters) {
      SCOPED_TRACE(absl::StrCat("colour type ", color_type, ", filters ", filter));
      auto decoded = DecodeImage(EncodePng(*grey, color_type, 8, false, filter));
      ASSERT_OK(decoded);
      EXPECT_TRUE(decoded->pixels == grey->pixels);
    }
  }
  // Colour channels that differ: weighted as libpng weighs them (an interlaced picture is still
  // decoded by libpng).
  for (int filter : filters) {
    SCOPED_TRACE(absl::StrCat("tinted, filters ", filter));
    auto direct = DecodeImage(EncodePng(*grey, PNG_COLOR_TYPE_RGB, 8, false, filter, true));
    auto by_libpng = DecodeImage(EncodePng(*grey, PNG_COLOR_TYPE_RGB, 8, true, filter, true));
    ASSERT_OK(direct);
    ASSERT_OK(by_libpng);
    ASSERT_EQ(direct->pixels.size(), by_libpng->pixels.size());
    int worst = 0;
    for (size_t k = 0; k < direct->pixels.size(); ++k) {
      worst = std::max(worst, std::abs(direct->pixels[k] - by_libpng->pixels[k]));
    }
    EXPECT_LE(worst, 1);
  }
}

// A 2 x 2 RGB picture from its chunks after the header.
std::string RgbPng(const std::string& chunks) {
  const std::string ihdr("\0\0\0\2\0\0\0\2\x08\x02\0\0\0", 13);
  return std::string("\x89PNG\r\n\x1a\n", 8) + Chunk("IHDR", ihdr) + chunks + Chunk("IEND", "");
}

// Forged files on the direct path: each refused with what is wrong, none read as a picture.
TEST(DecodeImage, ForgedPngs_RefusedWithWhatIsWrong) {
  // Two rows: filter byte, then two RGB pixels.
  const std::string rows = std::string("\0", 1) + "\x10\x20\x30\x40\x50\x60" +
                           std::string("\2", 1) + std::string(6, '\1');
  const std::string data = Deflated(rows);
  auto good = DecodeImage(RgbPng(Chunk("IDAT", data)));
  ASSERT_OK(good);
  EXPECT_EQ(good->pixels.size(), 4u);
  // The same data split over two IDAT chunks is the same picture.
  auto split =
      DecodeImage(RgbPng(Chunk("IDAT", data.substr(0, 5)) + Chunk("IDAT", data.substr(5))));
  ASSERT_OK(split);
  EXPECT_TRUE(split->pixels == good->pixels);

  std::string bad_crc = Chunk("IDAT", data);
  bad_crc.back() ^= 1;
  EXPECT_STATUS(DecodeImage(RgbPng(bad_crc)), kInvalid, "CRC");
  EXPECT_STATUS(DecodeImage(RgbPng(Chunk("IDAT", data.substr(0, 5)) + Chunk("tEXt", "a\0b") +
                                   Chunk("IDAT", data.substr(5)))),
                kInvalid, "split");
  std::string unknown_filter = rows;
  unknown_filter[7] = 9;
  EXPECT_STATUS(DecodeImage(RgbPng(Chunk("IDAT", Deflated(unknown_filter)))), kInvalid,
                "filter type");
  EXPECT_STATUS(DecodeImage(RgbPng(Chunk("IDAT", Deflated(rows.substr(0, 7))))), kInvalid,
                "ends early");
  EXPECT_STATUS(DecodeImage(RgbPng(Chunk("IDAT", rows))), kInvalid, "corrupt");
  EXPECT_STATUS(DecodeImage(RgbPng(Chunk("IDAT", Deflated(rows + std::string(1, '\0'))))),
                kExhausted, "decompression bomb");
  EXPECT_STATUS(DecodeImage(RgbPng("")), kInvalid, "no pixel data");
  EXPECT_STATUS(DecodeImage(RgbPng(Chunk("IDAT", data) + Chunk("ABCD", ""))), kInvalid,
                "unexpected ABCD");
}

}  // namespace
}  // namespace lims::scanning
