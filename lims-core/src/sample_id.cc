#include "lims/core/sample_id.h"

#include <optional>

#include "absl/strings/str_format.h"
#include "lims/core/check_character.h"
#include "text.h"

namespace lims {
namespace {

constexpr int64_t kMaxSequence = 999999999;
constexpr size_t kMinPreprintedLength = 4;
constexpr size_t kMaxPreprintedLength = 64;
constexpr char kMintedShape[] = "SITE+YY-NNNNNN-C, e.g. PSL26-000123-K";

// The pieces of a minted-id-shaped text, as written (case not normalised).
struct MintedParts {
  std::string_view site;
  std::string_view year;
  std::string_view sequence;
  char check = 0;
};

std::optional<MintedParts> SplitMinted(std::string_view text) {
  size_t letters = 0;
  while (letters < text.size() && text::IsAlpha(text[letters])) ++letters;
  if (letters < 2 || letters > 6) return std::nullopt;
  MintedParts parts;
  parts.site = text.substr(0, letters);
  std::string_view rest = text.substr(letters);
  // YY-N{6..9}-C is 11..14 characters.
  if (rest.size() < 11 || rest.size() > 14) return std::nullopt;
  parts.year = rest.substr(0, 2);
  if (!text::AllDigits(parts.year) || rest[2] != '-') return std::nullopt;
  parts.sequence = rest.substr(3, rest.size() - 5);
  if (!text::AllDigits(parts.sequence) || rest[rest.size() - 2] != '-') return std::nullopt;
  parts.check = text::ToUpper(rest.back());
  if (!text::IsDigit(parts.check) && !text::IsUpper(parts.check) && parts.check != '*') {
    return std::nullopt;
  }
  return parts;
}

int64_t ToInt(std::string_view digits) {
  int64_t value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

// Names a character for a message, even when it is invisible.
std::string DescribeChar(char c) {
  if (c > ' ' && c < 0x7f) return absl::StrFormat("'%c'", c);
  if (c == ' ') return "a space";
  return absl::StrFormat("byte 0x%02X", static_cast<unsigned char>(c));
}

// SITE letters, two year digits and a separator: the start of a minted id. A code that starts
// so but is not a whole minted id is a misread or mistyped id (a lost hyphen, a missing check
// character), never a pre-printed code.
bool StartsLikeMintedId(std::string_view text) {
  size_t letters = 0;
  while (letters < text.size() && text::IsAlpha(text[letters])) ++letters;
  if (letters < 2 || letters > 6 || text.size() < letters + 3) return false;
  return text::IsDigit(text[letters]) && text::IsDigit(text[letters + 1]) &&
         (text[letters + 2] == '-' || text[letters + 2] == '_');
}

bool IsPreprintedChar(char c) {
  return text::IsAlpha(c) || text::IsDigit(c) || c == '-' || c == '.' || c == '_' || c == '/';
}

}  // namespace

absl::Status ValidateSiteCode(std::string_view code) {
  bool letters_only = true;
  for (char c : code) letters_only = letters_only && text::IsUpper(c);
  if (code.size() < 2 || code.size() > 6 || !letters_only) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "site code %s is not valid; use 2 to 6 upper-case letters A-Z, e.g. PSL",
        text::Quoted(code)));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> FormatSampleId(const SampleId& id) {
  if (absl::Status site = ValidateSiteCode(id.site_code); !site.ok()) return site;
  if (id.year < 0 || id.year > 99) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "sample id year %d is not valid; use the last two digits of the year (0 to 99)",
        id.year));
  }
  if (id.sequence < 1 || id.sequence > kMaxSequence) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "sample id number %d is not valid; it must be between 1 and %d", id.sequence,
        kMaxSequence));
  }
  const std::string payload = absl::StrFormat("%s%02d%06d", id.site_code, id.year, id.sequence);
  absl::StatusOr<char> check = Mod37_2CheckCharacter(payload);
  if (!check.ok()) return check.status();
  return absl::StrFormat("%s%02d-%06d-%c", id.site_code, id.year, id.sequence, *check);
}

bool LooksLikeMintedId(std::string_view text) { return SplitMinted(text).has_value(); }

absl::StatusOr<SampleId> ParseSampleId(std::string_view text) {
  const std::string upper = text::ToUpper(text::Trim(text));
  const std::optional<MintedParts> parts = SplitMinted(upper);
  if (!parts) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s is not a sample id; sample ids look like %s", text::Quoted(text), kMintedShape));
  }
  std::string payload_with_check;
  payload_with_check.append(parts->site);
  payload_with_check.append(parts->year);
  payload_with_check.append(parts->sequence);
  payload_with_check += parts->check;
  if (!Mod37_2IsValid(payload_with_check)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "sample id %s: the check character does not match; the id was mistyped or misread; "
        "rescan the tube",
        upper));
  }
  SampleId id;
  id.site_code = std::string(parts->site);
  id.year = static_cast<int>(ToInt(parts->year));
  id.sequence = ToInt(parts->sequence);
  if (id.sequence < 1) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "sample id %s has number 0, which the LIMS never issues; rescan the tube", upper));
  }
  // One id, one spelling: "PSL26-0000123-X" must not stand for PSL26-000123-K.
  absl::StatusOr<std::string> canonical = FormatSampleId(id);
  if (!canonical.ok() || *canonical != upper) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "sample id %s has extra leading zeros in its number; the LIMS prints numbers with 6 "
        "digits (more only above 999999); rescan the tube",
        upper));
  }
  return id;
}

absl::Status ValidatePreprintedBarcode(std::string_view code) {
  if (code.empty()) {
    return absl::InvalidArgumentError("barcode is empty; scan or type the tube's code");
  }
  for (size_t i = 0; i < code.size(); ++i) {
    if (!IsPreprintedChar(code[i])) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "barcode %s has %s at position %d; tube codes may contain only letters, digits and "
          "- . _ /",
          text::Quoted(code), DescribeChar(code[i]), i + 1));
    }
  }
  if (code.size() < kMinPreprintedLength || code.size() > kMaxPreprintedLength) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "barcode %s has %d characters; pre-printed tube codes have %d to %d characters",
        text::Quoted(code), code.size(), kMinPreprintedLength, kMaxPreprintedLength));
  }
  if (code.size() >= 4 && text::ToUpper(code.substr(0, 4)) == "BOX-") {
    return absl::InvalidArgumentError(absl::StrFormat(
        "barcode %s starts with BOX-, which the LIMS uses for its box labels (BOX-<id>); a tube "
        "cannot have such a code",
        text::Quoted(code)));
  }
  if (LooksLikeMintedId(code)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "barcode %s has the shape of a LIMS sample id (%s), which is reserved for ids the LIMS "
        "mints; register the tube under its pre-printed code or let the LIMS mint its id",
        text::Quoted(code), kMintedShape));
  }
  if (StartsLikeMintedId(code)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "barcode %s starts like a LIMS sample id (%s) but is not a complete one; it was misread "
        "or mistyped: rescan the tube",
        text::Quoted(code), kMintedShape));
  }
  return absl::OkStatus();
}

std::string_view WithoutSymbologyIdentifier(std::string_view scanned) {
  std::string_view code = text::Trim(scanned);
  // "]" + symbology letter + modifier (ISO/IEC 15424), e.g. "]d1" DataMatrix, "]C0" Code 128,
  // "]Q1" QR. No tube code contains ']', so dropping it cannot make two tubes one.
  if (code.size() >= 3 && code[0] == ']' && text::IsAlpha(code[1]) &&
      (text::IsAlpha(code[2]) || text::IsDigit(code[2]))) {
    code = text::Trim(code.substr(3));
  }
  return code;
}

absl::StatusOr<std::string> CanonicalBarcode(std::string_view scanned) {
  const std::string_view code = WithoutSymbologyIdentifier(scanned);
  if (code.empty()) {
    return absl::InvalidArgumentError("barcode is empty; scan or type the tube's code");
  }
  if (LooksLikeMintedId(code)) {
    absl::StatusOr<SampleId> id = ParseSampleId(code);
    if (!id.ok()) return id.status();
    return text::ToUpper(code);
  }
  if (absl::Status status = ValidatePreprintedBarcode(code); !status.ok()) return status;
  return std::string(code);
}

}  // namespace lims
