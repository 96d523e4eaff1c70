#include "lims/core/json_shape.h"

#include <string>

#include "gtest/gtest.h"
#include "status_matchers.h"

namespace lims {
namespace {

constexpr absl::StatusCode kInvalid = absl::StatusCode::kInvalidArgument;

TEST(CheckJsonShape, OrdinaryDocumentsPass) {
  EXPECT_OK(CheckJsonShape(R"({"a": [1, {"b": [2, 3]}], "c": "x"})", {}, "the manifest"));
  EXPECT_OK(CheckJsonShape("", {}, "the manifest"));
}

TEST(CheckJsonShape, DeepNesting_RefusedWithTheLimit) {
  const std::string deep = std::string(1'000'000, '[') + std::string(1'000'000, ']');
  EXPECT_STATUS(CheckJsonShape(deep, {}, "manifest_json"), kInvalid,
                "manifest_json nests arrays or objects more than 32 deep");
  JsonLimits three;
  three.max_depth = 3;
  EXPECT_OK(CheckJsonShape(R"({"a": {"b": [1]}})", three, "x"));
  EXPECT_STATUS(CheckJsonShape(R"({"a": {"b": [[1]]}})", three, "x"), kInvalid, "3 deep");
}

TEST(CheckJsonShape, BracketsInsideStringsDoNotCount) {
  JsonLimits two;
  two.max_depth = 2;
  EXPECT_OK(CheckJsonShape(R"({"a": "[[[[{{{{", "b": ["\"[[[", "\\"]})", two, "x"));
  // An escaped backslash ends the escape: the quote after it closes the string.
  EXPECT_STATUS(CheckJsonShape(R"({"a": "\\", "b": [[[1]]]})", two, "x"), kInvalid, "2 deep");
}

TEST(CheckJsonShape, TooManyBytes_Refused) {
  JsonLimits small;
  small.max_bytes = 10;
  EXPECT_STATUS(CheckJsonShape(R"({"a": "0123456789"})", small, "the criteria"), kInvalid,
                "the criteria has 19 bytes; at most 10");
}

}  // namespace
}  // namespace lims
