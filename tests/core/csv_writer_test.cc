#include "lims/core/csv_writer.h"

#include "gtest/gtest.h"
#include "lims/core/csv_reader.h"

namespace lims {
namespace {

TEST(CsvField, PlainValuesStayAsTheyAre) {
  EXPECT_EQ(CsvField("PSL26-000123-K"), "PSL26-000123-K");
  EXPECT_EQ(CsvField("500 uL"), "500 uL");
  EXPECT_EQ(CsvField(""), "");
}

TEST(CsvField, SeparatorsQuotesAndLineBreaksAreQuoted) {
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
}

// A cell a spreadsheet would evaluate is written as text: what a person typed in a reason or a
// sending centre put in a manifest cannot run on the reader's machine.
TEST(CsvField, FormulaCellsAreNeutralised) {
  for (const char* formula : {"=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)",
                              "\tx", "\rx"}) {
    SCOPED_TRACE(formula);
    const std::string field = CsvField(formula);
    EXPECT_EQ(field.substr(0, 2), "\"'");
    // Read back, the cell is the value behind an apostrophe: text, not a formula.
    const std::string line = field + ",next\n";
    CsvReader reader(line);
    CsvRecord record;
    ASSERT_TRUE(reader.Next(&record));
    EXPECT_TRUE(record.error.empty()) << record.error;
    ASSERT_EQ(record.fields.size(), 2u);
    EXPECT_EQ(record.fields[0], std::string("'") + formula);
  }
}

}  // namespace
}  // namespace lims
