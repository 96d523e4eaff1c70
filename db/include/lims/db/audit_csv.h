// The audit trail as CSV for inspectors (RFC 4180): the header and one row per event, used by
// AuditLog::ExportCsv.
#ifndef LIMS_DB_AUDIT_CSV_H_
#define LIMS_DB_AUDIT_CSV_H_

#include <string>

#include "lims/db/audit_log.h"

namespace lims::db {

// CRLF line ends; a field with a comma, quote, CR or LF is quoted, quotes doubled. Columns: id,
// at (RFC 3339 UTC with µs), actor, action, entity_type, entity_key, details, reason,
// request_id, before_json, after_json, prev_hash, hash.
std::string AuditCsvHeader();
void AppendAuditCsvRow(const AuditEvent& event, std::string& out);

}  // namespace lims::db

#endif  // LIMS_DB_AUDIT_CSV_H_
