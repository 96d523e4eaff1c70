// How long a login must wait after wrong passwords in a row (per user name and per client
// address): free for the first few typing errors, then doubling, capped, forgotten after a day.
#ifndef LIMS_CORE_LOGIN_THROTTLE_H_
#define LIMS_CORE_LOGIN_THROTTLE_H_

#include <cstdint>

#include "absl/time/time.h"

namespace lims {

inline constexpr int64_t kFreeLoginFailures = 4;

// Zero when a login may be tried now; else how long until it may.
absl::Duration LoginWait(int64_t failures, absl::Time last_failed_at, absl::Time now);

}  // namespace lims

#endif  // LIMS_CORE_LOGIN_THROTTLE_H_
