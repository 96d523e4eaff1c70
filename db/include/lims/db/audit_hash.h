// The hash chain of the audit trail: the canonical bytes of an event and its chained SHA-256.
// Public so that an inspector's own tool (or a test playing the forger) can recompute it.
#ifndef LIMS_DB_AUDIT_HASH_H_
#define LIMS_DB_AUDIT_HASH_H_

#include <string>

#include "absl/strings/string_view.h"
#include "lims/db/audit_log.h"

namespace lims::db {

// A version tag, then id, at (Unix µs), actor, action, entity_type, entity_key, details,
// before_json, after_json, reason and request_id in this order, each as a netstring
// ("<byte length>:<bytes>,"): no choice of field values can make two events read alike.
// prev_hash and hash are not part of it.
std::string CanonicalAuditContent(const AuditEvent& event);

// Lower-case hex SHA-256 of prev_hash (hex, "" for the first event) followed by the canonical
// content.
std::string ChainHash(absl::string_view prev_hash, const AuditEvent& event);

}  // namespace lims::db

#endif  // LIMS_DB_AUDIT_HASH_H_
