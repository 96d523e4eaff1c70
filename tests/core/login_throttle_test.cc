#include "lims/core/login_throttle.h"

#include <gtest/gtest.h>

namespace lims {
namespace {

const absl::Time kLast = absl::FromUnixSeconds(1'800'000'000);

TEST(LoginThrottleTest, TypingErrorsCostNothing) {
  for (int64_t failures = 0; failures <= kFreeLoginFailures; ++failures) {
    EXPECT_EQ(LoginWait(failures, kLast, kLast), absl::ZeroDuration()) << failures;
  }
}

TEST(LoginThrottleTest, EachFurtherFailureDoublesTheWait) {
  EXPECT_EQ(LoginWait(kFreeLoginFailures + 1, kLast, kLast), absl::Seconds(2));
  EXPECT_EQ(LoginWait(kFreeLoginFailures + 2, kLast, kLast), absl::Seconds(4));
  EXPECT_EQ(LoginWait(kFreeLoginFailures + 3, kLast, kLast + absl::Seconds(3)), absl::Seconds(5));
  EXPECT_EQ(LoginWait(kFreeLoginFailures + 3, kLast, kLast + absl::Seconds(8)),
            absl::ZeroDuration());
}

TEST(LoginThrottleTest, TheWaitIsCappedAndForgottenAfterADay) {
  EXPECT_EQ(LoginWait(1000, kLast, kLast), absl::Minutes(15));
  EXPECT_EQ(LoginWait(1000, kLast, kLast + absl::Hours(25)), absl::ZeroDuration());
}

}  // namespace
}  // namespace lims
