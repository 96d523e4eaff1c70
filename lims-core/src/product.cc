#include "lims/core/product.h"

#include <array>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "lims/core/check_character.h"
#include "text.h"

namespace lims {
namespace {

using S = ProductStatus;
using C = CustodyStep;

template <typename E, size_t N>
absl::StatusOr<E> ParseCode(const std::array<std::pair<E, const char*>, N>& table,
                            std::string_view code, const char* what) {
  const std::string upper = text::ToUpper(text::Trim(code));
  for (const auto& [value, name] : table) {
    if (upper == name) return value;
  }
  std::string names;
  for (const auto& [value, name] : table) names += (names.empty() ? "" : ", ") + std::string(name);
  return absl::InvalidArgumentError(
      absl::StrFormat("unknown %s %s; one of: %s", what, text::Quoted(code), names));
}

template <typename E, size_t N>
std::string_view CodeOf(const std::array<std::pair<E, const char*>, N>& table, E value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "?";
}

constexpr std::array<std::pair<ProductKind, const char*>, 5> kKinds = {{
    {ProductKind::kApheresis, "APHERESIS"},
    {ProductKind::kHsc, "HSC"},
    {ProductKind::kMsc, "MSC"},
    {ProductKind::kCarT, "CAR_T"},
    {ProductKind::kOther, "OTHER"},
}};

constexpr std::array<std::pair<ProductStatus, const char*>, 11> kStatuses = {{
    {S::kCollected, "COLLECTED"},
    {S::kExpected, "EXPECTED"},
    {S::kShipped, "SHIPPED"},
    {S::kReceived, "RECEIVED"},
    {S::kStored, "STORED"},
    {S::kThawed, "THAWED"},
    {S::kIssuePending, "ISSUE_PENDING"},
    {S::kIssued, "ISSUED"},
    {S::kInfused, "INFUSED"},
    {S::kReturned, "RETURNED"},
    {S::kDiscarded, "DISCARDED"},
}};

constexpr std::array<std::pair<CustodyStep, const char*>, 13> kSteps = {{
    {C::kCollected, "COLLECTED"},
    {C::kRegistered, "REGISTERED"},
    {C::kShipped, "SHIPPED_TO_MANUFACTURER"},
    {C::kReceived, "RECEIVED"},
    {C::kReceiptRefused, "RECEIPT_REFUSED"},
    {C::kStored, "STORED"},
    {C::kThawed, "THAWED"},
    {C::kIssued, "ISSUED"},
    {C::kIssueRefused, "ISSUE_REFUSED"},
    {C::kIssueConfirmed, "ISSUE_CONFIRMED"},
    {C::kInfused, "INFUSED"},
    {C::kReturned, "RETURNED"},
    {C::kDiscarded, "DISCARDED"},
}};

// Which statuses each step may start from, and where it leads.
struct Move {
  CustodyStep step;
  std::vector<ProductStatus> from;
  ProductStatus to;
  const char* what_to_do;  // when refused
};

const std::vector<Move>& Moves() {
  static const auto* moves = new std::vector<Move>{
      {C::kShipped,
       {S::kCollected, S::kReceived, S::kStored},
       S::kShipped,
       "only material at the site can be shipped"},
      {C::kReceived,
       {S::kShipped, S::kExpected},
       S::kReceived,
       "only a shipped or expected bag can be received"},
      {C::kStored,
       {S::kCollected, S::kReceived, S::kReturned},
       S::kStored,
       "store a bag when it is collected, received or returned; a thawed bag is never frozen "
       "again"},
      {C::kThawed, {S::kStored}, S::kThawed, "only a stored bag can be thawed"},
      {C::kIssued,
       {S::kThawed, S::kReceived},
       S::kIssuePending,
       "issue a bag once it is received (fresh) or thawed"},
      {C::kIssueConfirmed,
       {S::kIssuePending},
       S::kIssued,
       "only an issue awaiting its second check can be confirmed"},
      {C::kInfused,
       {S::kIssued},
       S::kInfused,
       "record the infusion after the issue is confirmed by a second person"},
      {C::kReturned,
       {S::kIssuePending, S::kIssued},
       S::kReturned,
       "only an issued bag can be returned"},
      {C::kDiscarded,
       {S::kCollected, S::kExpected, S::kShipped, S::kReceived, S::kStored, S::kThawed,
        S::kIssuePending, S::kIssued, S::kReturned},
       S::kDiscarded,
       "an infused or discarded bag cannot be discarded"},
  };
  return *moves;
}

}  // namespace

std::string_view ProductKindCode(ProductKind kind) { return CodeOf(kKinds, kind); }
std::string_view ProductStatusCode(ProductStatus status) { return CodeOf(kStatuses, status); }
std::string_view CustodyStepCode(CustodyStep step) { return CodeOf(kSteps, step); }
absl::StatusOr<ProductKind> ParseProductKindCode(std::string_view code) {
  return ParseCode(kKinds, code, "product kind");
}
absl::StatusOr<ProductStatus> ParseProductStatusCode(std::string_view code) {
  return ParseCode(kStatuses, code, "product status");
}
absl::StatusOr<CustodyStep> ParseCustodyStepCode(std::string_view code) {
  return ParseCode(kSteps, code, "custody event");
}

std::string ProductStatusWords(ProductStatus status) {
  std::string words = text::ToLower(ProductStatusCode(status));
  for (char& c : words) {
    if (c == '_') c = ' ';
  }
  return words;
}

ProductStatus InitialStatus(ProductKind kind) {
  return kind == ProductKind::kApheresis ? S::kCollected : S::kExpected;
}

absl::StatusOr<ProductStatus> NextStatus(ProductStatus from, CustodyStep step,
                                         std::string_view din) {
  if (step == C::kReceiptRefused || step == C::kIssueRefused) return from;
  for (const Move& m : Moves()) {
    if (m.step != step) continue;
    for (ProductStatus allowed : m.from) {
      if (allowed == from) return m.to;
    }
    return absl::FailedPreconditionError(
        absl::StrFormat("DIN %s is %s: %s", din, ProductStatusWords(from), m.what_to_do));
  }
  return absl::InvalidArgumentError(
      absl::StrFormat("%s is not recorded by hand", text::ToLower(CustodyStepCode(step))));
}

std::string FormatCoi(std::string_view site_code, int64_t number) {
  const std::string site = text::ToUpper(site_code);
  const std::string digits = absl::StrFormat("%06d", number);
  const auto check = Mod37_2CheckCharacter("COI" + site + digits);
  return absl::StrFormat("COI-%s-%s-%c", site, digits, check.ok() ? *check : '?');
}

absl::StatusOr<std::string> ParseCoi(std::string_view text) {
  const std::string s = text::ToUpper(text::Trim(text));
  const size_t first = s.find('-'), second = s.find('-', first + 1),
               third = s.find('-', second == std::string::npos ? second : second + 1);
  bool shaped = s.rfind("COI-", 0) == 0 && second != std::string::npos &&
                third != std::string::npos && third + 2 == s.size();
  std::string payload;
  if (shaped) {
    const std::string site = s.substr(first + 1, second - first - 1);
    const std::string digits = s.substr(second + 1, third - second - 1);
    shaped = !site.empty() && text::AllDigits(digits) && digits.size() >= 6;
    for (char c : site) shaped = shaped && text::IsUpper(c);
    payload = "COI" + site + digits + s.back();
  }
  if (!shaped) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s is not a chain-of-identity id (COI-SITE-NNNNNN-C, e.g. COI-PSL-000042-K)",
        text::Quoted(std::string(text::Trim(text).substr(0, 64)))));
  }
  if (!Mod37_2IsValid(payload)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("COI %s has a wrong check character: it was mistyped or misread", s));
  }
  return s;
}

}  // namespace lims
