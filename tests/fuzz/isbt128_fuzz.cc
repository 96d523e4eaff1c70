// Fuzz target: ISBT 128 identifiers (lims/core/isbt128.h): ParseDin and ParseProductCode.
// Input: any bytes, read as a DIN (typed, printed or scanned) and as a product code.
// Properties, against a reading of isbt128.h written here:
//  - ParseDin refuses with InvalidArgument or returns a 13-character code (a letter, 12 digits),
//    flags of 0 or 2 letters or digits, and the MOD 37-2 check character of the code;
//  - what it accepts prints (Din::Printed) to a text it accepts again as the same DIN;
//  - the printed text with any single character of the DIN or of the check character changed,
//    or two adjacent characters of the DIN swapped, is refused (a mistyped DIN is never another);
//  - ParseProductCode refuses with InvalidArgument or returns 8 characters: a letter, 4 digits,
//    3 letters or digits; and accepts its own output again unchanged.
// fuzz-options: -max_len=64
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "fuzz_support.h"
#include "lims/core/check_character.h"
#include "lims/core/isbt128.h"

namespace {

using lims::fuzz::Escaped;
using lims::fuzz::IsDigit;
using lims::fuzz::IsUpper;

bool IsAlnum(char c) { return IsDigit(c) || IsUpper(c); }

void CheckDin(const std::string& input) {
  const auto din = lims::ParseDin(input);
  if (!din.ok()) {
    FUZZ_CHECK(din.status().code() == absl::StatusCode::kInvalidArgument,
               "ParseDin(" + Escaped(input) + "): " + din.status().ToString());
    return;
  }
  const std::string& code = din->code;
  bool shaped = code.size() == 13 && IsUpper(code[0]);
  for (size_t i = 1; shaped && i < 13; ++i) shaped = IsDigit(code[i]);
  FUZZ_CHECK(shaped, "ParseDin(" + Escaped(input) + ") accepted the code " + Escaped(code));
  FUZZ_CHECK(din->flags.empty() ||
                 (din->flags.size() == 2 && IsAlnum(din->flags[0]) && IsAlnum(din->flags[1])),
             "flags " + Escaped(din->flags));
  FUZZ_CHECK(din->check == *lims::Mod37_2CheckCharacter(code),
             "check character of " + Escaped(code));
  const std::string printed = din->Printed();
  const auto again = lims::ParseDin(printed);
  FUZZ_CHECK(again.ok() && again->code == code, "printed " + Escaped(printed) + " refused");
  for (size_t i = 0; i < printed.size(); ++i) {
    if (printed[i] == ' ') continue;
    for (char c : std::string("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*")) {
      if (c == printed[i]) continue;
      std::string changed = printed;
      changed[i] = c;
      const auto other = lims::ParseDin(changed);
      FUZZ_CHECK(!other.ok(), "mistyped " + Escaped(changed) + " accepted for " + Escaped(printed));
    }
  }
  for (size_t i = 0; i + 1 < code.size(); ++i) {
    if (code[i] == code[i + 1]) continue;
    std::string swapped = code;
    std::swap(swapped[i], swapped[i + 1]);
    FUZZ_CHECK(!lims::ParseDin(swapped + " " + din->check).ok(),
               "swapped " + Escaped(swapped) + " accepted with the check of " + Escaped(code));
  }
}

void CheckProductCode(const std::string& input) {
  const auto code = lims::ParseProductCode(input);
  if (!code.ok()) {
    FUZZ_CHECK(code.status().code() == absl::StatusCode::kInvalidArgument,
               "ParseProductCode(" + Escaped(input) + "): " + code.status().ToString());
    return;
  }
  bool shaped = code->size() == 8 && IsUpper((*code)[0]);
  for (size_t i = 1; shaped && i < 5; ++i) shaped = IsDigit((*code)[i]);
  for (size_t i = 5; shaped && i < 8; ++i) shaped = IsAlnum((*code)[i]);
  FUZZ_CHECK(shaped, "ParseProductCode(" + Escaped(input) + ") = " + Escaped(*code));
  const auto again = lims::ParseProductCode(*code);
  FUZZ_CHECK(again.ok() && *again == *code, "product code " + Escaped(*code) + " not stable");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  CheckDin(input);
  CheckProductCode(input);
  return 0;
}
