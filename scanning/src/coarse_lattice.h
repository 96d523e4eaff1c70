// The wells' lattice found without knowing what the rack looks like: tube codes, tube bottoms
// and well holes repeat one pitch apart, so the picture's texture correlates with itself at the
// lattice's steps. Found on a reduced copy (any picture size, any pitch, any turn); precise
// enough to know where to look for each tube's code, which then fixes the lattice exactly.
// Internal to the rack reader.
#ifndef LIMS_SCANNING_COARSE_LATTICE_H_
#define LIMS_SCANNING_COARSE_LATTICE_H_

#include <cstddef>
#include <vector>

#include "absl/status/statusor.h"
#include "geometry.h"
#include "lims/scanning/image.h"

namespace lims::scanning {

struct LatticeNode {
  int i = 0, j = 0;
  Vec2 at;              // full-picture pixels
  double texture = 0;   // the picture's relative edge density there
};

struct CoarseLattice {
  Vec2 origin;           // node (0, 0), near the picture's centre
  Vec2 step_i, step_j;   // full-picture pixels, |step_i| <= |step_j|
  double pitch = 0;
  // Every node inside the picture, most textured first.
  std::vector<LatticeNode> nodes;
};

// InvalidArgument, saying what to do, when nothing in the picture repeats like rows of wells.
// `min_nodes`: the fewest nodes the picture can hold if the lattice is the wells' (the whole
// rack is in it); a lattice with fewer repeats every other well and is halved.
absl::StatusOr<CoarseLattice> FindCoarseLattice(const GrayImage& image, size_t min_nodes);

}  // namespace lims::scanning

#endif  // LIMS_SCANNING_COARSE_LATTICE_H_
