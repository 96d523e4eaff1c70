// Who is calling and which sites they may see. The per-RPC role policy lives with the services
// (it is keyed by RPC names); the site rule is domain and lives here.
#ifndef LIMS_CORE_ACCESS_H_
#define LIMS_CORE_ACCESS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace lims {

enum class Role { kTechnician, kManager, kResearcher, kCoordinator, kAdmin };

// "technician", "manager", "researcher", "coordinator", "admin".
std::string_view RoleName(Role role);
absl::StatusOr<Role> ParseRoleName(std::string_view name);

// An authenticated user.
struct Principal {
  int64_t user_id = 0;
  std::string username;
  Role role = Role::kResearcher;
  std::vector<int64_t> site_ids;  // ignored for admins: they work at every site
};

bool CanAccessSite(const Principal& principal, int64_t site_id);

// PERMISSION_DENIED naming `what` (e.g. "sample PSL26-000001-3") unless the principal works at
// the site.
absl::Status RequireSite(const Principal& principal, int64_t site_id, std::string_view what);

}  // namespace lims

#endif  // LIMS_CORE_ACCESS_H_
