#include "lims/core/sprec.h"

#include <array>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "lims/core/sample_rules.h"
#include "text.h"

namespace lims {
namespace {

// SPREC 2.0 types of primary container for fluids.
constexpr std::array<const char*, 26> kContainers = {
    "ACD", "ADD", "CAT", "CPD", "CPT", "EDG", "HEP", "HIR", "LHG", "ORG", "PAX", "PED", "PET",
    "PI1", "PIX", "PPS", "PXD", "PXR", "SCI", "SHP", "SPO", "SST", "TEM", "TRC", "XXX", "ZZZ"};

// Elements 3 to 6 (delays and centrifugations) use A..N, X (unknown) and Z (other).
bool IsProcessingLetter(char c) { return (c >= 'A' && c <= 'N') || c == 'X' || c == 'Z'; }

constexpr std::array<const char*, 4> kProcessingElements = {
    "pre-centrifugation", "centrifugation", "second centrifugation", "post-centrifugation"};

struct DelayClass {
  absl::Duration below;  // the class holds delays shorter than this
  char room, refrigerated;
  const char* label;
};

const std::array<DelayClass, 7>& DelayClasses() {
  static const std::array<DelayClass, 7> classes = {{
      {absl::Hours(2), 'A', 'B', "< 2 h"},
      {absl::Hours(4), 'C', 'D', "2–4 h"},
      {absl::Hours(8), 'E', 'F', "4–8 h"},
      {absl::Hours(12), 'G', 'H', "8–12 h"},
      {absl::Hours(24), 'I', 'J', "12–24 h"},
      {absl::Hours(48), 'K', 'L', "24–48 h"},
      {absl::InfiniteDuration(), 'M', 'N', "> 48 h"},
  }};
  return classes;
}

absl::Status BadCode(std::string_view text, std::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(
      "SPREC code ", text::Quoted(text), " ", std::string(why),
      "; a fluid SPREC code has seven elements, e.g. SER-SST-A-D-N-A-B (X = unknown)"));
}

}  // namespace

std::string SprecCode::ToString() const {
  return absl::StrCat(sample_type, "-", container, "-", std::string(1, pre_centrifugation), "-",
                      std::string(1, centrifugation), "-", std::string(1, second_centrifugation),
                      "-", std::string(1, post_centrifugation), "-",
                      std::string(1, long_term_storage));
}

absl::StatusOr<SprecCode> ParseSprec(std::string_view input) {
  // A code is 17 characters; anything much longer is not one (and is not split into pieces).
  if (input.size() > 64) return BadCode(input, "is far too long");
  const std::string upper = text::ToUpper(text::Trim(input));
  const std::vector<std::string> parts = absl::StrSplit(upper, '-');
  if (parts.size() != 7) {
    return BadCode(input, absl::StrCat("has ", parts.size(), " elements"));
  }
  SprecCode code;
  if (!ValidateSampleType(parts[0]).ok()) {
    return BadCode(input, absl::StrCat("starts with ", text::Quoted(parts[0]),
                                       ", which is not a sample type code (e.g. SER, PL1)"));
  }
  code.sample_type = parts[0];
  bool known_container = false;
  for (const char* c : kContainers) known_container = known_container || parts[1] == c;
  if (!known_container) {
    return BadCode(input, absl::StrCat("has the primary container ", text::Quoted(parts[1]),
                                       ", which is not in the SPREC list (",
                                       absl::StrJoin(kContainers, ", "), ")"));
  }
  code.container = parts[1];
  char* letters[] = {&code.pre_centrifugation, &code.centrifugation, &code.second_centrifugation,
                     &code.post_centrifugation, &code.long_term_storage};
  for (size_t i = 0; i < 5; ++i) {
    const std::string& part = parts[i + 2];
    const bool is_letter = part.size() == 1 && text::IsUpper(part[0]);
    if (i < kProcessingElements.size()) {
      if (!is_letter || !IsProcessingLetter(part[0])) {
        return BadCode(input, absl::StrCat("has ", text::Quoted(part), " as its ",
                                           kProcessingElements[i],
                                           " element, which must be one letter A-N, X or Z"));
      }
    } else if (!is_letter) {
      return BadCode(input, absl::StrCat("has ", text::Quoted(part),
                                         " as its long-term storage element, which must be one "
                                         "letter"));
    }
    *letters[i] = part[0];
  }
  return code;
}

absl::StatusOr<SprecCode> ParseSprecFor(std::string_view input, std::string_view sample_type) {
  absl::StatusOr<SprecCode> code = ParseSprec(input);
  if (!code.ok()) return code.status();
  if (code->sample_type != sample_type) {
    return absl::InvalidArgumentError(absl::StrCat(
        "SPREC code ", text::Quoted(input), " is for sample type ", code->sample_type,
        " but the tube holds ", std::string(sample_type), "; its first element must be ",
        std::string(sample_type)));
  }
  return code;
}

SprecCode UnknownSprec(std::string_view sample_type) {
  SprecCode code;
  code.sample_type = std::string(sample_type);
  return code;
}

SprecCode DerivedSprec(const SprecCode& parent, std::string_view child_type) {
  SprecCode child = parent;
  child.sample_type = std::string(child_type);
  return child;
}

absl::StatusOr<char> PreCentrifugationElement(absl::Duration delay, HoldingTemperature held_at) {
  if (delay < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "processing cannot start before the tube was collected (", absl::FormatDuration(-delay),
        " earlier); check the time entered and the tube's collection time"));
  }
  for (const DelayClass& c : DelayClasses()) {
    if (delay < c.below) return held_at == HoldingTemperature::kRoom ? c.room : c.refrigerated;
  }
  return absl::InternalError("unreachable: the last delay class is unbounded");
}

std::string_view DescribePreCentrifugation(char element) {
  static const std::array<std::string, 14> descriptions = [] {
    std::array<std::string, 14> out;
    size_t i = 0;
    for (const DelayClass& c : DelayClasses()) {
      out[i++] = absl::StrCat("RT, ", c.label);
      out[i++] = absl::StrCat("2–10 °C, ", c.label);
    }
    return out;
  }();
  if (element >= 'A' && element <= 'N') return descriptions[static_cast<size_t>(element - 'A')];
  if (element == 'X') return "unknown";
  if (element == 'Z') return "other";
  return "";
}

}  // namespace lims
