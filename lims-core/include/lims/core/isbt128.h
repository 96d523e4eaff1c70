// ISBT 128 identifiers of cell-therapy material: the Donation Identification Number (DIN, data
// structure 001) with its flags and keyboard check character, and the product code (data
// structure 003). A DIN is 13 characters: the facility identification number (a letter and
// four digits), the year (two digits) and a sequence number (six digits), e.g. G123498654321.
// It is met three ways:
//   - as the system keeps it: the 13 characters;
//   - as printed under the bar code and typed by people: "G1234 98 654321", the two flag
//     digits (optional) and the boxed check character: "G1234 98 654321 00 H" or "... H";
//   - as scanned from its Code 128: the data identifier "=", the 13 characters and the two
//     flag characters: "=G12349865432100".
// The check character is ISO 7064 MOD 37-2 over the 13 characters; '*' is one of its values.
#ifndef LIMS_CORE_ISBT128_H_
#define LIMS_CORE_ISBT128_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace lims {

struct Din {
  std::string code;   // the 13 characters, upper case: G123498654321
  std::string flags;  // the two flag characters when given ("00"), else empty
  char check = 0;     // the keyboard check character

  // "G1234 98 654321 H", as printed for people.
  std::string Printed() const;
};

// Any of the three spellings above, any case, surrounding white space ignored. InvalidArgument
// saying what is wrong: a bad shape, or a check character that does not match (a mistyped DIN).
absl::StatusOr<Din> ParseDin(std::string_view text);

// A product code as given ("E0713V00", or scanned with its data identifier "=<E0713V00"): a
// product description code (a letter and four digits), the type of donation (a letter or digit)
// and the division (two letters or digits). Returns the 8 characters, upper case.
absl::StatusOr<std::string> ParseProductCode(std::string_view text);

}  // namespace lims

#endif  // LIMS_CORE_ISBT128_H_
