// Where A1 is among a rack's four corner wells, and how the rack lies: from the chamfered
// corner, else from the row and column labels, else from the caller's hint, never guessed.
// Internal to the rack reader.
#ifndef LIMS_SCANNING_RACK_ORIENTATION_H_
#define LIMS_SCANNING_RACK_ORIENTATION_H_

#include "absl/status/statusor.h"
#include "geometry.h"
#include "lims/scanning/image.h"
#include "lims/scanning/rack_reader.h"
#include "rack_frame.h"

namespace lims::scanning {

struct Orientation {
  int corner_i = 0, corner_j = 0;  // lattice indices of A1
  int di = 1, dj = 1;              // from A1 into the rack
  bool columns_along_i = true;     // column numbers grow along the lattice's i axis
  int rotation_degrees = 0;        // as RackReading::rotation_degrees
};

// A1 from the chamfer, the labels or options.a1_corner (`bottom` is the bottom view, mirrored from
// the picture when options.bottom_view is false); sets reading's orientation_mark_seen and
// a1_decided_by. InvalidArgument, saying what to do, when none tells, or two disagree.
absl::StatusOr<Orientation> FindA1(const GrayImage& bottom, const LatticeMap& map,
                                   const RackExtent& extent, const RackReadOptions& options,
                                   RackReading* reading);

}  // namespace lims::scanning

#endif  // LIMS_SCANNING_RACK_ORIENTATION_H_
