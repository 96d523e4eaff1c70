// ISO 7064 MOD 37-2, the check character ISBT 128 uses. It detects every single-character
// substitution and every swap of two adjacent characters, so a mistyped id is rejected instead
// of matching another tube.
#ifndef LIMS_CORE_CHECK_CHARACTER_H_
#define LIMS_CORE_CHECK_CHARACTER_H_

#include <string_view>

#include "absl/status/statusor.h"

namespace lims {

// Check character ('0'-'9', 'A'-'Z' or '*') for a payload of digits and upper-case letters.
// InvalidArgument if the payload is empty or holds any other character.
absl::StatusOr<char> Mod37_2CheckCharacter(std::string_view payload);

// True if the last character is the correct check character for the characters before it.
// Upper-case only: callers normalise case first.
bool Mod37_2IsValid(std::string_view payload_with_check);

}  // namespace lims

#endif  // LIMS_CORE_CHECK_CHARACTER_H_
