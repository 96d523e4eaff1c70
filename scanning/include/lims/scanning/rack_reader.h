// A whole rack or box of 2D-coded tubes seen from below, read into wells. Nothing is assumed of
// the picture's size, the wells' pitch or the rack's look: the wells' lattice is found from the
// picture's own repetition, the tubes' codes are decoded where it puts wells, the lattice is
// then fitted exactly to the codes' centres (any turn, skew or slight perspective), the rack's
// edges are told from its holes, and every remaining well is decoded on its own crop.
//
// Where A1 is: the rack's chamfered corner when it can be seen; else the corner where the row
// letters and column numbers printed beside the wells meet; else the caller's hint
// (`a1_corner`, for holders whose orientation is fixed). Never a guess: without any of them,
// or when two of them disagree, the picture is refused, saying what to do.
//
// Never a code in the wrong well: a code is given to a well only when its centre lies within
// 0.3 pitches of that well's centre on a lattice that the other codes agree with; a code that
// fits no well is reported as unassigned, and a code read in two wells leaves both unreadable.
#ifndef LIMS_SCANNING_RACK_READER_H_
#define LIMS_SCANNING_RACK_READER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lims/scanning/image.h"

namespace lims::scanning {

// Where the A1 well lies in the picture as it is sent.
enum class A1Corner { kUnknown, kTopLeft, kTopRight, kBottomLeft, kBottomRight };

struct RackReadOptions {
  int rows = 8;
  int columns = 12;
  // false: the rack's top-view layout, as rack-scanner software presents it (the codes appear
  // mirrored); true: the camera's raw picture from below.
  bool bottom_view = false;
  A1Corner a1_corner = A1Corner::kUnknown;
};

enum class WellContent { kCode, kEmpty, kUnreadable };

struct RackWell {
  WellContent content = WellContent::kUnreadable;
  std::string text;  // the decoded code, kCode only
};

// A code decoded in the picture but given to no well.
struct UnassignedCode {
  std::string text;
  int x = 0, y = 0;    // its centre, in the picture as sent
  std::string reason;  // for people
};

struct RackReading {
  std::vector<RackWell> wells;  // rows * columns, row-major from A1
  // How the rack lies in the picture (top-view layout): 0 with A1 at the top-left, 90 with A1
  // at the top-right (turned clockwise), 180, 270.
  int rotation_degrees = 0;
  bool orientation_mark_seen = false;
  std::string a1_decided_by;  // for people: how the A1 corner was found
  std::vector<UnassignedCode> unassigned;
  double pitch_px = 0;  // the wells' mean spacing in the picture
};

// InvalidArgument, saying what to do, when no lattice of wells is found in the picture, too
// few codes are read to fit it, the codes do not lie on one lattice, the rack's extent does
// not match rows x columns, the picture is the other view (mirrored), or A1 cannot be told.
// A well is kCode only when its code was decoded whole at the well's centre; kEmpty when it
// shows a hole, not a tube; when in doubt it is kUnreadable.
absl::StatusOr<RackReading> ReadRack(const GrayImage& image, const RackReadOptions& options);
// The same, taking the picture: a top-view picture is mirrored in place, not copied (tens of
// megabytes).
absl::StatusOr<RackReading> ReadRack(GrayImage&& image, const RackReadOptions& options);

}  // namespace lims::scanning

#endif  // LIMS_SCANNING_RACK_READER_H_
