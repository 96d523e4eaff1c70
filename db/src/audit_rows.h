// Row-level helpers shared by the audit trail's writers and readers: the column list with its
// bindings, and the chain head.
#ifndef LIMS_DB_SRC_AUDIT_ROWS_H_
#define LIMS_DB_SRC_AUDIT_ROWS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "lims/db/audit_log.h"
#include "lims/db/database.h"
#include "soci/soci.h"

namespace lims::db {

// Every column of audit_events, in the order AuditRow binds them.
inline constexpr char kAuditColumns[] =
    "id, at, actor, action, entity_type, entity_key, details, before_json, after_json, reason, "
    "request_id, prev_hash, hash";

// One fetched row: bind once, then read event() after each fetch().
struct AuditRow {
  long long id = 0;
  long long at = 0;
  AuditEvent fields;

  void Bind(soci::statement& st);
  AuditEvent event() const;
};

struct ChainHead {
  int64_t last_event_id = 0;
  std::string last_hash;
  // The legacy events (written before the chain) are being chained at start-up, in batches.
  bool sealing_legacy = false;
};

// Reads the chain head; with `lock` (inside a write transaction) also locks it until commit, which
// is what serialises appenders. nullopt when the row is missing.
std::optional<ChainHead> ReadChainHead(Tx& tx, bool lock);
// The same for writers: throws (→ INTERNAL) when the row is missing.
ChainHead LockChainHead(Tx& tx);
void WriteChainHead(Tx& tx, const ChainHead& head);

}  // namespace lims::db

#endif  // LIMS_DB_SRC_AUDIT_ROWS_H_
