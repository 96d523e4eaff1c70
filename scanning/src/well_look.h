// Whether a well whose code was not read is empty or holds a tube, from what both look like in
// this very picture. Tubes are learnt from those whose codes were read nearby (their bottom's
// grey level, the ground the code is printed on, relative to the plate around them). A smooth
// well much darker than the tubes is a hole, also under a glare spot (which shades a hole
// broadly but adds no fine structure). Otherwise empty holes all look alike and unlike the
// tubes: the largest group of smooth wells whose grey levels are the same, with few others just
// beside them (frost's level varies from tube to tube: a plateau, not a spike), that is large
// or looks like what lies beyond the plate (seen through the hole). A well that is textured (a
// code, frost's grain) or matches neither is a tube that cannot be read: when in doubt, never
// empty. Internal to the rack reader.
#ifndef LIMS_SCANNING_WELL_LOOK_H_
#define LIMS_SCANNING_WELL_LOOK_H_

#include <optional>
#include <utility>
#include <vector>

#include "geometry.h"
#include "lims/scanning/image.h"
#include "lims/scanning/rack_reader.h"

namespace lims::scanning {

// A well whose code was read, and which way round its code is printed.
struct ReadTube {
  int i = 0, j = 0;
  bool light_on_dark = false;
};

class WellLooks {
 public:
  // `tubes`: those whose codes were read; `background_to_plate`: the grey level beyond the
  // plate over the plate's, when the plate's edge could be seen.
  WellLooks(const GrayImage& image, const LatticeMap& map, const std::vector<ReadTube>& tubes,
            std::optional<double> background_to_plate);

  // kEmpty or kUnreadable for each of the nodes whose code was not read, all at once (the
  // holes are recognised as a group).
  std::vector<WellContent> Undecoded(const std::vector<IndexedPoint>& nodes) const;

 private:
  struct Look;
  Look LookAt(int i, int j) const;

  const GrayImage& image_;
  const LatticeMap& map_;
  std::vector<std::pair<ReadTube, double>> tube_to_plate_;  // tube, its ground over its plate
  double code_sd_ = 0;
  std::optional<double> background_to_plate_;
};

}  // namespace lims::scanning

#endif  // LIMS_SCANNING_WELL_LOOK_H_
