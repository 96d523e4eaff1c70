// Names of the SPREC sample type codes people read on labels and in exports.
#ifndef LIMS_CORE_SAMPLE_TYPES_H_
#define LIMS_CORE_SAMPLE_TYPES_H_

#include <string>
#include <string_view>

namespace lims {

// "SER" -> "Serum"; a code we have no name for is returned as it is.
std::string SampleTypeName(std::string_view code);

// The code of a type as another system writes it: its name in any case ("serum", "Whole
// Blood", "Plasma, single spun"), a few common other names ("Plasma" -> PL1, "PBMC" -> CEL),
// or a code already; "" when none is known.
std::string SampleTypeCode(std::string_view text);

}  // namespace lims

#endif  // LIMS_CORE_SAMPLE_TYPES_H_
