// Fuzz target: scanned codes (lims/core/sample_id.h): CanonicalBarcode, ParseSampleId,
// FormatSampleId, ValidatePreprintedBarcode, LooksLikeMintedId.
// Input: any bytes, used (1) as a scanned code and (2) as the source of a minted id
// (site letters, year, number) and of where to corrupt it.
// Properties, against a reading of sample_id.h written here:
//  - LooksLikeMintedId is exactly the shape SITE(2..6 letters) YY - N{6..9} - C, any case;
//  - ValidatePreprintedBarcode accepts exactly 4..64 of A-Z a-z 0-9 - . _ / that neither have the
//    minted shape nor start like a minted id (SITE letters, YY, then '-' or '_') nor with BOX-;
//  - ParseSampleId accepts exactly a trimmed, any-case spelling of the one way an id is minted
//    (number zero-padded to 6 digits, not more; number >= 1; MOD 37-2 check character), and what
//    it accepts formats back (FormatSampleId) to the upper-case trimmed input;
//  - CanonicalBarcode differs from its input only by trimming, dropping a leading AIM symbology
//    identifier (']', a letter, a letter or digit) and, for a minted id, upper-casing; it is
//    idempotent and ignores the white space and identifiers scanners add;
//  - every single-character substitution and every adjacent transposition of a valid minted id
//    is refused by ParseSampleId, and CanonicalBarcode never turns one into a (different)
//    minted id;
//  - FormatSampleId accepts exactly valid site codes, years 0..99 and numbers 1..999999999.
// fuzz-options: -max_len=128
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "fuzz_support.h"
#include "lims/core/sample_id.h"
#include "reference_mod37_2.h"

namespace {

using lims::fuzz::AllDigits;
using lims::fuzz::Escaped;
using lims::fuzz::IsAlpha;
using lims::fuzz::IsDigit;
using lims::fuzz::IsUpper;
using lims::fuzz::Trim;
using lims::fuzz::Upper;

constexpr int64_t kMaxSequence = 999999999;

struct Shape {
  std::string site;
  int year = 0;
  std::string digits;  // the number as written
  char check = 0;
};

// SITE YY-NNNNNN-C as sample_id.h describes it, case as written.
std::optional<Shape> MintedShape(std::string_view s) {
  size_t letters = 0;
  while (letters < s.size() && IsAlpha(s[letters])) ++letters;
  if (letters < 2 || letters > 6) return std::nullopt;
  Shape shape;
  shape.site = std::string(s.substr(0, letters));
  s.remove_prefix(letters);
  if (s.size() < 3 || !AllDigits(s.substr(0, 2)) || s[2] != '-') return std::nullopt;
  shape.year = (s[0] - '0') * 10 + (s[1] - '0');
  s.remove_prefix(3);
  size_t digits = 0;
  while (digits < s.size() && IsDigit(s[digits])) ++digits;
  if (digits < 6 || digits > 9) return std::nullopt;
  shape.digits = std::string(s.substr(0, digits));
  s.remove_prefix(digits);
  if (s.size() != 2 || s[0] != '-') return std::nullopt;
  const char c = s[1];
  if (!IsDigit(c) && !IsAlpha(c) && c != '*') return std::nullopt;
  shape.check = c;
  return shape;
}

// The one spelling of a valid id: upper-case site, 2-digit year, number padded to 6 digits.
std::optional<std::string> ReferenceFormat(const lims::SampleId& id) {
  if (id.site_code.size() < 2 || id.site_code.size() > 6) return std::nullopt;
  for (char c : id.site_code) {
    if (!IsUpper(c)) return std::nullopt;
  }
  if (id.year < 0 || id.year > 99 || id.sequence < 1 || id.sequence > kMaxSequence) {
    return std::nullopt;
  }
  std::string number = std::to_string(id.sequence);
  if (number.size() < 6) number.insert(0, 6 - number.size(), '0');
  const std::string year = std::string(1, static_cast<char>('0' + id.year / 10)) +
                           static_cast<char>('0' + id.year % 10);
  const std::optional<char> check =
      lims::fuzz::ReferenceCheckCharacter(id.site_code + year + number);
  if (!check) return std::nullopt;
  return id.site_code + year + "-" + number + "-" + *check;
}

std::optional<lims::SampleId> ReferenceParse(std::string_view text) {
  const std::string upper = Upper(Trim(text));
  const std::optional<Shape> shape = MintedShape(upper);
  if (!shape) return std::nullopt;
  lims::SampleId id;
  id.site_code = shape->site;
  id.year = shape->year;
  id.sequence = std::stoll(shape->digits);
  const std::optional<std::string> spelled = ReferenceFormat(id);
  if (!spelled || *spelled != upper) return std::nullopt;
  return id;
}

bool IsPreprintedChar(char c) {
  return IsAlpha(c) || IsDigit(c) || c == '-' || c == '.' || c == '_' || c == '/';
}

// SITE(2..6 letters) YY then '-' or '_': what a minted id starts with.
bool StartsMinted(std::string_view code) {
  size_t letters = 0;
  while (letters < code.size() && IsAlpha(code[letters])) ++letters;
  return letters >= 2 && letters <= 6 && code.size() >= letters + 3 && IsDigit(code[letters]) &&
         IsDigit(code[letters + 1]) && (code[letters + 2] == '-' || code[letters + 2] == '_');
}

bool ReferencePreprinted(std::string_view code) {
  if (code.size() < 4 || code.size() > 64) return false;
  for (char c : code) {
    if (!IsPreprintedChar(c)) return false;
  }
  // "BOX-" (any case) is the LIMS's box label code.
  if (Upper(code.substr(0, 4)) == "BOX-") return false;
  return !MintedShape(code).has_value() && !StartsMinted(code);
}

bool SameId(const lims::SampleId& a, const lims::SampleId& b) {
  return a.site_code == b.site_code && a.year == b.year && a.sequence == b.sequence;
}

std::string Describe(const lims::SampleId& id) {
  return "{" + Escaped(id.site_code) + ", " + std::to_string(id.year) + ", " +
         std::to_string(id.sequence) + "}";
}

bool IsInvalidArgumentError(const absl::Status& status) {
  return status.code() == absl::StatusCode::kInvalidArgument;
}

// A corrupted copy of the valid minted id `id`: refused as a sample id, and never taken for
// another minted id (it may still be a well-formed pre-printed code: a different tube's).
void CheckCorruptionRefused(const std::string& id, const std::string& changed) {
  FUZZ_CHECK(!lims::ParseSampleId(changed).ok(),
             "valid id " + Escaped(id) + " corrupted to " + Escaped(changed) + " still parses");
  const absl::StatusOr<std::string> canonical = lims::CanonicalBarcode(changed);
  FUZZ_CHECK(!canonical.ok() || !lims::LooksLikeMintedId(*canonical),
             "valid id " + Escaped(id) + " corrupted to " + Escaped(changed) +
                 " is taken for minted id " + Escaped(*canonical));
}

void CheckSubstitutionsRefused(const std::string& id, size_t position,
                               std::string_view substitutes) {
  for (char c : substitutes) {
    if (Upper(c) == id[position]) continue;  // the same character in another case: same id
    std::string changed = id;
    changed[position] = c;
    CheckCorruptionRefused(id, changed);
  }
}

void CheckTranspositionRefused(const std::string& id, size_t position) {
  if (position + 1 >= id.size() || id[position] == id[position + 1]) return;
  std::string swapped = id;
  std::swap(swapped[position], swapped[position + 1]);
  CheckCorruptionRefused(id, swapped);
}

// What a technician or a scanner could plausibly put in place of one character.
constexpr char kSubstituteChars[] =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz*-_./ \t\r\n\0\x7f\x80\xff";
constexpr std::string_view kSubstitutes(kSubstituteChars, sizeof kSubstituteChars - 1);

// Properties of `text` as a scanned code.
void CheckScanned(const std::string& text) {
  const std::optional<Shape> shape = MintedShape(text);
  FUZZ_CHECK(lims::LooksLikeMintedId(text) == shape.has_value(),
             "LooksLikeMintedId(" + Escaped(text) + ") disagrees with the minted shape");

  const absl::Status preprinted = lims::ValidatePreprintedBarcode(text);
  FUZZ_CHECK(preprinted.ok() == ReferencePreprinted(text),
             "ValidatePreprintedBarcode(" + Escaped(text) + "): " + preprinted.ToString());
  FUZZ_CHECK(preprinted.ok() || IsInvalidArgumentError(preprinted), preprinted.ToString());

  const std::string upper = Upper(Trim(text));
  const absl::StatusOr<lims::SampleId> parsed = lims::ParseSampleId(text);
  const std::optional<lims::SampleId> expected = ReferenceParse(text);
  FUZZ_CHECK(parsed.ok() == expected.has_value(),
             "ParseSampleId(" + Escaped(text) + "): " + parsed.status().ToString());
  FUZZ_CHECK(parsed.ok() || IsInvalidArgumentError(parsed.status()), parsed.status().ToString());
  if (parsed.ok()) {
    FUZZ_CHECK(SameId(*parsed, *expected), "ParseSampleId(" + Escaped(text) + ") = " +
                                               Describe(*parsed) + ", expected " +
                                               Describe(*expected));
    const absl::StatusOr<std::string> formatted = lims::FormatSampleId(*parsed);
    FUZZ_CHECK(formatted.ok() && *formatted == upper,
               "FormatSampleId(ParseSampleId(" + Escaped(text) + ")) is not the upper-case id");
  }

  std::string_view trimmed = Trim(text);
  if (trimmed.size() >= 3 && trimmed[0] == ']' && lims::fuzz::IsAlpha(trimmed[1]) &&
      (lims::fuzz::IsAlpha(trimmed[2]) || lims::fuzz::IsDigit(trimmed[2]))) {
    trimmed = Trim(trimmed.substr(3));
  }
  const absl::StatusOr<std::string> canonical = lims::CanonicalBarcode(text);
  const bool minted = MintedShape(trimmed).has_value();
  const bool expect_ok = !trimmed.empty() && (minted ? ReferenceParse(trimmed).has_value()
                                                     : ReferencePreprinted(trimmed));
  FUZZ_CHECK(canonical.ok() == expect_ok,
             "CanonicalBarcode(" + Escaped(text) + "): " + canonical.status().ToString());
  FUZZ_CHECK(canonical.ok() || IsInvalidArgumentError(canonical.status()),
             canonical.status().ToString());
  if (canonical.ok()) {
    const std::string want = minted ? Upper(trimmed) : std::string(trimmed);
    FUZZ_CHECK(*canonical == want, "CanonicalBarcode(" + Escaped(text) + ") = " +
                                       Escaped(*canonical) + ", expected " + Escaped(want));
    const absl::StatusOr<std::string> again = lims::CanonicalBarcode(*canonical);
    FUZZ_CHECK(again.ok() && *again == *canonical,
               "CanonicalBarcode is not idempotent on " + Escaped(*canonical));
    const absl::StatusOr<std::string> wedged =
        lims::CanonicalBarcode(" \t" + *canonical + "\r\n");
    FUZZ_CHECK(wedged.ok() && *wedged == *canonical,
               "scanner white space changes CanonicalBarcode(" + Escaped(*canonical) + ")");
    const absl::StatusOr<std::string> identified = lims::CanonicalBarcode("]d1" + *canonical);
    FUZZ_CHECK(identified.ok() && *identified == *canonical,
               "a ]d1 symbology identifier changes CanonicalBarcode(" + Escaped(*canonical) + ")");
  }

  if (parsed.ok()) {
    for (size_t i = 0; i < upper.size(); ++i) {
      CheckSubstitutionsRefused(upper, i, kSubstitutes);
      CheckTranspositionRefused(upper, i);
    }
  }
}

// Properties of an id minted from the input's bytes.
void CheckMinted(lims::fuzz::ByteReader& bytes) {
  lims::SampleId id;
  const int site_length = 2 + bytes.U8() % 5;
  for (int i = 0; i < site_length; ++i) id.site_code += static_cast<char>('A' + bytes.U8() % 26);
  id.year = bytes.U8() % 100;
  id.sequence = 1 + static_cast<int64_t>(bytes.U32() % kMaxSequence);

  const absl::StatusOr<std::string> formatted = lims::FormatSampleId(id);
  const std::optional<std::string> expected = ReferenceFormat(id);
  FUZZ_CHECK(formatted.ok() && *formatted == *expected,
             "FormatSampleId(" + Describe(id) + ") = " +
                 (formatted.ok() ? Escaped(*formatted) : formatted.status().ToString()) +
                 ", expected " + Escaped(*expected));
  const std::string& text = *formatted;

  for (const std::string& spelling :
       {text, lims::fuzz::Lower(text), " " + text + "\r\n", "\t" + lims::fuzz::Lower(text)}) {
    const absl::StatusOr<lims::SampleId> parsed = lims::ParseSampleId(spelling);
    FUZZ_CHECK(parsed.ok() && SameId(*parsed, id),
               "ParseSampleId(" + Escaped(spelling) + ") does not give back " + Describe(id));
    const absl::StatusOr<std::string> canonical = lims::CanonicalBarcode(spelling);
    FUZZ_CHECK(canonical.ok() && *canonical == text,
               "CanonicalBarcode(" + Escaped(spelling) + ") is not " + Escaped(text));
  }
  FUZZ_CHECK(lims::LooksLikeMintedId(text), "LooksLikeMintedId(" + Escaped(text) + ")");
  FUZZ_CHECK(!lims::ValidatePreprintedBarcode(text).ok(),
             "minted id accepted as a pre-printed code: " + Escaped(text));

  // One position per input, every plausible substitute there, and one adjacent swap.
  CheckSubstitutionsRefused(text, bytes.U8() % text.size(), kSubstitutes);
  CheckTranspositionRefused(text, bytes.U8() % text.size());
}

// FormatSampleId's contract on arbitrary fields.
void CheckFormatContract(lims::fuzz::ByteReader& bytes) {
  lims::SampleId id;
  const int site_length = bytes.U8() % 8;
  for (int i = 0; i < site_length; ++i) {
    const uint8_t b = bytes.U8();
    id.site_code += static_cast<char>(b < 208 ? 'A' + b % 26 : b);
  }
  id.year = static_cast<int>(bytes.U8()) - 20;
  id.sequence = static_cast<int64_t>(bytes.U32()) - 1000;
  const absl::StatusOr<std::string> formatted = lims::FormatSampleId(id);
  const std::optional<std::string> expected = ReferenceFormat(id);
  FUZZ_CHECK(formatted.ok() == expected.has_value(),
             "FormatSampleId(" + Describe(id) + "): " + formatted.status().ToString());
  FUZZ_CHECK(formatted.ok() || IsInvalidArgumentError(formatted.status()),
             formatted.status().ToString());
  if (formatted.ok()) {
    FUZZ_CHECK(*formatted == *expected,
               "FormatSampleId(" + Describe(id) + ") = " + Escaped(*formatted));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  CheckScanned(std::string(reinterpret_cast<const char*>(data), size));
  lims::fuzz::ByteReader bytes(data, size);
  CheckMinted(bytes);
  CheckFormatContract(bytes);
  return 0;
}
