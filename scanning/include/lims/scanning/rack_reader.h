// A whole rack or box of 2D-coded tubes seen from below, read into wells: the rack is found in
// the picture, its grid of wells laid over it, each well's code decoded on its own and each
// empty well told from a tube whose code cannot be read.
//
// What the picture must show: the rack plate standing out from a darker background (the
// scanner's lid), its wells in rows x columns centred on the plate, an empty well darker than
// the plate, a tube's bottom a disc with its DataMatrix. The rack may lie at any angle; its A1
// corner is found from the chamfered corner of the plate when one can be seen, otherwise the
// picture is taken as presented (A1 at the top-left).
#ifndef LIMS_SCANNING_RACK_READER_H_
#define LIMS_SCANNING_RACK_READER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lims/scanning/image.h"

namespace lims::scanning {

struct RackReadOptions {
  int rows = 8;
  int columns = 12;
  // false: the rack's top-view layout, as rack-scanner software presents it (the codes appear
  // mirrored); true: the camera's raw picture from below.
  bool bottom_view = false;
};

enum class WellContent { kCode, kEmpty, kUnreadable };

struct RackWell {
  WellContent content = WellContent::kUnreadable;
  std::string text;  // the decoded code, kCode only
};

struct RackReading {
  std::vector<RackWell> wells;  // rows * columns, row-major from A1
  // How the rack lies in the picture (top-view layout): 0 with A1 at the top-left, 90 with A1
  // at the top-right (turned clockwise), 180, 270.
  int rotation_degrees = 0;
  bool orientation_mark_seen = false;
  std::string a1_decided_by;  // for people: how the A1 corner was found
};

// InvalidArgument, saying what to do, when no rack stands out in the picture, its wells do not
// form a rows x columns grid, or the A1 corner cannot be told (a rotated non-square rack whose
// chamfered corner cannot be seen). A well is kCode only when its code was decoded whole, at the
// well's centre; when in doubt it is kUnreadable.
absl::StatusOr<RackReading> ReadRack(const GrayImage& image, const RackReadOptions& options);

}  // namespace lims::scanning

#endif  // LIMS_SCANNING_RACK_READER_H_
