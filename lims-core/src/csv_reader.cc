#include "lims/core/csv_reader.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "text.h"

namespace lims {
namespace {

constexpr char kBom[] = "\xEF\xBB\xBF";

bool IsLineEnd(int c) { return c == '\n' || c == '\r'; }

std::string ColumnKey(std::string_view name) {
  std::string key(text::Trim(name));
  for (char& c : key) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return key;
}

}  // namespace

CsvReader::CsvReader(std::string_view text)
    : source_([text, given = false]() mutable -> std::string_view {
        if (given) return {};
        given = true;
        return text;
      }) {}

CsvReader::CsvReader(ChunkSource source) : source_(std::move(source)) {}

int CsvReader::Peek() {
  if (!pushback_.empty()) return static_cast<unsigned char>(pushback_.front());
  while (pos_ >= chunk_.size()) {
    if (ended_) return -1;
    consumed_ += chunk_.size();
    chunk_ = source_();
    pos_ = 0;
    if (chunk_.empty()) ended_ = true;
  }
  return static_cast<unsigned char>(chunk_[pos_]);
}

void CsvReader::Advance() {
  if (!pushback_.empty()) {
    pushback_.erase(0, 1);
    return;
  }
  if (Peek() >= 0) ++pos_;
}

size_t CsvReader::Offset() const { return consumed_ + pos_ - pushback_.size(); }

// The mark may straddle chunks; anything that only starts like it is given back.
void CsvReader::SkipBom() {
  started_ = true;
  std::string seen;
  while (seen.size() < 3 && Peek() == static_cast<unsigned char>(kBom[seen.size()])) {
    seen.push_back(static_cast<char>(Peek()));
    Advance();
  }
  if (seen.size() < 3) pushback_ = seen;
}

void CsvReader::EndLine() {
  const int c = Peek();
  if (c == '\r') {
    Advance();
    if (Peek() == '\n') Advance();
    ++line_;
  } else if (c == '\n') {
    Advance();
    ++line_;
  }
}

void CsvReader::SkipRestOfLine() {
  while (Peek() >= 0 && !IsLineEnd(Peek())) Advance();
  EndLine();
}

bool CsvReader::Next(CsvRecord* record) {
  if (!started_) SkipBom();
  while (IsLineEnd(Peek())) EndLine();  // blank lines
  if (Peek() < 0) return false;
  record->line = line_;
  record->offset = Offset();
  record->fields.clear();
  record->error.clear();
  std::string field;
  for (;;) {
    field.clear();
    if (Peek() == '"') {
      Advance();
      for (;;) {
        const int c = Peek();
        if (c < 0) {
          record->fields.push_back(std::move(field));
          record->error = absl::StrCat("a quoted field starting on line ", record->line,
                                       " is never closed; add the closing quote");
          return true;
        }
        Advance();
        if (c == '"') {
          if (Peek() != '"') break;
          Advance();
          field.push_back('"');
          continue;
        }
        field.push_back(static_cast<char>(c));
        if (c == '\n') ++line_;
        if (c == '\r') {
          if (Peek() == '\n') {
            Advance();
            field.push_back('\n');
          }
          ++line_;
        }
      }
      const int after = Peek();
      if (after >= 0 && after != delimiter_ && !IsLineEnd(after)) {
        record->fields.push_back(std::move(field));
        record->error =
            "text after a closing quote; a quote inside a quoted field must be doubled (\"\")";
        SkipRestOfLine();
        return true;
      }
    } else {
      for (int c = Peek(); c >= 0 && c != delimiter_ && !IsLineEnd(c); c = Peek()) {
        if (c == '"') {
          record->fields.push_back(std::move(field));
          record->error =
              "a quote inside an unquoted field; quote the whole field and double the quote";
          SkipRestOfLine();
          return true;
        }
        field.push_back(static_cast<char>(c));
        Advance();
      }
    }
    record->fields.push_back(field);
    if (Peek() != delimiter_) break;
    Advance();
  }
  EndLine();
  return true;
}

absl::StatusOr<std::map<std::string, size_t>> MapCsvColumns(
    const std::vector<std::string>& header, const std::vector<std::string>& required) {
  std::map<std::string, size_t> columns;
  for (size_t i = 0; i < header.size(); ++i) {
    std::string key = ColumnKey(header[i]);
    if (key.empty()) continue;
    if (!columns.emplace(key, i).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("column ", key, " appears twice in the header"));
    }
  }
  std::vector<std::string> missing;
  for (const std::string& name : required) {
    if (!columns.count(ColumnKey(name))) missing.push_back(name);
  }
  if (!missing.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("missing column", missing.size() > 1 ? "s " : " ", absl::StrJoin(missing, ", "),
                     "; the header needs ", absl::StrJoin(required, ",")));
  }
  return columns;
}

}  // namespace lims
