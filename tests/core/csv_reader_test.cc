#include "lims/core/csv_reader.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "status_matchers.h"

namespace lims {
namespace {

using Fields = std::vector<std::string>;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::vector<CsvRecord> ReadAll(CsvReader& reader) {
  std::vector<CsvRecord> out;
  CsvRecord record;
  while (reader.Next(&record)) out.push_back(record);
  return out;
}

std::vector<CsvRecord> ReadAll(std::string_view text) {
  CsvReader reader(text);
  return ReadAll(reader);
}

// The same text fed `size` bytes at a time.
std::vector<CsvRecord> ReadInChunks(std::string_view text, size_t size) {
  size_t at = 0;
  CsvReader reader([&]() -> std::string_view {
    std::string_view piece = text.substr(at, size);
    at += piece.size();
    return piece;
  });
  return ReadAll(reader);
}

TEST(CsvReader, PlainLf_FieldsAndLines) {
  auto records = ReadAll("a,b,c\n1,2,3\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].fields, (Fields{"a", "b", "c"}));
  EXPECT_EQ(records[0].line, 1);
  EXPECT_EQ(records[1].fields, (Fields{"1", "2", "3"}));
  EXPECT_EQ(records[1].line, 2);
  EXPECT_TRUE((records[1].error).empty());
}

TEST(CsvReader, CrlfAndNoFinalLineEnd_SameRecords) {
  auto records = ReadAll("a,b\r\n1,2\r\n3,4");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[1].fields, (Fields{"1", "2"}));
  EXPECT_EQ(records[2].fields, (Fields{"3", "4"}));
  EXPECT_EQ(records[2].line, 3);
}

TEST(CsvReader, Bom_IsSkipped) {
  auto records = ReadAll("\xEF\xBB\xBFregistry_id,site_code\r\nX,Y\r\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].fields[0], "registry_id");
  EXPECT_EQ(records[1].offset, 3u + 23u);
}

TEST(CsvReader, BomLookalike_IsKept) {
  auto records = ReadAll("\xEF\xBBx,y\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].fields[0], "\xEF\xBBx");
}

TEST(CsvReader, QuotedFields_CommasQuotesAndNewlines) {
  auto records = ReadAll("id,note\n1,\"a, b\"\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\"\n4,\"\"\n");
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records[1].fields, (Fields{"1", "a, b"}));
  EXPECT_EQ(records[2].fields, (Fields{"2", "say \"hi\""}));
  EXPECT_EQ(records[3].fields, (Fields{"3", "two\nlines"}));
  EXPECT_EQ(records[4].fields, (Fields{"4", ""}));
}

TEST(CsvReader, EmbeddedNewlines_LineNumbersArePhysical) {
  auto records = ReadAll("h\r\n\"a\r\nb\r\nc\"\r\nnext\r\n\"x\ny\",z\nlast\n");
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records[1].line, 2);
  EXPECT_EQ(records[1].fields[0], "a\r\nb\r\nc");
  EXPECT_EQ(records[2].line, 5);
  EXPECT_EQ(records[3].line, 6);
  EXPECT_EQ(records[4].line, 8);
}

TEST(CsvReader, BlankLines_SkippedButCounted) {
  auto records = ReadAll("h\n\n\r\nrow\n\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].line, 4);
  EXPECT_EQ(records[1].fields, (Fields{"row"}));
}

TEST(CsvReader, EmptyFields_Kept) {
  auto records = ReadAll(",a,\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].fields, (Fields{"", "a", ""}));
}

TEST(CsvReader, EmptyInput_NoRecords) {
  EXPECT_TRUE((ReadAll("")).empty());
  EXPECT_TRUE((ReadAll("\xEF\xBB\xBF")).empty());
}

TEST(CsvReader, UnterminatedQuote_ErrorNamesTheStartLine) {
  auto records = ReadAll("h\nok\n\"never\nclosed\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[2].line, 3);
  EXPECT_TRUE(Contains(records[2].error, "line 3 is never closed")) << records[2].error;
}

TEST(CsvReader, StrayQuotes_ErrorThenReadingResumesOnTheNextLine) {
  auto records = ReadAll("a\"b,c\n\"x\"y,z\nfine,1\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_TRUE(Contains(records[0].error, "quote inside an unquoted field")) << records[0].error;
  EXPECT_TRUE(Contains(records[1].error, "after a closing quote")) << records[1].error;
  EXPECT_TRUE((records[2].error).empty());
  EXPECT_EQ(records[2].fields, (Fields{"fine", "1"}));
  EXPECT_EQ(records[2].line, 3);
}

TEST(CsvReader, Chunks_OfAnySize_GiveTheSameRecords) {
  const std::string text =
      "\xEF\xBB\xBFregistry_id,note\r\nA-1,\"multi\r\nline, \"\"quoted\"\"\"\r\n\r\nB-2,plain\r\n"
      "\"C\",\"\"\n";
  const auto whole = ReadAll(text);
  ASSERT_EQ(whole.size(), 4u);
  for (size_t size : {1u, 2u, 3u, 5u, 7u, 64u}) {
    const auto chunked = ReadInChunks(text, size);
    ASSERT_EQ(chunked.size(), whole.size()) << "chunk size " << size;
    for (size_t i = 0; i < whole.size(); ++i) {
      EXPECT_EQ(chunked[i].fields, whole[i].fields) << "chunk size " << size << ", record " << i;
      EXPECT_EQ(chunked[i].line, whole[i].line);
      EXPECT_EQ(chunked[i].offset, whole[i].offset);
    }
  }
  EXPECT_EQ(whole[2].line, 5);
  EXPECT_EQ(whole[1].fields[1], "multi\r\nline, \"quoted\"");
}

TEST(MapCsvColumns, AnyOrderExtraColumnsCaseAndSpaces) {
  auto columns = MapCsvColumns({"note", " Site_Code ", "REGISTRY_ID"}, {"registry_id", "site_code"});
  ASSERT_OK(columns);
  EXPECT_EQ(columns->at("registry_id"), 2u);
  EXPECT_EQ(columns->at("site_code"), 1u);
}

TEST(MapCsvColumns, Missing_NamesEveryMissingColumn) {
  EXPECT_STATUS(MapCsvColumns({"registry_id"}, {"registry_id", "site_code", "anchor_date"}),
                absl::StatusCode::kInvalidArgument, "missing columns site_code, anchor_date");
}

TEST(MapCsvColumns, Duplicate_Refused) {
  EXPECT_STATUS(MapCsvColumns({"a", "A"}, {"a"}), absl::StatusCode::kInvalidArgument,
                "appears twice");
}

}  // namespace
}  // namespace lims
