// Assertions on absl::Status / absl::StatusOr codes and messages, without gmock.
#ifndef LIMS_TESTS_SUPPORT_STATUS_MATCHERS_H_
#define LIMS_TESTS_SUPPORT_STATUS_MATCHERS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"

namespace lims::testing {

inline const absl::Status& StatusOf(const absl::Status& status) { return status; }

template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

inline ::testing::AssertionResult StatusHasCode(const char* expr, const char* /*code_expr*/,
                                                const absl::Status& status,
                                                absl::StatusCode code) {
  if (status.code() == code) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << expr << " returned " << status << ", expected code "
         << absl::StatusCodeToString(code);
}

inline ::testing::AssertionResult StatusHasCodeAndMessage(const char* expr, const char*,
                                                          const char*,
                                                          const absl::Status& status,
                                                          absl::StatusCode code,
                                                          const std::string& substring) {
  if (status.code() == code &&
      std::string(status.message()).find(substring) != std::string::npos) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << expr << " returned " << status << ", expected code "
         << absl::StatusCodeToString(code) << " with a message containing \"" << substring
         << "\"";
}

}  // namespace lims::testing

// EXPECT_STATUS_CODE(ParseX("bad"), absl::StatusCode::kInvalidArgument);
#define EXPECT_STATUS_CODE(expr, code) \
  EXPECT_PRED_FORMAT2(::lims::testing::StatusHasCode, ::lims::testing::StatusOf(expr), code)

// EXPECT_STATUS(ParseX("bad"), absl::StatusCode::kInvalidArgument, "part of the message");
#define EXPECT_STATUS(expr, code, substring)                                      \
  EXPECT_PRED_FORMAT3(::lims::testing::StatusHasCodeAndMessage,                  \
                      ::lims::testing::StatusOf(expr), code, std::string(substring))

#define EXPECT_OK(expr) EXPECT_STATUS_CODE(expr, absl::StatusCode::kOk)
#define ASSERT_OK(expr) \
  ASSERT_PRED_FORMAT2(::lims::testing::StatusHasCode, ::lims::testing::StatusOf(expr), \
                      absl::StatusCode::kOk)

#endif  // LIMS_TESTS_SUPPORT_STATUS_MATCHERS_H_
