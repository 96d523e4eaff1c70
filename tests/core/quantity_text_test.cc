#include "lims/core/quantity_text.h"

#include <gtest/gtest.h>

namespace lims {
namespace {

void ExpectParsed(const char* text, double value, const char* unit) {
  auto q = ParseQuantityText(text);
  ASSERT_TRUE(q.ok()) << text << ": " << q.status();
  EXPECT_DOUBLE_EQ(q->value, value) << text;
  EXPECT_EQ(q->unit, unit) << text;
}

TEST(QuantityTextTest, TheWaysPeopleWriteQuantities) {
  ExpectParsed("4mL", 4, "mL");
  ExpectParsed(" 4 mL ", 4, "mL");
  ExpectParsed("0,5 mL", 0.5, "mL");
  ExpectParsed("500\xC2\xB5L", 500, "uL");
  ExpectParsed("500\xCE\xBCL", 500, "uL");
  ExpectParsed("500 ul", 500, "uL");
  ExpectParsed("2e6cells", 2e6, "cells");
  ExpectParsed("1 cell", 1, "cells");
  ExpectParsed("3 count", 3, "count");
  EXPECT_EQ(ParseQuantityText("4mL")->quantity.canonical_amount(), 4'000'000);
}

TEST(QuantityTextTest, RefusesWithWhatToDo) {
  for (const char* bad : {"", "mL", "-4 mL", "0 mL", "4", "4 ML", "4 mLs", "1,000 mL", "1e9999 L",
                          "0.0000001 uL", "1.5 cells"}) {
    auto q = ParseQuantityText(bad);
    EXPECT_FALSE(q.ok()) << bad;
    EXPECT_EQ(q.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_FALSE(q.status().message().empty()) << bad;
  }
  EXPECT_NE(ParseQuantityText("4 ML").status().message().find("megalitres"), std::string::npos);
}

}  // namespace
}  // namespace lims
