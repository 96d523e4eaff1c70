#include "lims/scanning/rack_reader.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "rack_grid.h"

// text() as UTF-8 (ZXing-cpp 1.4 otherwise answers std::wstring).
#define ZX_USE_UTF8 1
#include "ZXing/ReadBarcode.h"

namespace lims::scanning {
namespace {

constexpr double kPi = 3.14159265358979323846;
// A decoded symbol belongs to a well only if its centre is this close (in pitches).
constexpr double kMaxCodeOffset = 0.3;

// Codes are printed to be read from below, so they are decoded on the bottom view.
GrayImage Mirrored(const GrayImage& image) {
  GrayImage out{image.width, image.height, std::vector<uint8_t>(image.pixels.size())};
  for (int y = 0; y < image.height; ++y) {
    const uint8_t* in = &image.pixels[static_cast<size_t>(y) * image.width];
    uint8_t* row = &out.pixels[static_cast<size_t>(y) * image.width];
    std::reverse_copy(in, in + image.width, row);
  }
  return out;
}

// Mean grey level in a disc (pixels outside the picture ignored); -1 if none is inside.
double DiscMean(const GrayImage& image, Vec2 centre, double radius) {
  const int x0 = std::max(0, static_cast<int>(centre.x - radius));
  const int x1 = std::min(image.width - 1, static_cast<int>(centre.x + radius));
  const int y0 = std::max(0, static_cast<int>(centre.y - radius));
  const int y1 = std::min(image.height - 1, static_cast<int>(centre.y + radius));
  double sum = 0;
  int n = 0;
  for (int y = y0; y <= y1; ++y) {
    for (int x = x0; x <= x1; ++x) {
      if ((x - centre.x) * (x - centre.x) + (y - centre.y) * (y - centre.y) > radius * radius) continue;
      sum += image.pixels[static_cast<size_t>(y) * image.width + x];
      ++n;
    }
  }
  return n ? sum / n : -1;
}

// A well whose code was not decoded: an empty well is a hole clearly darker than the plate
// around it; anything else (a tube, frost, a smudge) is unreadable.
WellContent Undecoded(const GrayImage& image, const RackGrid& grid, Vec2 centre) {
  const double pitch = grid.Pitch();
  std::vector<double> plate;
  for (int du = -1; du <= 1; du += 2) {
    for (int dv = -1; dv <= 1; dv += 2) {
      const double m = DiscMean(image, centre + (0.5 * du) * grid.step_u + (0.5 * dv) * grid.step_v,
                                0.06 * pitch);
      if (m >= 0) plate.push_back(m);
    }
  }
  const double inside = DiscMean(image, centre, 0.3 * pitch);
  if (plate.size() < 3 || inside < 0) return WellContent::kUnreadable;
  std::sort(plate.begin(), plate.end());
  const double level = plate[plate.size() / 2];
  return inside < 0.6 * level ? WellContent::kEmpty : WellContent::kUnreadable;
}

// A crop enlarged twice (bilinear) and sharpened (unsharp mask): small, blurred modules that
// the reader's binarizer merges come apart.
std::vector<uint8_t> Enlarged(const ZXing::ImageView& crop) {
  const int w = crop.width() * 2, h = crop.height() * 2;
  std::vector<float> big(static_cast<size_t>(w) * h);
  auto at = [&](int x, int y) {
    x = std::clamp(x, 0, crop.width() - 1);
    y = std::clamp(y, 0, crop.height() - 1);
    return static_cast<float>(*crop.data(x, y));
  };
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const float fx = (x - 0.5f) / 2, fy = (y - 0.5f) / 2;
      const int x0 = static_cast<int>(std::floor(fx)), y0 = static_cast<int>(std::floor(fy));
      const float ax = fx - x0, ay = fy - y0;
      big[static_cast<size_t>(y) * w + x] =
          (1 - ay) * ((1 - ax) * at(x0, y0) + ax * at(x0 + 1, y0)) +
          ay * ((1 - ax) * at(x0, y0 + 1) + ax * at(x0 + 1, y0 + 1));
    }
  }
  std::vector<uint8_t> out(big.size());
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      float sum = 0;
      int n = 0;
      for (int dy = -2; dy <= 2; ++dy) {
        for (int dx = -2; dx <= 2; ++dx) {
          const int xx = std::clamp(x + dx, 0, w - 1), yy = std::clamp(y + dy, 0, h - 1);
          sum += big[static_cast<size_t>(yy) * w + xx];
          ++n;
        }
      }
      const float v = big[static_cast<size_t>(y) * w + x];
      out[static_cast<size_t>(y) * w + x] =
          static_cast<uint8_t>(std::clamp(v + 1.5f * (v - sum / n), 0.0f, 255.0f));
    }
  }
  return out;
}

// The well's own code: decoded from a crop a little larger than the well (a neighbour's code
// never fits in it whole), accepted only if the symbol sits at the well's centre and reads the
// right way round (`mirrored` is set when it reads mirrored). Harder
// attempts follow only when the plain one fails.
RackWell DecodeWell(const GrayImage& image, const RackGrid& grid, Vec2 centre, bool* mirrored) {
  const double pitch = grid.Pitch();
  const int half = static_cast<int>(std::ceil(0.55 * pitch));
  const int x0 = std::max(0, static_cast<int>(centre.x) - half);
  const int y0 = std::max(0, static_cast<int>(centre.y) - half);
  const int x1 = std::min(image.width, static_cast<int>(centre.x) + half);
  const int y1 = std::min(image.height, static_cast<int>(centre.y) + half);
  RackWell well;
  if (x1 - x0 < 8 || y1 - y0 < 8) return well;  // outside the picture: unreadable
  const ZXing::ImageView crop(&image.pixels[static_cast<size_t>(y0) * image.width + x0], x1 - x0,
                              y1 - y0, ZXing::ImageFormat::Lum, image.width);
  auto attempt = [&](const ZXing::ImageView& view, ZXing::Binarizer binarizer, double scale) {
    ZXing::DecodeHints hints;
    hints.setFormats(ZXing::BarcodeFormat::DataMatrix);
    hints.setTryHarder(true);
    hints.setBinarizer(binarizer);
    const ZXing::Result result = ZXing::ReadBarcode(view, hints);
    if (!result.isValid()) return false;
    Vec2 mid{0, 0};
    for (int i = 0; i < 4; ++i) {
      mid = mid + (0.25 / scale) * Vec2{double(result.position()[i].x), double(result.position()[i].y)};
    }
    const Vec2 offset = Vec2{mid.x + x0, mid.y + y0} - centre;
    if (std::hypot(offset.x, offset.y) > kMaxCodeOffset * pitch) return false;
    // Seen from below, a tube's code reads the right way round; mirrored, the picture (or this
    // one label) is the wrong way round, and its wells would be too.
    if (result.isMirrored()) {
      *mirrored = true;
      well.content = WellContent::kUnreadable;
      return true;
    }
    well.content = WellContent::kCode;
    well.text = result.text();
    return true;
  };
  if (attempt(crop, ZXing::Binarizer::LocalAverage, 1)) return well;
  if (attempt(crop, ZXing::Binarizer::GlobalHistogram, 1)) return well;
  const std::vector<uint8_t> big = Enlarged(crop);
  const ZXing::ImageView enlarged(big.data(), crop.width() * 2, crop.height() * 2,
                                  ZXing::ImageFormat::Lum);
  if (attempt(enlarged, ZXing::Binarizer::LocalAverage, 2)) return well;
  if (attempt(enlarged, ZXing::Binarizer::GlobalHistogram, 2)) return well;
  well.content = Undecoded(image, grid, centre);
  return well;
}

// The lattice seen in the top-view layout (the bottom view mirrored left to right).
Vec2 TopView(Vec2 direction) { return {-direction.x, direction.y}; }

struct Orientation {
  int corner_i = 0, corner_j = 0;  // lattice indices of A1
  bool columns_along_u = true;     // column numbers grow along the lattice's u axis
  int rotation_degrees = 0;
};

// From A1's lattice corner: its two sides into the rack; in the top view, turning the column
// direction a quarter clockwise gives the row direction.
Orientation FromCorner(const RackGrid& grid, int ci, int cj) {
  const int di = ci == 0 ? 1 : -1, dj = cj == 0 ? 1 : -1;
  const Vec2 along_u = TopView(di * grid.step_u), along_v = TopView(dj * grid.step_v);
  const Vec2 turned_u{-along_u.y, along_u.x};
  Orientation o;
  o.corner_i = ci;
  o.corner_j = cj;
  o.columns_along_u = Dot(turned_u, along_v) > 0;
  const Vec2 col = o.columns_along_u ? along_u : along_v;
  const double degrees = std::atan2(col.y, col.x) * 180 / kPi;
  o.rotation_degrees = static_cast<int>(std::lround(degrees / 90) * 90 + 360) % 360;
  return o;
}

absl::StatusOr<Orientation> FindOrientation(const RackGrid& grid,
                                            const RackReadOptions& options, std::string* how) {
  if (grid.chamfer_seen) {
    const Orientation o = FromCorner(grid, grid.chamfer_i, grid.chamfer_j);
    *how = "orientation mark: A1 at the chamfered corner of the rack";
    return o;
  }
  // As presented: the corner from which columns run rightwards and rows downwards.
  for (int ci : {0, grid.count_u - 1}) {
    for (int cj : {0, grid.count_v - 1}) {
      const Orientation o = FromCorner(grid, ci, cj);
      if (o.rotation_degrees != 0) continue;
      const int along_columns = o.columns_along_u ? grid.count_u : grid.count_v;
      const Vec2 col = TopView(o.columns_along_u ? grid.step_u : grid.step_v);
      const double tilt = std::abs(std::atan2(col.y, std::abs(col.x)) * 180 / kPi);
      if (along_columns != options.columns || tilt > 30) continue;
      *how = "layout: no orientation mark seen; A1 taken at the top-left, as presented";
      return o;
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "cannot tell where A1 is: the rack lies across the picture (turned a quarter) and its "
      "chamfered A1 corner cannot be seen; present the picture with A1 at the top-left"));
}

}  // namespace

absl::StatusOr<RackReading> ReadRack(const GrayImage& image, const RackReadOptions& options) {
  if (options.rows < 1 || options.columns < 1) {
    return absl::InvalidArgumentError("rows and columns must be at least 1");
  }
  const GrayImage bottom = options.bottom_view ? image : Mirrored(image);
  auto grid = FindRackGrid(bottom, options.rows, options.columns);
  if (!grid.ok()) return grid.status();
  RackReading reading;
  auto orientation = FindOrientation(*grid, options, &reading.a1_decided_by);
  if (!orientation.ok()) return orientation.status();
  const int along_columns = orientation->columns_along_u ? grid->count_u : grid->count_v;
  if (along_columns != options.columns) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the rack's A1 corner puts ", along_columns, " wells in a row, but the layout has ",
        options.columns, " columns: check rows and columns, and whether the picture is the "
        "camera's raw view from below (then set mirrored)"));
  }
  reading.rotation_degrees = orientation->rotation_degrees;
  reading.orientation_mark_seen = grid->chamfer_seen;
  const int di = orientation->corner_i == 0 ? 1 : -1, dj = orientation->corner_j == 0 ? 1 : -1;
  reading.wells.reserve(static_cast<size_t>(options.rows) * options.columns);
  int decoded = 0, mirrored = 0;
  for (int row = 0; row < options.rows; ++row) {
    for (int column = 0; column < options.columns; ++column) {
      const int i = orientation->corner_i + di * (orientation->columns_along_u ? column : row);
      const int j = orientation->corner_j + dj * (orientation->columns_along_u ? row : column);
      bool reversed = false;
      reading.wells.push_back(DecodeWell(bottom, *grid, grid->Well(i, j), &reversed));
      mirrored += reversed;
      decoded += reading.wells.back().content == WellContent::kCode;
    }
  }
  if (mirrored > decoded) {
    return absl::InvalidArgumentError(absl::StrCat(
        mirrored, " tube codes read mirrored and ", decoded, " the right way round: the picture ",
        options.bottom_view ? "is in the top-view layout (unset mirrored)"
                            : "is the camera's raw view from below (set mirrored)"));
  }
  return reading;
}

}  // namespace lims::scanning
