// The few status assertions the tests need: each checks the *specific* code, never just "not ok".
#ifndef LIMS_TESTS_SUPPORT_STATUS_MATCHERS_H_
#define LIMS_TESTS_SUPPORT_STATUS_MATCHERS_H_

#include <grpcpp/support/status.h>
#include <gtest/gtest.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace lims::testing {

inline const absl::Status& GetStatus(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& s) {
  return s.status();
}

}  // namespace lims::testing

#define LIMS_EXPECT_OK(expr)                                           \
  do {                                                                 \
    const ::absl::Status lims_s_ = ::lims::testing::GetStatus(expr);            \
    EXPECT_TRUE(lims_s_.ok()) << lims_s_;                              \
  } while (0)
#define LIMS_ASSERT_OK(expr)                                           \
  do {                                                                 \
    const ::absl::Status lims_s_ = ::lims::testing::GetStatus(expr);            \
    ASSERT_TRUE(lims_s_.ok()) << lims_s_;                              \
  } while (0)
#define LIMS_EXPECT_CODE(expr, expected_code)                                   \
  do {                                                                 \
    const ::absl::Status lims_s_ = ::lims::testing::GetStatus(expr);            \
    EXPECT_EQ(lims_s_.code(), expected_code) << lims_s_;                        \
  } while (0)

// gRPC statuses: code and a fragment the message must contain.
#define LIMS_EXPECT_GRPC(status, expected_code, fragment)                              \
  do {                                                                                 \
    const ::grpc::Status& lims_g_ = (status);                                          \
    EXPECT_EQ(lims_g_.error_code(), expected_code) << lims_g_.error_message();         \
    EXPECT_NE(lims_g_.error_message().find(fragment), std::string::npos)               \
        << "message: " << lims_g_.error_message();                                     \
  } while (0)
#define LIMS_ASSERT_GRPC_OK(status)                                                    \
  do {                                                                                 \
    const ::grpc::Status& lims_g_ = (status);                                          \
    ASSERT_TRUE(lims_g_.ok()) << lims_g_.error_code() << ": " << lims_g_.error_message(); \
  } while (0)

#endif  // LIMS_TESTS_SUPPORT_STATUS_MATCHERS_H_
