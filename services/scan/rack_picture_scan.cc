#include "rack_picture_scan.h"

#include <utility>
#include <vector>

#include "status_macros.h"

namespace lims::services {

absl::StatusOr<PictureScan> ScanRackPicture(const std::string& file, const BoxLayout& layout,
                                            const PictureView& view,
                                            const scanning::ImageLimits& limits) {
  LIMS_ASSIGN_OR_RETURN(scanning::GrayImage image, scanning::DecodeImage(file, limits));
  LIMS_ASSIGN_OR_RETURN(scanning::RackReading reading,
                        scanning::ReadRack(std::move(image), {layout.rows(), layout.columns(),
                                                              view.mirrored, view.a1_corner}));
  std::vector<std::pair<WellReading, std::string>> wells;
  wells.reserve(reading.wells.size());
  for (scanning::RackWell& well : reading.wells) {
    switch (well.content) {
      case scanning::WellContent::kCode:
        wells.emplace_back(WellReading::kCode, std::move(well.text));
        break;
      case scanning::WellContent::kEmpty: wells.emplace_back(WellReading::kEmpty, ""); break;
      case scanning::WellContent::kUnreadable:
        wells.emplace_back(WellReading::kUnreadable, "");
        break;
    }
  }
  PictureScan out;
  out.scan = RackScanFromWells(layout, wells);
  out.rotation_degrees = reading.rotation_degrees;
  out.orientation_mark_seen = reading.orientation_mark_seen;
  out.a1_decided_by = std::move(reading.a1_decided_by);
  out.unassigned = std::move(reading.unassigned);
  return out;
}

}  // namespace lims::services
