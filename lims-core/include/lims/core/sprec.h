// SPREC, the ISBER Sample PREanalytical Code (version 2.0) for fluid samples: seven elements
// joined by '-', e.g. "SER-SST-A-D-N-A-B":
//   1 type of sample (SER), 2 type of primary container (SST), 3 pre-centrifugation delay and
//   temperature, 4 centrifugation, 5 second centrifugation, 6 post-centrifugation delay,
//   7 long-term storage.
// 'X' (for the container "XXX") means unknown, 'Z' ("ZZZ") other. A tube's code starts unknown
// and is filled in from what the LIMS records (the delay between collection and the start of
// processing gives element 3) or from what a technician enters by hand.
#ifndef LIMS_CORE_SPREC_H_
#define LIMS_CORE_SPREC_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace lims {

struct SprecCode {
  std::string sample_type;       // element 1, e.g. "SER"
  std::string container = "XXX";  // element 2, e.g. "SST"
  char pre_centrifugation = 'X';
  char centrifugation = 'X';
  char second_centrifugation = 'X';
  char post_centrifugation = 'X';
  char long_term_storage = 'X';

  // The canonical spelling, e.g. "SER-SST-A-X-X-X-X".
  std::string ToString() const;
  bool operator==(const SprecCode& other) const { return ToString() == other.ToString(); }
};

// Parses a code as typed: surrounding blanks are ignored and letters may be lower case. Refused
// (InvalidArgument, saying which element is wrong and what it may be): not seven elements, a
// sample type that is not a type code, a container not in the SPREC container list, an element
// 3..6 that is not A-N, X or Z, an element 7 that is not a letter.
absl::StatusOr<SprecCode> ParseSprec(std::string_view text);

// Parses a hand-given code for a sample of `sample_type`: as ParseSprec, and element 1 must be
// that type (InvalidArgument otherwise).
absl::StatusOr<SprecCode> ParseSprecFor(std::string_view text, std::string_view sample_type);

// A code with only the sample type known: "SER-XXX-X-X-X-X-X".
SprecCode UnknownSprec(std::string_view sample_type);

// The code of a sample derived from `parent` (an aliquot, or serum from a clotted tube): the
// parent's pre-analytical history with the child's type.
SprecCode DerivedSprec(const SprecCode& parent, std::string_view child_type);

// Where a tube waited before centrifugation.
enum class HoldingTemperature {
  kRoom,          // RT, 18–28 °C
  kRefrigerated,  // 2–10 °C
};

// Element 3 from the recorded delay between collection and the start of processing:
// < 2 h A/B, 2–4 h C/D, 4–8 h E/F, 8–12 h G/H, 12–24 h I/J, 24–48 h K/L, > 48 h M/N (the first
// letter at room temperature, the second refrigerated; a limit belongs to the longer class).
// A negative delay (processing before collection) is InvalidArgument.
absl::StatusOr<char> PreCentrifugationElement(absl::Duration delay, HoldingTemperature held_at);

// What an element letter means, for people reading a code ("RT, 2–4 h"); "" if not known.
std::string_view DescribePreCentrifugation(char element);

}  // namespace lims

#endif  // LIMS_CORE_SPREC_H_
