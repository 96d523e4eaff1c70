// Fuzz target: ISO 7064 MOD 37-2 check characters (lims/core/check_character.h).
// Input: any bytes, read both as a payload and as a payload followed by its check character.
// Properties:
//  - Mod37_2CheckCharacter accepts exactly the non-empty payloads of 0-9 A-Z and agrees with
//    the standard's weighted-sum definition (reference_mod37_2.h);
//  - Mod37_2IsValid agrees with the reference on any bytes;
//  - payload + its check character is valid, payload + any other character is not (a lower-case
//    check letter neither: callers normalise case first);
//  - every single-character substitution, every swap of two adjacent different characters and
//    every swap of two different characters one apart ("jump transposition") of a valid code is
//    refused: the detection guarantees the header promises and ISO 7064 gives.
// fuzz-options: -max_len=96
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "fuzz_support.h"
#include "lims/core/check_character.h"
#include "reference_mod37_2.h"

namespace {

using lims::fuzz::Escaped;
using lims::fuzz::kMod37Alphabet;

void CheckDetectsCorruption(const std::string& code) {
  for (size_t i = 0; i < code.size(); ++i) {
    for (const char* c = kMod37Alphabet; *c != '\0'; ++c) {
      if (*c == code[i]) continue;
      std::string changed = code;
      changed[i] = *c;
      FUZZ_CHECK(!lims::Mod37_2IsValid(changed),
                 "valid " + Escaped(code) + ", substituted " + Escaped(changed));
    }
    for (size_t distance : {1, 2}) {
      if (i + distance >= code.size() || code[i] == code[i + distance]) continue;
      std::string swapped = code;
      std::swap(swapped[i], swapped[i + distance]);
      FUZZ_CHECK(!lims::Mod37_2IsValid(swapped),
                 "valid " + Escaped(code) + ", transposed " + Escaped(swapped));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);

  FUZZ_CHECK(lims::Mod37_2IsValid(input) == lims::fuzz::ReferenceIsValid(input),
             "Mod37_2IsValid(" + Escaped(input) + ") disagrees with the reference");

  const absl::StatusOr<char> check = lims::Mod37_2CheckCharacter(input);
  const std::optional<char> expected = lims::fuzz::ReferenceCheckCharacter(input);
  FUZZ_CHECK(check.ok() == expected.has_value(),
             "Mod37_2CheckCharacter(" + Escaped(input) + ") ok=" + std::to_string(check.ok()));
  if (!check.ok()) {
    FUZZ_CHECK(check.status().code() == absl::StatusCode::kInvalidArgument,
               "Mod37_2CheckCharacter(" + Escaped(input) + "): " + check.status().ToString());
    return 0;
  }
  FUZZ_CHECK(*check == *expected, "Mod37_2CheckCharacter(" + Escaped(input) + ") = " +
                                      Escaped(std::string(1, *check)) + ", reference " +
                                      Escaped(std::string(1, *expected)));

  const std::string code = input + *check;
  FUZZ_CHECK(lims::Mod37_2IsValid(code), "payload + its check refused: " + Escaped(code));
  for (const char* c = kMod37Alphabet; *c != '\0'; ++c) {
    if (*c == *check) continue;
    FUZZ_CHECK(!lims::Mod37_2IsValid(input + *c), "wrong check accepted: " + Escaped(input + *c));
  }
  if (lims::fuzz::IsUpper(*check)) {
    const std::string lower = input + lims::fuzz::Lower(*check);
    FUZZ_CHECK(!lims::Mod37_2IsValid(lower), "lower-case check accepted: " + Escaped(lower));
  }
  CheckDetectsCorruption(code);
  return 0;
}
