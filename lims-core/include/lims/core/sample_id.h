// Sample identifiers: the ids the LIMS mints ("PSL26-000123-K") and the pre-printed tube codes
// it accepts as barcodes (e.g. the 10-digit 2D codes of pre-barcoded cryotubes).
#ifndef LIMS_CORE_SAMPLE_ID_H_
#define LIMS_CORE_SAMPLE_ID_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace lims {

// A minted id: <SITE><YY>-<NNNNNN>-<C>. The check character C (ISO 7064 MOD 37-2) is computed
// over SITE+YY+NNNNNN as printed (hyphens removed).
struct SampleId {
  std::string site_code;  // 2..6 upper-case letters, "PSL"
  int year = 0;           // two-digit, 0..99
  int64_t sequence = 0;   // 1..999999999, printed zero-padded to 6 digits
};

// 2..6 upper-case letters A-Z.
absl::Status ValidateSiteCode(std::string_view code);

// "PSL26-000123-K". InvalidArgument for a bad site code, year or sequence.
absl::StatusOr<std::string> FormatSampleId(const SampleId& id);

// True if the text has the shape of a minted id (any case). The check character is not verified:
// this decides which rules apply to a scanned code, not whether it is correct.
bool LooksLikeMintedId(std::string_view text);

// Parses a minted id in any case. InvalidArgument if the shape is wrong, the check character
// does not match (a mistyped or misread id) or the id is not written the way it is minted.
absl::StatusOr<SampleId> ParseSampleId(std::string_view text);

// A pre-printed tube code: 4..64 characters of A-Z a-z 0-9 - . _ /, and not shaped like a
// minted id (that shape is reserved so the two kinds can never collide).
absl::Status ValidatePreprintedBarcode(std::string_view code);

// `scanned` without surrounding white space (scanners add CR/LF/tab) and without an AIM
// symbology identifier some scanners put in front ("]d1", "]C0", "]Q1": ']', a letter, a letter
// or digit).
std::string_view WithoutSymbologyIdentifier(std::string_view scanned);

// The form under which a scanned code is stored and looked up: WithoutSymbologyIdentifier; a
// minted id upper-cased and its check character verified; a pre-printed code validated and
// otherwise returned unchanged (case is preserved: two codes differing only in case are two
// tubes). InvalidArgument for an empty or malformed code.
absl::StatusOr<std::string> CanonicalBarcode(std::string_view scanned);

}  // namespace lims

#endif  // LIMS_CORE_SAMPLE_ID_H_
