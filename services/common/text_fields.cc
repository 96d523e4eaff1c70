#include "text_fields.h"

#include "absl/strings/string_view.h"
#include "absl/strings/str_cat.h"

namespace lims::services {

absl::Status CheckText(absl::string_view value, absl::string_view field, size_t max_length,
                       bool required) {
  if (required && value.empty()) return absl::InvalidArgumentError(absl::StrCat(field, " is required"));
  if (value.size() > max_length) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " is too long (", value.size(), " bytes; at most ", max_length, ")"));
  }
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, " contains a control character (byte ", static_cast<int>(u),
                       "); remove it"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckCode(absl::string_view value, absl::string_view field, size_t max_length) {
  if (value.empty()) return absl::InvalidArgumentError(absl::StrCat(field, " is required"));
  if (value.size() > max_length) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " is too long (at most ", max_length, " characters)"));
  }
  for (char c : value) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, " '", value, "' may contain only letters, digits, '.', '_' and '-'"));
    }
  }
  return absl::OkStatus();
}

}  // namespace lims::services
