#include "lims/core/check_character.h"

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "text.h"

namespace lims {
namespace {

constexpr int kModulus = 37;
constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*";

// Value of a payload character, or -1 if it may not appear in a payload ('*' only checks).
int PayloadValue(char c) {
  if (text::IsDigit(c)) return c - '0';
  if (text::IsUpper(c)) return c - 'A' + 10;
  return -1;
}

}  // namespace

absl::StatusOr<char> Mod37_2CheckCharacter(std::string_view payload) {
  if (payload.empty()) {
    return absl::InvalidArgumentError(
        "cannot compute a check character for an empty identifier");
  }
  int p = 0;
  for (size_t i = 0; i < payload.size(); ++i) {
    const int v = PayloadValue(payload[i]);
    if (v < 0) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "identifier %s has '%c' at position %d; only digits 0-9 and upper-case letters "
          "A-Z can carry a check character",
          text::Quoted(payload), payload[i], i + 1));
    }
    p = ((p + v) * 2) % kModulus;
  }
  return kAlphabet[(kModulus + 1 - p) % kModulus];
}

bool Mod37_2IsValid(std::string_view payload_with_check) {
  if (payload_with_check.size() < 2) return false;
  const absl::StatusOr<char> expected =
      Mod37_2CheckCharacter(payload_with_check.substr(0, payload_with_check.size() - 1));
  return expected.ok() && *expected == payload_with_check.back();
}

}  // namespace lims
