// Where the wells of a rack are in a picture taken from below: the plate found as the largest
// region brighter than the background, its outline fitted with the smallest enclosing
// rectangle, and the wells' pitch fitted along each side (wells are centred on the plate, the
// plate between them is flat). Internal to the rack reader.
#ifndef LIMS_SCANNING_RACK_GRID_H_
#define LIMS_SCANNING_RACK_GRID_H_

#include "absl/status/statusor.h"
#include "lims/scanning/image.h"

namespace lims::scanning {

struct Vec2 {
  double x = 0, y = 0;
};
inline Vec2 operator+(Vec2 a, Vec2 b) { return {a.x + b.x, a.y + b.y}; }
inline Vec2 operator-(Vec2 a, Vec2 b) { return {a.x - b.x, a.y - b.y}; }
inline Vec2 operator*(double k, Vec2 a) { return {k * a.x, k * a.y}; }
inline double Dot(Vec2 a, Vec2 b) { return a.x * b.x + a.y * b.y; }

// Wells at first + i * step_u + j * step_v for 0 <= i < count_u, 0 <= j < count_v.
struct RackGrid {
  Vec2 first;
  Vec2 step_u, step_v;
  int count_u = 0, count_v = 0;
  // The lattice corner (i, j) whose plate corner is cut off (the A1 mark), if exactly one is.
  bool chamfer_seen = false;
  int chamfer_i = 0, chamfer_j = 0;

  Vec2 Well(int i, int j) const { return first + i * step_u + j * step_v; }
  double Pitch() const;
};

// `rows` x `columns` wells, in either direction of the picture. InvalidArgument when no plate
// stands out or no such grid fits it.
absl::StatusOr<RackGrid> FindRackGrid(const GrayImage& image, int rows, int columns);

}  // namespace lims::scanning

#endif  // LIMS_SCANNING_RACK_GRID_H_
