// Assertions on gRPC statuses: the specific code and a fragment of the message a person reads.
#ifndef LIMS_TESTS_SUPPORT_GRPC_STATUS_MATCHERS_H_
#define LIMS_TESTS_SUPPORT_GRPC_STATUS_MATCHERS_H_

#include <grpcpp/support/status.h>
#include <gtest/gtest.h>

#include <string>

// LIMS_EXPECT_GRPC(stub->Call(...), grpc::StatusCode::NOT_FOUND, "B-0042");
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

#endif  // LIMS_TESTS_SUPPORT_GRPC_STATUS_MATCHERS_H_
