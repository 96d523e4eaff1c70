#include "lims/db/audit_csv.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "lims/core/csv_writer.h"

namespace lims::db {

std::string AuditCsvHeader() {
  return "id,at,actor,action,entity_type,entity_key,details,reason,request_id,before_json,"
         "after_json,prev_hash,hash\r\n";
}

void AppendAuditCsvRow(const AuditEvent& e, std::string& out) {
  const std::string id = absl::StrCat(e.id);
  const std::string at = absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", e.at, absl::UTCTimeZone());
  const absl::string_view fields[] = {id,           at,           e.actor,         e.action,
                                      e.entity_type, e.entity_key, e.details,       e.reason,
                                      e.request_id, e.before_json, e.after_json,    e.prev_hash,
                                      e.hash};
  bool first = true;
  for (absl::string_view field : fields) {
    if (!first) out.push_back(',');
    first = false;
    AppendCsvField(std::string_view(field.data(), field.size()), out);
  }
  out.append("\r\n");
}

absl::Status AuditLog::ExportCsv(const AuditFilter& filter, const ChunkSink& sink,
                                 const CsvExportOptions& options) {
  if (options.page_size <= 0) return absl::InvalidArgumentError("page_size must be positive");
  std::string chunk = AuditCsvHeader();
  for (int64_t after = 0;;) {
    auto page = List(filter, after, options.page_size);
    if (!page.ok()) return page.status();
    for (const AuditEvent& e : *page) {
      AppendAuditCsvRow(e, chunk);
      if (chunk.size() >= options.chunk_bytes) {
        if (absl::Status sent = sink(chunk); !sent.ok()) return sent;
        chunk.clear();
      }
    }
    if (static_cast<int>(page->size()) < options.page_size) break;
    after = page->back().id;
  }
  return chunk.empty() ? absl::OkStatus() : sink(chunk);
}

absl::Status AuditLog::ExportCsv(const AuditFilter& filter, std::ostream& out) {
  return ExportCsv(filter, [&out](absl::string_view chunk) -> absl::Status {
    out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    if (!out) return absl::UnavailableError("cannot write the audit export");
    return absl::OkStatus();
  });
}

}  // namespace lims::db
