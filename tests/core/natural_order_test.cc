#include "lims/core/natural_order.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace lims {
namespace {

TEST(NaturalOrderTest, NumbersCompareAsNumbers) {
  EXPECT_TRUE(NaturalLess("R2", "R10"));
  EXPECT_FALSE(NaturalLess("R10", "R2"));
  EXPECT_TRUE(NaturalLess("B-9", "B-10"));
  EXPECT_TRUE(NaturalLess("Site PSL / Freezer 3 / Rack R2 / Box B-10",
                          "Site PSL / Freezer 3 / Rack R10 / Box B-1"));
  EXPECT_TRUE(NaturalLess("box 99999999999999999999", "box 100000000000000000000"));
}

TEST(NaturalOrderTest, IsATotalOrder) {
  EXPECT_FALSE(NaturalLess("R2", "R2"));
  EXPECT_TRUE(NaturalLess("R7", "R007"));  // the same number: fewer zeros first, never equal
  EXPECT_FALSE(NaturalLess("R007", "R7"));
  EXPECT_TRUE(NaturalLess("a", "B"));  // letter case second
  EXPECT_TRUE(NaturalLess("B", "b"));
  EXPECT_TRUE(NaturalLess("R", "R1"));
  EXPECT_TRUE(NaturalLess("", "0"));
}

TEST(NaturalOrderTest, SortsRackAndBoxNamesAsPeopleReadThem) {
  std::vector<std::string> names = {"B-10", "B-9",     "B-1",    "b-2",     "B-100",
                                    "B-02", "R1/B-10", "R1/B-9", "R10/B-1", "R2/B-1"};
  std::mt19937 random(7);
  std::shuffle(names.begin(), names.end(), random);
  std::sort(names.begin(), names.end(),
            [](const std::string& a, const std::string& b) { return NaturalLess(a, b); });
  // The same number: the letter case does not matter first, fewer zeros do.
  EXPECT_EQ(names, (std::vector<std::string>{"B-1", "b-2", "B-02", "B-9", "B-10", "B-100", "R1/B-9",
                                             "R1/B-10", "R2/B-1", "R10/B-1"}));
}

}  // namespace
}  // namespace lims
