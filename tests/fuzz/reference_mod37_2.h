// ISO 7064 MOD 37-2 written as the standard states it (a weighted sum), independently of
// lims-core's Horner loop: a code (payload followed by its check character) is valid when
// sum(value(c_i) * 2^i) over its characters, i counted from 0 at the check character, is
// congruent to 1 modulo 37. Values: '0'..'9' = 0..9, 'A'..'Z' = 10..35, '*' = 36 (check only).
#ifndef LIMS_TESTS_FUZZ_REFERENCE_MOD37_2_H_
#define LIMS_TESTS_FUZZ_REFERENCE_MOD37_2_H_

#include <optional>
#include <string_view>

namespace lims::fuzz {

inline constexpr char kMod37Alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*";

inline int Mod37Value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  if (c == '*') return 36;
  return -1;
}

// The weighted sum modulo 37 of `s`, the last character having weight 2^first_weight_exponent.
inline int Mod37WeightedSum(std::string_view s, int first_weight_exponent) {
  int sum = 0;
  int weight = 1;
  for (int i = 0; i < first_weight_exponent; ++i) weight = weight * 2 % 37;
  for (size_t i = s.size(); i-- > 0;) {
    sum = (sum + Mod37Value(s[i]) * weight) % 37;
    weight = weight * 2 % 37;
  }
  return sum;
}

// The check character for a payload of 0-9 A-Z, or nothing for an empty or other payload.
inline std::optional<char> ReferenceCheckCharacter(std::string_view payload) {
  if (payload.empty()) return std::nullopt;
  for (char c : payload) {
    const int v = Mod37Value(c);
    if (v < 0 || v > 35) return std::nullopt;
  }
  // The payload's characters weigh 2^1, 2^2, ...; the check value c makes the total 1.
  const int c = ((1 - Mod37WeightedSum(payload, 1)) % 37 + 37) % 37;
  return kMod37Alphabet[c];
}

inline bool ReferenceIsValid(std::string_view code) {
  if (code.size() < 2) return false;
  for (size_t i = 0; i + 1 < code.size(); ++i) {
    const int v = Mod37Value(code[i]);
    if (v < 0 || v > 35) return false;
  }
  if (Mod37Value(code.back()) < 0) return false;
  return Mod37WeightedSum(code, 0) == 1;
}

}  // namespace lims::fuzz

#endif  // LIMS_TESTS_FUZZ_REFERENCE_MOD37_2_H_
