#include "lims/core/access.h"

#include <algorithm>

#include "absl/strings/str_format.h"

namespace lims {
namespace {

constexpr std::pair<Role, std::string_view> kRoles[] = {
    {Role::kTechnician, "technician"}, {Role::kManager, "manager"},
    {Role::kResearcher, "researcher"}, {Role::kCoordinator, "coordinator"},
    {Role::kAdmin, "admin"},
};

}  // namespace

std::string_view RoleName(Role role) {
  for (const auto& [r, name] : kRoles) {
    if (r == role) return name;
  }
  return "unknown";
}

absl::StatusOr<Role> ParseRoleName(std::string_view name) {
  for (const auto& [r, known] : kRoles) {
    if (known == name) return r;
  }
  return absl::InvalidArgumentError(absl::StrFormat(
      "role '%s' is unknown; use technician, manager, researcher, coordinator or admin",
      std::string(name)));
}

bool CanAccessSite(const Principal& principal, int64_t site_id) {
  if (principal.role == Role::kAdmin) return true;
  return std::find(principal.site_ids.begin(), principal.site_ids.end(), site_id) !=
         principal.site_ids.end();
}

absl::Status RequireSite(const Principal& principal, int64_t site_id, std::string_view what) {
  if (CanAccessSite(principal, site_id)) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrFormat("%s belongs to a site that user %s does not work for", std::string(what),
                      principal.username));
}

}  // namespace lims
