// A streaming RFC 4180 reader: one record at a time, from a whole text or from chunks, never
// holding more than the record being read. Pure: the caller does the I/O.
//
// Accepted: a UTF-8 byte order mark at the very start, CRLF, LF or lone CR line ends, quoted
// fields with "" for a quote and with embedded line breaks. Lines that are entirely empty are
// skipped. Every record carries the physical line (1-based) on which it starts, so errors can
// name the line a person sees in an editor even when earlier fields span several lines.
#ifndef LIMS_CORE_CSV_READER_H_
#define LIMS_CORE_CSV_READER_H_

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace lims {

struct CsvRecord {
  int line = 0;                     // physical line of the record's first character
  std::vector<std::string> fields;  // unquoted and unescaped
  std::string error;                // non-empty: the record is malformed (fields are partial)
  size_t offset = 0;                // byte offset of the record's start in the stream
};

class CsvReader {
 public:
  // Returns the next piece of the stream; an empty view means the end. The view must stay valid
  // until the next call.
  using ChunkSource = std::function<std::string_view()>;

  // Reads `text`, which must outlive the reader.
  explicit CsvReader(std::string_view text);
  explicit CsvReader(ChunkSource source);
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the next record into *record (its buffers are reused). False at the end of the stream.
  // A malformed record (an unterminated quote, a quote inside an unquoted field, text after a
  // closing quote) is returned with `error` set; reading resumes at the next line.
  bool Next(CsvRecord* record);

  // The field separator: ',' unless set (rack scanners also write ';' or tab).
  void set_delimiter(char delimiter) { delimiter_ = delimiter; }

 private:
  int Peek();  // the next byte (0..255), or -1 at the end
  void Advance();
  size_t Offset() const;
  void SkipBom();
  void EndLine();  // consumes one CRLF, LF or CR
  void SkipRestOfLine();

  ChunkSource source_;
  std::string_view chunk_;
  std::string pushback_;  // the start of a byte order mark that was not one
  size_t pos_ = 0;       // in chunk_
  size_t consumed_ = 0;  // bytes of earlier chunks
  bool ended_ = false;
  bool started_ = false;
  int line_ = 1;
  char delimiter_ = ',';
};

// Where each named column is in a header record. Names are compared without surrounding spaces
// and case-insensitively; extra columns are allowed. INVALID_ARGUMENT lists the missing
// `required` columns, or names a column that appears twice.
absl::StatusOr<std::map<std::string, size_t>> MapCsvColumns(
    const std::vector<std::string>& header, const std::vector<std::string>& required);

}  // namespace lims

#endif  // LIMS_CORE_CSV_READER_H_
