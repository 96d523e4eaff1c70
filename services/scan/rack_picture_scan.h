// A rack's picture read into a scan of its wells (scanning/ does the seeing; here the codes
// become the LIMS's canonical barcodes, the same as from a rack scanner's file).
#ifndef LIMS_SERVICES_SCAN_RACK_PICTURE_SCAN_H_
#define LIMS_SERVICES_SCAN_RACK_PICTURE_SCAN_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lims/core/box_layout.h"
#include "lims/core/rack_scan.h"
#include "lims/scanning/image.h"
#include "lims/scanning/rack_reader.h"

namespace lims::services {

struct PictureScan {
  RackScan scan;
  int rotation_degrees = 0;
  bool orientation_mark_seen = false;
  std::string a1_decided_by;
  std::vector<scanning::UnassignedCode> unassigned;
};

// How the picture was taken: the camera's raw view from below (mirrored) or the top-view
// layout, and where A1 is in it when the caller knows (a fixed rack holder).
struct PictureView {
  bool mirrored = false;
  scanning::A1Corner a1_corner = scanning::A1Corner::kUnknown;
};

// INVALID_ARGUMENT / RESOURCE_EXHAUSTED for a file that is not a picture within `limits`, and
// INVALID_ARGUMENT when no rack of `layout` can be read in it (see scanning/rack_reader.h).
absl::StatusOr<PictureScan> ScanRackPicture(const std::string& file, const BoxLayout& layout,
                                            const PictureView& view,
                                            const scanning::ImageLimits& limits);

}  // namespace lims::services

#endif  // LIMS_SERVICES_SCAN_RACK_PICTURE_SCAN_H_
