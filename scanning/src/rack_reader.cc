#include "lims/scanning/rack_reader.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "coarse_lattice.h"
#include "disc_stats.h"
#include "geometry.h"
#include "rack_codes.h"
#include "rack_frame.h"
#include "rack_orientation.h"
#include "well_decoder.h"
#include "well_look.h"

namespace lims::scanning {
namespace {

// Codes are printed to be read from below, so they are decoded on the bottom view: a top-view
// picture is mirrored, in place.
void Mirror(GrayImage& image) {
  for (int y = 0; y < image.height; ++y) {
    uint8_t* row = &image.pixels[static_cast<size_t>(y) * image.width];
    std::reverse(row, row + image.width);
  }
}

// Pass one: the most textured nodes (tubes' codes), each decoded once with the attempt that
// has worked so far; the first few try every attempt to learn which one this picture needs.
// The same code read again from an overlapping crop (two tubes with one code are two codes).
bool AlreadyRead(const std::vector<Code>& codes, const DecodedSymbol& symbol, double pitch) {
  return std::any_of(codes.begin(), codes.end(), [&](const Code& c) {
    return c.symbol.text == symbol.text && Length(c.symbol.centre - symbol.centre) < 0.3 * pitch;
  });
}

std::vector<Code> DecodeTexturedNodes(WellDecoder& decoder, const CoarseLattice& lattice,
                                      size_t wells, Vec2 shift) {
  std::vector<Code> codes;
  if (lattice.nodes.empty()) return codes;
  const double reference = lattice.nodes[lattice.nodes.size() / 10].texture;
  const bool shifted = shift.x != 0 || shift.y != 0;
  for (size_t k = 0; k < lattice.nodes.size() && k < 3 * wells; ++k) {
    const LatticeNode& node = lattice.nodes[k];
    if (!shifted && node.texture < 0.3 * reference) break;
    const Vec2 at = node.at + shift.x * lattice.step_i + shift.y * lattice.step_j;
    // Every attempt until enough codes are in hand to learn which ones this picture needs.
    auto symbol = decoder.Decode(at, 0.6, k < 12 || (k < 48 && codes.size() < 24));
    if (!symbol) continue;
    if (!AlreadyRead(codes, *symbol, lattice.pitch)) {
      Code code;
      code.symbol = std::move(*symbol);
      codes.push_back(std::move(code));
    }
  }
  return codes;
}

using Node = std::pair<int, int>;

// Decoding on the fitted lattice: where the decoder, which codes are read already, and how
// smooth a well is that holds no code (far smoother than the codes read: a hole, frost).
struct LatticeDecoding {
  WellDecoder& decoder;
  const LatticeMap& map;
  std::set<std::string>& texts;
  double smooth_sd = 0;
};

// The grey-level spread at the centre of the codes read: what a well with a code shows.
double CodeSpread(const GrayImage& image, const std::vector<Code>& codes, double pitch) {
  std::vector<double> sds;
  for (const Code& c : codes) sds.push_back(Disc(image, c.symbol.centre, 0.2 * pitch).sd);
  std::nth_element(sds.begin(), sds.begin() + sds.size() / 2, sds.end());
  return sds.empty() ? 0 : sds[sds.size() / 2];
}

// Pass two: the code decoded at node (i, j) when it is centred on that node and not already
// read elsewhere (`texts`, which it joins). A smooth well is not tried: no code is there.
std::optional<DecodedSymbol> DecodeAtNode(LatticeDecoding& d, int i, int j) {
  const LatticeMap& map = d.map;
  if (Disc(d.decoder.image(), map.At(i, j), 0.2 * map.PitchAt(i, j)).sd < d.smooth_sd) {
    return std::nullopt;
  }
  std::set<std::string>& texts = d.texts;
  auto symbol = d.decoder.Decode(map.At(i, j), 0.55, true);
  if (!symbol || Length(symbol->centre - map.At(i, j)) > kMaxCodeOffset * map.PitchAt(i, j) ||
      !texts.insert(symbol->text).second) {
    return std::nullopt;
  }
  return symbol;
}

// When the codes read so far span fewer wells than the rack (tubes missed in pass one, or an
// edge row without tubes), every node the rack could still reach is decoded on the fitted
// lattice, so that its extent rests on codes wherever there are any. `tried` records them.
void WidenToRack(LatticeDecoding& decoding, int rows, int columns, std::vector<Code>& codes,
                 std::set<Node>& tried) {
  int imin = 1 << 20, imax = -(1 << 20), jmin = imin, jmax = imax;
  std::set<Node> taken;
  for (const Code& c : codes) {
    if (!c.assigned) continue;
    imin = std::min(imin, c.i), imax = std::max(imax, c.i);
    jmin = std::min(jmin, c.j), jmax = std::max(jmax, c.j);
    taken.insert({c.i, c.j});
  }
  // How much further each axis may reach, over the layouts (either way round) the span fits.
  int reach_i = -1, reach_j = -1;
  for (auto [ni, nj] : {std::pair{columns, rows}, std::pair{rows, columns}}) {
    if (imax - imin + 1 > ni || jmax - jmin + 1 > nj) continue;
    reach_i = std::max(reach_i, ni - (imax - imin + 1));
    reach_j = std::max(reach_j, nj - (jmax - jmin + 1));
  }
  if (reach_i <= 0 && reach_j <= 0) return;  // complete, or more than the rack (refused later)
  for (int i = imin - reach_i; i <= imax + reach_i; ++i) {
    for (int j = jmin - reach_j; j <= jmax + reach_j; ++j) {
      if (taken.count({i, j}) || !tried.insert({i, j}).second) continue;
      if (auto symbol = DecodeAtNode(decoding, i, j)) {
        Code code;
        code.symbol = std::move(*symbol);
        code.i = i, code.j = j, code.assigned = true;
        codes.push_back(std::move(code));
      }
    }
  }
}

// The rack in `bottom`, the picture as sent seen from below (mirrored when it was sent in the
// top-view layout).
absl::StatusOr<RackReading> ReadBottomView(const GrayImage& bottom,
                                           const RackReadOptions& options) {
  if (options.rows < 1 || options.columns < 1 || options.rows > 64 || options.columns > 64) {
    return absl::InvalidArgumentError("rows and columns must be between 1 and 64");
  }
  // However the lattice's phase falls, at least (rows - 1) x (columns - 1) of its nodes lie on
  // a rack's wells.
  auto lattice = FindCoarseLattice(
      bottom, static_cast<size_t>(options.rows - 1) * static_cast<size_t>(options.columns - 1));
  if (!lattice.ok()) return lattice.status();
  const size_t wells = static_cast<size_t>(options.rows) * options.columns;
  WellDecoder decoder(bottom, lattice->pitch);
  // A rack of holes with few tubes can put the lattice's phase between wells (the holes' rims
  // are its texture): then the nodes are tried half a step off.
  std::vector<Code> codes;
  for (Vec2 shift : {Vec2{0, 0}, Vec2{0.5, 0}, Vec2{0, 0.5}, Vec2{0.5, 0.5}}) {
    codes = DecodeTexturedNodes(decoder, *lattice, wells, shift);
    if (codes.size() >= 3) break;
  }
  // Few codes, read well off the nodes they were found from: the nodes lie between wells, and
  // a crop caught a code only where it reached one. The nodes are tried again moved onto them.
  if (codes.size() < std::max<size_t>(6, wells / 8)) {
    const std::optional<Vec2> phase = CodesPhase(*lattice, codes, 0.7);
    if (phase && std::max(std::abs(phase->x), std::abs(phase->y)) > 0.2) {
      for (Code& code : DecodeTexturedNodes(decoder, *lattice, wells, *phase)) {
        if (!AlreadyRead(codes, code.symbol, lattice->pitch)) codes.push_back(std::move(code));
      }
    }
  }
  if (codes.size() < 3) {
    return absl::InvalidArgumentError(absl::StrCat(
        "only ", codes.size(), " tube code", codes.size() == 1 ? " was" : "s were",
        " read, too few to lay the wells over the picture: check focus and light, and that the "
        "picture shows the tubes' bottoms"));
  }
  StepsFromCodes(*lattice, codes);
  ScaleStepsToCodes(*lattice, codes);
  // Wells are as far apart across as down: a lattice twice as long one way is likely every
  // other row or column (the texture repeating at two pitches). The nodes halfway along the
  // long step are decoded too; the codes found there show whether to halve it.
  bool probed = false;
  const double aspect = Length(lattice->step_i) / Length(lattice->step_j);
  for (int axis = 0; axis < 2; ++axis) {
    const double longer = axis == 0 ? aspect : 1 / aspect;
    if (longer < 1.7 || longer > 2.3) continue;
    const Vec2 halfway = axis == 0 ? Vec2{0.5, 0} : Vec2{0, 0.5};
    for (Code& code : DecodeTexturedNodes(decoder, *lattice, wells, halfway)) {
      if (AlreadyRead(codes, code.symbol, lattice->pitch)) continue;
      codes.push_back(std::move(code));
      probed = true;
    }
  }
  if (probed) StepsFromCodes(*lattice, codes);
  LatticeMap map = FitToCodes(*lattice, codes);
  AssignCodes(map, codes);
  auto placed_codes = [&codes] {
    std::vector<IndexedPoint> placed;
    for (const Code& c : codes) {
      if (c.assigned) placed.push_back({c.i, c.j, c.symbol.centre});
    }
    return placed;
  };
  std::vector<IndexedPoint> placed = placed_codes();
  if (placed.size() < 3 || placed.size() * 4 < codes.size() * 3) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the codes read do not lie on one grid of wells (", placed.size(), " of ", codes.size(),
        " fit): photograph the rack square to the camera, the whole rack in the picture"));
  }
  if (auto refit = LatticeMap::Fit(placed)) map = *refit;
  std::set<std::string> texts;
  for (const Code& c : codes) {
    if (c.assigned) texts.insert(c.symbol.text);
  }
  std::set<Node> tried;
  LatticeDecoding decoding{decoder, map, texts, 0.15 * CodeSpread(bottom, codes, lattice->pitch)};
  WidenToRack(decoding, options.rows, options.columns, codes, tried);
  placed = placed_codes();
  if (auto refit = LatticeMap::Fit(placed)) map = *refit;
  // Wells are as far apart across as down (racks and boxes alike): a lattice whose two steps
  // differ was fitted to codes placed in the wrong wells, and nothing it places can be trusted
  // (a square box would not even show it in its row length).
  double mid_i = 0, mid_j = 0;
  for (const IndexedPoint& p : placed) mid_i += p.i, mid_j += p.j;
  mid_i /= placed.size(), mid_j /= placed.size();
  const double steps = Length(map.StepI(mid_i, mid_j)) / Length(map.StepJ(mid_i, mid_j));
  if (steps > 1.15 || steps < 1 / 1.15) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the codes read do not lie on one grid of wells (the wells would be ",
        static_cast<int>(std::lround(100 * std::max(steps, 1 / steps) - 100)),
        "% further apart one way than the other): photograph the rack square to the camera, "
        "the whole rack in the picture"));
  }

  auto extent = FindExtent(bottom, map, placed, options.rows, options.columns);
  if (!extent.ok()) return extent.status();
  RackReading reading;
  auto orientation = FindA1(bottom, map, *extent, options, &reading);
  if (!orientation.ok()) return orientation.status();
  const int along_columns = orientation->columns_along_i ? extent->count_i : extent->count_j;
  if (along_columns != options.columns) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the rack's A1 corner puts ", along_columns, " wells in a row, but the layout has ",
        options.columns, " columns: check rows and columns, and whether the picture is the "
        "camera's raw view from below (then set mirrored)"));
  }
  reading.rotation_degrees = orientation->rotation_degrees;
  reading.pitch_px = map.PitchAt((extent->i0 + extent->i1()) / 2.0, (extent->j0 + extent->j1()) / 2.0);

  std::map<Node, const Code*> at_node;
  for (const Code& c : codes) {
    if (c.assigned) at_node[{c.i, c.j}] = &c;
  }
  std::vector<ReadTube> tubes;
  std::vector<IndexedPoint> undecoded;
  std::vector<size_t> undecoded_wells;
  int decoded = 0, mirrored = 0;
  reading.wells.reserve(wells);
  for (int row = 0; row < options.rows; ++row) {
    for (int column = 0; column < options.columns; ++column) {
      const int along_i = orientation->columns_along_i ? column : row;
      const int along_j = orientation->columns_along_i ? row : column;
      const int i = orientation->corner_i + orientation->di * along_i;
      const int j = orientation->corner_j + orientation->dj * along_j;
      std::optional<DecodedSymbol> symbol;
      if (auto it = at_node.find({i, j}); it != at_node.end()) {
        symbol = it->second->symbol;
      } else if (tried.insert({i, j}).second) {
        symbol = DecodeAtNode(decoding, i, j);
      }
      RackWell well;
      if (symbol && symbol->mirrored) {
        ++mirrored;
      } else if (symbol) {
        ++decoded;
        well.content = WellContent::kCode;
        well.text = symbol->text;
        tubes.push_back({i, j, symbol->inverted});
      } else {
        undecoded.push_back({i, j, map.At(i, j)});
        undecoded_wells.push_back(reading.wells.size());
      }
      reading.wells.push_back(std::move(well));
    }
  }
  const WellLooks looks(bottom, map, tubes, BackgroundToPlate(bottom, map, *extent));
  const std::vector<WellContent> contents = looks.Undecoded(undecoded);
  for (size_t k = 0; k < undecoded.size(); ++k) reading.wells[undecoded_wells[k]].content = contents[k];
  if (mirrored > decoded) {
    return absl::InvalidArgumentError(absl::StrCat(
        mirrored, " tube codes read mirrored and ", decoded, " the right way round: the picture ",
        options.bottom_view ? "is in the top-view layout (unset mirrored)"
                            : "is the camera's raw view from below (set mirrored)"));
  }
  for (const Code& c : codes) {
    if (c.assigned) continue;
    // Back to the picture as sent.
    const double x = options.bottom_view ? c.symbol.centre.x : bottom.width - 1 - c.symbol.centre.x;
    reading.unassigned.push_back({c.symbol.text, static_cast<int>(std::lround(x)),
                                  static_cast<int>(std::lround(c.symbol.centre.y)), c.reason});
  }
  return reading;
}

}  // namespace

absl::StatusOr<RackReading> ReadRack(const GrayImage& image, const RackReadOptions& options) {
  if (options.bottom_view) return ReadBottomView(image, options);
  GrayImage bottom = image;
  Mirror(bottom);
  return ReadBottomView(bottom, options);
}

absl::StatusOr<RackReading> ReadRack(GrayImage&& image, const RackReadOptions& options) {
  if (!options.bottom_view) Mirror(image);
  return ReadBottomView(image, options);
}

}  // namespace lims::scanning
