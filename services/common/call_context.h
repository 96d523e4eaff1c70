// Who is calling, with which request_id, and when: established once per call by the CallGate.
#ifndef LIMS_SERVICES_COMMON_CALL_CONTEXT_H_
#define LIMS_SERVICES_COMMON_CALL_CONTEXT_H_

#include <string>

#include "absl/time/time.h"
#include "lims/core/access.h"

namespace lims::services {

struct CallContext {
  Principal principal;
  std::string actor;  // the principal's username, as recorded in the audit trail
  std::string request_id;
  absl::Time now;
  // Set while acting on someone else's word (an imported manifest: its signer); every audit
  // event of the call records it beside the actor.
  std::string vouched_by;
};

}  // namespace lims::services

#endif  // LIMS_SERVICES_COMMON_CALL_CONTEXT_H_
