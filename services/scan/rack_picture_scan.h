// A rack's picture read into a scan of its wells (scanning/ does the seeing; here the codes
// become the LIMS's canonical barcodes, the same as from a rack scanner's file).
#ifndef LIMS_SERVICES_SCAN_RACK_PICTURE_SCAN_H_
#define LIMS_SERVICES_SCAN_RACK_PICTURE_SCAN_H_

#include <string>

#include "absl/status/statusor.h"
#include "lims/core/box_layout.h"
#include "lims/core/rack_scan.h"
#include "lims/scanning/image.h"

namespace lims::services {

struct PictureScan {
  RackScan scan;
  int rotation_degrees = 0;
  bool orientation_mark_seen = false;
  std::string a1_decided_by;
};

// INVALID_ARGUMENT / RESOURCE_EXHAUSTED for a file that is not a picture within `limits`, and
// INVALID_ARGUMENT when no rack of `layout` can be read in it (see scanning/rack_reader.h).
absl::StatusOr<PictureScan> ScanRackPicture(const std::string& file, const BoxLayout& layout,
                                            bool mirrored, const scanning::ImageLimits& limits);

}  // namespace lims::services

#endif  // LIMS_SERVICES_SCAN_RACK_PICTURE_SCAN_H_
