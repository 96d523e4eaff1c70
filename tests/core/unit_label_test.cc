#include "lims/core/unit_label.h"

#include <gtest/gtest.h>

namespace lims {
namespace {

TEST(UnitLabelTest, TheCodePrintedIsTheCodeRead) {
  EXPECT_EQ(UnitLabelCode(12), "BOX-12");
  EXPECT_EQ(*ParseUnitLabelCode("BOX-12"), 12);
  EXPECT_EQ(*ParseUnitLabelCode("  box-0012\r\n"), 12);
}

TEST(UnitLabelTest, AnythingElse_IsRefusedWithWhatALabelLooksLike) {
  for (const char* bad : {"", "BOX-", "BOX-0", "BOX--3", "BOX-12A", "BOX-+5", "PSL26-000123",
                          "BOX-99999999999999999999", "12"}) {
    const auto id = ParseUnitLabelCode(bad);
    ASSERT_FALSE(id.ok()) << bad;
    EXPECT_EQ(id.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(id.status().message().find("BOX-<number>"), std::string::npos);
  }
}

}  // namespace
}  // namespace lims
