// The packing list PDF: a real cairo PDF, a page per ~50 tubes, every tube's line in it.
#include "lims/labels/packing_list.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"

namespace lims::labels {
namespace {

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(PackingListTest, ManyTubes_RunOverSeveralPagesOfOnePdf) {
  PackingList list{"Packing list: shipment PSL-7", "Lyon Sud", "Packaging DRY_ICE", "Dispatched",
                   std::string(64, 'a'),           {}};
  const auto one = PackingListPdf(list);
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_EQ(one->rfind("%PDF-", 0), 0u);
  EXPECT_EQ(Count(*one, "/Type /Page\n") + Count(*one, "/Type /Page "), 1);
  for (int i = 0; i < 120; ++i) {
    list.lines.push_back({absl::StrCat("PSL26-", 100000 + i), "SER", "500 uL", "MATHEC-0042",
                          "CART-SLE M3", "B-1 A1"});
  }
  const auto many = PackingListPdf(list);
  ASSERT_TRUE(many.ok()) << many.status();
  EXPECT_GT(many->size(), one->size());
  // ~50 lines fit an A4 page under the particulars: 120 tubes take three pages.
  EXPECT_EQ(Count(*many, "/Type /Page\n") + Count(*many, "/Type /Page "), 3) << many->size();
}

}  // namespace
}  // namespace lims::labels
