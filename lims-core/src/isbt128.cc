#include "lims/core/isbt128.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "lims/core/check_character.h"
#include "text.h"

namespace lims {
namespace {

constexpr size_t kDinLength = 13;

bool IsAlnum(char c) { return text::IsDigit(c) || text::IsUpper(c); }

// The 13 characters' shape: a letter, four digits (the facility), two (the year), six.
absl::Status CheckDinShape(std::string_view din, std::string_view as_given) {
  bool ok = din.size() == kDinLength && text::IsUpper(din[0]);
  for (size_t i = 1; ok && i < kDinLength; ++i) ok = text::IsDigit(din[i]);
  if (ok) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrFormat(
      "%s is not an ISBT 128 DIN: a DIN is a letter and four digits (the facility), two digits "
      "(the year) and six (the sequence), e.g. G1234 98 654321 with its check character",
      text::Quoted(as_given)));
}

// Removes spaces (people type the printed groups), upper-cases.
std::string Compact(std::string_view text) {
  std::string out;
  for (char c : text::Trim(text)) {
    if (c != ' ') out.push_back(text::ToUpper(c));
  }
  return out;
}

}  // namespace

std::string Din::Printed() const {
  return absl::StrFormat("%s %s %s %c", code.substr(0, 5), code.substr(5, 2), code.substr(7),
                         check);
}

absl::StatusOr<Din> ParseDin(std::string_view text) {
  const std::string given(text::Trim(text).substr(0, 64));
  std::string s = Compact(text);
  Din din;
  if (!s.empty() && s[0] == '=') {
    // Scanned: "=" + 13 characters + 2 flag characters (the flags may be left off).
    s.erase(0, 1);
    if (s.size() != kDinLength && s.size() != kDinLength + 2) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s is not a scanned ISBT 128 DIN: after '=' come 13 characters and 2 flag characters",
          text::Quoted(given)));
    }
    din.code = s.substr(0, kDinLength);
    din.flags = s.substr(kDinLength);
    for (char c : din.flags) {
      if (!IsAlnum(c)) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "%s has flag characters that are not letters or digits", text::Quoted(given)));
      }
    }
    if (absl::Status shape = CheckDinShape(din.code, given); !shape.ok()) return shape;
    din.check = *Mod37_2CheckCharacter(din.code);
    return din;
  }
  // Kept or typed: 13 characters, optionally the 2 flag digits, then the check character.
  din.code = s.substr(0, kDinLength);
  if (absl::Status shape = CheckDinShape(din.code, given); !shape.ok()) return shape;
  const std::string rest = s.substr(din.code.size());
  std::string check;
  if (rest.size() == 1) {
    check = rest;
  } else if (rest.size() == 3 && text::IsDigit(rest[0]) && text::IsDigit(rest[1])) {
    din.flags = rest.substr(0, 2);
    check = rest.substr(2);
  } else if (!rest.empty()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s has %d characters after the DIN; give the DIN with its check character "
                        "(G1234 98 654321 H), optionally with the two flag digits before it",
                        text::Quoted(given), rest.size()));
  }
  din.check = *Mod37_2CheckCharacter(din.code);
  if (!check.empty() && check[0] != din.check) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "DIN %s has the check character %s, not %s: the DIN was mistyped or misread; read it "
        "again from the bag's label",
        din.code.substr(0, 5) + " " + din.code.substr(5, 2) + " " + din.code.substr(7),
        text::Quoted(check), text::Quoted(std::string(1, din.check))));
  }
  return din;
}

absl::StatusOr<std::string> ParseProductCode(std::string_view text) {
  std::string s = Compact(text);
  if (s.rfind("=<", 0) == 0) s.erase(0, 2);
  bool ok = s.size() == 8 && text::IsUpper(s[0]);
  for (size_t i = 1; ok && i < 5; ++i) ok = text::IsDigit(s[i]);
  for (size_t i = 5; ok && i < 8; ++i) ok = IsAlnum(s[i]);
  if (!ok) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s is not an ISBT 128 product code: a letter and four digits (the product "
                        "description), then the type of donation and the division, e.g. E0713V00",
                        text::Quoted(std::string(text::Trim(text).substr(0, 64)))));
  }
  return s;
}

}  // namespace lims
