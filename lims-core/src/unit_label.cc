#include "lims/core/unit_label.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace lims {
namespace {
constexpr absl::string_view kPrefix = "BOX-";
}

std::string UnitLabelCode(int64_t unit_id) { return absl::StrCat(kPrefix, unit_id); }

absl::StatusOr<int64_t> ParseUnitLabelCode(std::string_view scanned) {
  const absl::string_view code =
      absl::StripAsciiWhitespace(absl::string_view(scanned.data(), scanned.size()));
  int64_t id = 0;
  if (!absl::StartsWithIgnoreCase(code, "BOX-") ||
      !absl::SimpleAtoi(code.substr(kPrefix.size()), &id) || id <= 0 ||
      code.substr(kPrefix.size()).find_first_not_of("0123456789") != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", std::string(code.substr(0, 40)),
                     "\" is not a storage unit's label (BOX-<number>): scan the label on the "
                     "rack or box"));
  }
  return id;
}

}  // namespace lims
