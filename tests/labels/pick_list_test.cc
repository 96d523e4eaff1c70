// The evacuation pick list PDF: one line per unit in the order given, over as many pages as it
// needs, read back with pdftotext (poppler), the way a person reads the printout.
#include "lims/labels/pick_list.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "absl/strings/str_cat.h"

namespace lims::labels {
namespace {

std::string TextOf(const std::string& pdf) {
  const std::string path = ::testing::TempDir() + "/pick_list.pdf";
  std::ofstream(path, std::ios::binary) << pdf;
  std::string text;
  FILE* pipe = popen(("pdftotext -layout " + path + " -").c_str(), "r");
  if (pipe == nullptr) return text;
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) text.append(buffer, n);
  pclose(pipe);
  return text;
}

TEST(PickListTest, EveryUnitInOrder_WithItsCountsAndTicks_OverSeveralPages) {
  PickList list{"Evacuation plan 3",
                "PSL / Room 1 / F-01",
                "PSL / Room 1 / F-02",
                "planned 2026-12-05 03:10 UTC by manager",
                {}};
  for (int i = 0; i < 70; ++i) {
    list.lines.push_back({absl::StrCat("BOX-", 100 + i, " Box ", i),
                          "PSL / Room 1 / F-01 / Shelf 2 / Rack R-04 with a very long name indeed",
                          "PSL / Room 1 / F-02 / Shelf 2", 81, i < 3 ? 5 : 0, i == 69 ? 81 : 0,
                          i == 0});
  }
  const auto pdf = PickListPdf(list);
  ASSERT_TRUE(pdf.ok()) << pdf.status();
  ASSERT_EQ(pdf->rfind("%PDF-", 0), 0u);
  const std::string text = TextOf(*pdf);
  ASSERT_NE(text.find("Evacuation plan 3"), std::string::npos) << text;
  EXPECT_NE(text.find("page 2"), std::string::npos) << "70 lines take two pages";
  EXPECT_LT(text.find("BOX-100"), text.find("BOX-169")) << "in the plan's order";
  EXPECT_NE(text.find("[x]"), std::string::npos) << "the unit already moved is ticked";
  EXPECT_NE(text.find("70 units, 5670 tubes; 1 moved"), std::string::npos) << text;
  // A long path is cut at its column: the TO column still reads clearly after it.
  EXPECT_EQ(text.find("indeed"), std::string::npos);
}

}  // namespace
}  // namespace lims::labels
