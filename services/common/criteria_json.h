// A request's criteria as stored with it (JSON): written when it is submitted, read back to
// approve it and whenever what it needs must be known (a consent withdrawn).
#ifndef LIMS_SERVICES_COMMON_CRITERIA_JSON_H_
#define LIMS_SERVICES_COMMON_CRITERIA_JSON_H_

#include <string>

#include "absl/status/statusor.h"
#include "lims/core/request_selection.h"

namespace lims::services {

std::string CriteriaJson(const RequestCriteria& criteria);
// INTERNAL for text this server did not write.
absl::StatusOr<RequestCriteria> CriteriaFromJson(const std::string& json);

}  // namespace lims::services

#endif  // LIMS_SERVICES_COMMON_CRITERIA_JSON_H_
