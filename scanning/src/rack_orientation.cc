#include "rack_orientation.h"

#include <cmath>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "rack_labels.h"

namespace lims::scanning {
namespace {

// The lattice seen in the top-view layout (the bottom view mirrored left to right).
Vec2 TopView(Vec2 direction) { return {-direction.x, direction.y}; }


// From A1's lattice corner: its two sides into the rack; in the top view, turning the column
// direction a quarter clockwise gives the row direction.
Orientation FromCorner(const LatticeMap& map, const RackExtent& extent, int ci, int cj) {
  Orientation o;
  o.corner_i = ci;
  o.corner_j = cj;
  o.di = ci == extent.i0 ? 1 : -1;
  o.dj = cj == extent.j0 ? 1 : -1;
  const Vec2 along_i = TopView(o.di * map.StepI(ci, cj)), along_j = TopView(o.dj * map.StepJ(ci, cj));
  const Vec2 turned_i{-along_i.y, along_i.x};
  o.columns_along_i = Dot(turned_i, along_j) > 0;
  const Vec2 col = o.columns_along_i ? along_i : along_j;
  const double degrees = std::atan2(col.y, col.x) * 180 / kPi;
  o.rotation_degrees = static_cast<int>(std::lround(degrees / 90) * 90 + 360) % 360;
  return o;
}

const char* CornerName(A1Corner corner) {
  switch (corner) {
    case A1Corner::kTopLeft: return "top-left";
    case A1Corner::kTopRight: return "top-right";
    case A1Corner::kBottomLeft: return "bottom-left";
    case A1Corner::kBottomRight: return "bottom-right";
    case A1Corner::kUnknown: break;
  }
  return "unknown";
}

// The rack corner nearest the hinted corner of the picture as sent (the reader works on the
// bottom view, mirrored from a top-view picture).
IndexedPoint HintedCorner(const LatticeMap& map, const RackExtent& extent, A1Corner hint,
                          bool mirrored_here) {
  const bool top = hint == A1Corner::kTopLeft || hint == A1Corner::kTopRight;
  bool left = hint == A1Corner::kTopLeft || hint == A1Corner::kBottomLeft;
  if (mirrored_here) left = !left;
  IndexedPoint best;
  double best_score = 1e300;
  for (int ci : {extent.i0, extent.i1()}) {
    for (int cj : {extent.j0, extent.j1()}) {
      const Vec2 p = map.At(ci, cj);
      const double score = (left ? p.x : -p.x) + (top ? p.y : -p.y);
      if (score < best_score) best_score = score, best = {ci, cj, p};
    }
  }
  return best;
}

}  // namespace

absl::StatusOr<Orientation> FindA1(const GrayImage& bottom, const LatticeMap& map,
                                   const RackExtent& extent, const RackReadOptions& options,
                                   RackReading* reading) {
  const std::optional<IndexedPoint> chamfer = FindChamfer(bottom, map, extent);
  const std::optional<IndexedPoint> labelled = FindLabelledCorner(bottom, map, extent);
  std::optional<IndexedPoint> hinted;
  if (options.a1_corner != A1Corner::kUnknown) {
    hinted = HintedCorner(map, extent, options.a1_corner, !options.bottom_view);
  }
  auto same = [](const std::optional<IndexedPoint>& a, const std::optional<IndexedPoint>& b) {
    return !a || !b || (a->i == b->i && a->j == b->j);
  };
  if (!same(chamfer, labelled)) {
    return absl::InvalidArgumentError(
        "the rack's chamfered corner and its row and column labels put A1 at different corners: "
        "check the picture is of one whole rack, or say where A1 is in the picture (a1_corner)");
  }
  // The rack's own marks: the chamfer, else the labels.
  const std::optional<IndexedPoint> marked = chamfer ? chamfer : labelled;
  const std::string hint_name = CornerName(options.a1_corner);
  if (!same(marked, hinted)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a1_corner says A1 is at the ", hint_name, " of the picture, but the rack's ",
        chamfer ? "chamfered A1 corner is" : "row and column labels put it",
        " elsewhere: check how the rack sits in its holder, or leave a1_corner unset"));
  }
  if (marked) {
    reading->orientation_mark_seen = true;
    // Labels lead when seen: letters and digits next to a corner can make it look cut off.
    std::string how = labelled ? "row and column labels: A1 where the rack's row letters and "
                                 "column numbers meet"
                               : "orientation mark: A1 at the chamfered corner of the rack";
    if (chamfer && labelled) absl::StrAppend(&how, ", a corner that looks cut off too");
    if (hinted) absl::StrAppend(&how, ", where a1_corner puts it too");
    reading->a1_decided_by = how;
    return FromCorner(map, extent, marked->i, marked->j);
  }
  if (hinted) {
    reading->a1_decided_by = absl::StrCat("a1_corner: A1 at the ", hint_name,
                                          " of the picture as sent (no orientation mark seen)");
    return FromCorner(map, extent, hinted->i, hinted->j);
  }
  return absl::InvalidArgumentError(
      "cannot tell where A1 is: neither the rack's chamfered A1 corner nor its row and column "
      "labels can be seen in the picture; photograph the whole rack with its corners, or say "
      "where A1 is in the picture "
      "(a1_corner: top-left, top-right, bottom-left or bottom-right)");
}

}  // namespace lims::scanning
