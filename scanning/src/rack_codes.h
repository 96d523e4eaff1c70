// The tubes' codes read from a rack picture and the lattice of wells they sit on: the coarse
// lattice corrected by the codes (its phase, a step that was half the pitch), then fitted to
// their centres, growing outwards so that no error adds up to a whole well, and each code given
// to the well it sits in, or to none. Internal to the rack reader.
#ifndef LIMS_SCANNING_RACK_CODES_H_
#define LIMS_SCANNING_RACK_CODES_H_

#include <optional>
#include <string>
#include <vector>

#include "coarse_lattice.h"
#include "geometry.h"
#include "well_decoder.h"

namespace lims::scanning {

// A code belongs to a well only if its centre is this close to the well's (in pitches):
// halfway to the next well is 0.5, so no code can belong to two.
inline constexpr double kMaxCodeOffset = 0.3;

struct Code {
  DecodedSymbol symbol;
  int i = 0, j = 0;
  bool assigned = false;
  std::string reason;  // why not, when not
};

// The texture can repeat at half or twice the wells' pitch; the codes cannot. Doubles or
// halves a step of `lattice` that nearby codes show to be half or twice the wells' pitch.
void StepsFromCodes(CoarseLattice& lattice, const std::vector<Code>& codes);

// The texture's steps can be off by other factors than two (noise repeating at its own period
// between wells); the codes' centres show how far apart the wells are along each axis. Scales
// each step of `lattice` to the longest spacing that the offsets between nearby codes are whole
// multiples of, when they agree on one.
void ScaleStepsToCodes(CoarseLattice& lattice, const std::vector<Code>& codes);

// Where the codes sit within the coarse lattice's cells, in steps (each within +-0.5): the
// mean offset of the (up to 12) codes nearest its origin, taken round the circle. nullopt when
// there are none, or when along either axis they agree less than `least_agreement` (the mean's
// length over the number of codes, 0 to 1).
std::optional<Vec2> CodesPhase(const CoarseLattice& lattice, const std::vector<Code>& codes,
                               double least_agreement);

// The lattice fitted to the codes' centres (projective when enough of them), starting from the
// coarse lattice with its phase taken from the codes.
LatticeMap FitToCodes(const CoarseLattice& lattice, const std::vector<Code>& codes);

// Each code to its node (i, j, assigned) when it sits within kMaxCodeOffset of the node's
// centre and no other code claims the node nor another node its text; otherwise a reason.
void AssignCodes(const LatticeMap& map, std::vector<Code>& codes);

}  // namespace lims::scanning

#endif  // LIMS_SCANNING_RACK_CODES_H_
