// A1 from the row letters and column numbers moulded or printed on a rack beside its wells: the
// letters in a line beside the first column, the numbers in a line beside the first row. Where
// the two lines meet is A1, whatever the letters and digits say, so nothing is read as text:
// each side of the rack is searched for marks that sit level with its wells and not between
// them. Internal to the rack reader.
#ifndef LIMS_SCANNING_RACK_LABELS_H_
#define LIMS_SCANNING_RACK_LABELS_H_

#include <optional>

#include "geometry.h"
#include "lims/scanning/image.h"
#include "rack_frame.h"

namespace lims::scanning {

// The lattice corner where two adjacent sides of the rack carry a line of labels and the other
// two carry none; nullopt when the picture does not show exactly that.
std::optional<IndexedPoint> FindLabelledCorner(const GrayImage& image, const LatticeMap& map,
                                               const RackExtent& extent);

}  // namespace lims::scanning

#endif  // LIMS_SCANNING_RACK_LABELS_H_
