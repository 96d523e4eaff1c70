// The one table that says which roles may call which RPC. Deny by default: an RPC missing here
// is refused for everyone (and a test walks the proto descriptors to keep the table complete).
#ifndef LIMS_SERVICES_COMMON_ACCESS_POLICY_H_
#define LIMS_SERVICES_COMMON_ACCESS_POLICY_H_

#include <map>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "lims/core/access.h"

namespace lims::services {

// Full method name ("lims.v1.SampleService.ResolveBarcode") → roles allowed to call it.
const std::map<std::string, std::set<Role>>& AccessPolicy();

// The methods callable without a token (Login); the gate's Unauthenticated path, never Admit.
const std::set<std::string>& OpenMethods();

// PERMISSION_DENIED unless the principal's role may call `method`.
absl::Status Authorize(const Principal& principal, const std::string& method);

// Options of an RPC that need a narrower role than the RPC itself, by "<method> <option>"
// ("lims.v1.ScanService.ScanBox apply"): PERMISSION_DENIED unless the role is listed.
absl::Status AuthorizeOption(const Principal& principal, const std::string& method,
                             const std::string& option);

}  // namespace lims::services

#endif  // LIMS_SERVICES_COMMON_ACCESS_POLICY_H_
