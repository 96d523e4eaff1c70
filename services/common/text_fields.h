// Checks for free-text and code fields coming from clients, with messages naming the field.
#ifndef LIMS_SERVICES_COMMON_TEXT_FIELDS_H_
#define LIMS_SERVICES_COMMON_TEXT_FIELDS_H_

#include <cstddef>
#include <string_view>

#include "absl/strings/string_view.h"
#include "absl/status/status.h"

namespace lims::services {

// Free text (names, reasons): valid UTF-8 is not checked here, but control characters (NUL
// included) are refused and the length is bounded. `required`: empty is refused.
absl::Status CheckText(absl::string_view value, absl::string_view field, size_t max_length,
                       bool required);

// Identifiers people type or scan (registry ids, protocol codes): 1..max_length characters of
// A-Z a-z 0-9 . _ -
absl::Status CheckCode(absl::string_view value, absl::string_view field, size_t max_length);

}  // namespace lims::services

#endif  // LIMS_SERVICES_COMMON_TEXT_FIELDS_H_
