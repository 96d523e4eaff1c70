// Which lattice nodes are the rack's wells, and which of its corners is cut off (the A1 mark).
// The tubes' codes span most of the rack; where an edge row or column holds no readable tube,
// its holes (a region unlike the plate around it on every side) decide how far the rack goes,
// and nothing is guessed when they cannot. Internal to the rack reader.
#ifndef LIMS_SCANNING_RACK_FRAME_H_
#define LIMS_SCANNING_RACK_FRAME_H_

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "geometry.h"
#include "lims/scanning/image.h"

namespace lims::scanning {

// Wells (i, j) for i0 <= i < i0 + count_i, j0 <= j < j0 + count_j.
struct RackExtent {
  int i0 = 0, j0 = 0, count_i = 0, count_j = 0;
  int i1() const { return i0 + count_i - 1; }
  int j1() const { return j0 + count_j - 1; }
};

// The extent of a rows x columns rack (either way round) holding the nodes in `codes`.
// InvalidArgument, saying what to do, when the codes span more than the rack or the holes
// cannot tell where its edge is.
absl::StatusOr<RackExtent> FindExtent(const GrayImage& image, const LatticeMap& map,
                                      const std::vector<IndexedPoint>& codes, int rows,
                                      int columns);

// The lattice corner (i, j) whose plate corner is cut off, when exactly one of the corners
// that can be seen is.
std::optional<IndexedPoint> FindChamfer(const GrayImage& image, const LatticeMap& map,
                                        const RackExtent& extent);

// The grey level beyond the plate over the plate's (what an empty hole shows, seen through the
// rack), from walks outwards across the middle of each side; nullopt when no side shows it.
std::optional<double> BackgroundToPlate(const GrayImage& image, const LatticeMap& map,
                                        const RackExtent& extent);

// The plate around node (i, j), from the four points halfway to its diagonal neighbours
// (between wells on the plate), the middle two of each: its grey level (negative when a point
// is outside the picture) and its roughness (the sensor's noise on a flat surface).
struct PlateAround {
  double level = -1;
  double roughness = 0;
};
PlateAround PlateAt(const GrayImage& image, const LatticeMap& map, int i, int j);

// The plate's fine spread around node (i, j) (disc_stats.h), from the same four points: the
// sensor's noise as a flat surface shows it at that scale. Negative near the picture's edge.
double PlateFineSpread(const GrayImage& image, const LatticeMap& map, int i, int j);

}  // namespace lims::scanning

#endif  // LIMS_SCANNING_RACK_FRAME_H_
