#include "lims/core/net_address.h"

#include "gtest/gtest.h"
#include "status_matchers.h"

namespace lims {
namespace {

TEST(IsLoopbackAddress, LoopbackOnly) {
  EXPECT_TRUE(IsLoopbackAddress("127.0.0.1:50051"));
  EXPECT_TRUE(IsLoopbackAddress("127.8.9.10:1"));
  EXPECT_TRUE(IsLoopbackAddress("[::1]:50051"));
  EXPECT_TRUE(IsLoopbackAddress("::1"));
  EXPECT_TRUE(IsLoopbackAddress("localhost:50051"));
  EXPECT_FALSE(IsLoopbackAddress("10.0.0.5:50051"));
  EXPECT_FALSE(IsLoopbackAddress("127.example.org:50051"));
  EXPECT_FALSE(IsLoopbackAddress("lims.example:50051"));
}

TEST(IsAddressIn, AddressesInsideTheNetworksOnly) {
  auto networks = ParseNetworks("10.4.0.0/16, 192.168.7.12, fd00::/8");
  ASSERT_OK(networks);
  EXPECT_TRUE(IsAddressIn("10.4.200.1", *networks));
  EXPECT_FALSE(IsAddressIn("10.5.0.1", *networks));
  EXPECT_TRUE(IsAddressIn("192.168.7.12", *networks));
  EXPECT_FALSE(IsAddressIn("192.168.7.13", *networks));
  EXPECT_TRUE(IsAddressIn("fd12::1", *networks));
  EXPECT_TRUE(IsAddressIn("[fd12::1]", *networks));
  EXPECT_FALSE(IsAddressIn("fe80::1", *networks));
  // A name is never inside: it could resolve anywhere, at any time.
  EXPECT_FALSE(IsAddressIn("zebra.lab.example", *networks));
  EXPECT_FALSE(IsAddressIn("127.0.0.1", *networks));
  EXPECT_FALSE(IsAddressIn("10.4.0.1", {}));
}

TEST(ParseNetworks, BadNetworksAreNamed) {
  EXPECT_TRUE(ParseNetworks("")->empty());
  EXPECT_STATUS(ParseNetworks("10.4.0.0/16,10.4.0.0/33"), absl::StatusCode::kInvalidArgument,
                "'10.4.0.0/33' is not a network");
  EXPECT_STATUS(ParseNetworks("printers"), absl::StatusCode::kInvalidArgument, "'printers'");
  EXPECT_STATUS(ParseNetworks("fd00::/129"), absl::StatusCode::kInvalidArgument, "fd00::/129");
}

}  // namespace
}  // namespace lims
