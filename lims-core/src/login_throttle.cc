#include "lims/core/login_throttle.h"

#include <algorithm>

namespace lims {

absl::Duration LoginWait(int64_t failures, absl::Time last_failed_at, absl::Time now) {
  if (failures <= kFreeLoginFailures || now - last_failed_at > absl::Hours(24)) {
    return absl::ZeroDuration();
  }
  // 2 s after the 5th wrong password, 4 s after the 6th, ... at most 15 minutes.
  const int64_t doublings = std::min<int64_t>(failures - kFreeLoginFailures, 20);
  const absl::Duration delay =
      std::min(absl::Seconds(int64_t{1} << doublings), absl::Minutes(15));
  const absl::Time allowed_at = last_failed_at + delay;
  return allowed_at > now ? allowed_at - now : absl::ZeroDuration();
}

}  // namespace lims
