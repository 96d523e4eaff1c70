// The append-only audit trail: every change is recorded in the transaction that makes it, as one
// link of a SHA-256 hash chain (DESIGN §9) so that an edited or deleted event is detected.
#ifndef LIMS_DB_AUDIT_LOG_H_
#define LIMS_DB_AUDIT_LOG_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "lims/db/database.h"

namespace lims::db {

struct AuditEvent {
  int64_t id = 0;
  absl::Time at;            // stored with microsecond precision
  std::string actor;
  std::string action;       // "sample.collected", "storage.placed", ...
  std::string entity_type;  // "sample", "storage_unit", "patient", ...
  std::string entity_key;   // the barcode, code or id people search by
  std::string details;      // one human-readable line
  std::string before_json;  // "" when the entity did not exist
  std::string after_json;
  std::string reason;
  std::string request_id;
  // Set by Append: the previous event's hash ("" for the first) and this event's
  // SHA-256(prev_hash || canonical content), both lower-case hex.
  std::string prev_hash;
  std::string hash;
};

// Which events List returns; empty / unset members match everything.
struct AuditFilter {
  std::string entity_type;
  std::string entity_key;
  std::string actor;
  std::string action;               // exact, e.g. "sample.collected"
  std::optional<absl::Time> since;  // at >= since
  std::optional<absl::Time> until;  // at < until
};

// The outcome of re-computing the chain.
struct ChainCheck {
  bool ok = true;
  // Events read, up to and including the first broken one.
  int64_t events_checked = 0;
  // The first event whose link or content does not verify: an edited event, the event after a
  // deleted or inserted one, or — when the newest events were deleted — the last event id the
  // chain head records. 0 when ok.
  int64_t first_broken_event_id = 0;
  std::string problem;  // one sentence for people; "" when ok
  // When ok: the last event verified and its hash (an anchor to keep outside the database).
  int64_t head_event_id = 0;
  std::string head_hash;
};

// A chain head kept outside the database: that event, with that hash, must still be in the trail.
struct ChainAnchor {
  int64_t event_id = 0;
  std::string hash;
};

// Receives an export a chunk at a time; a non-OK status (e.g. the client went away) stops it.
using ChunkSink = std::function<absl::Status(absl::string_view chunk)>;

struct CsvExportOptions {
  size_t chunk_bytes = 64 * 1024;  // a chunk is cut after the row that reaches this size
  int page_size = 500;             // events per query
};

class AuditLog {
 public:
  explicit AuditLog(Tx& tx) : tx_(tx) {}

  // Must run inside Database::Write. Sets event.id, prev_hash and hash. Locks the chain head
  // until commit, so concurrent appenders form one linear chain. There is deliberately no update
  // or delete.
  absl::Status Append(AuditEvent& event);

  // Events of one entity, oldest first.
  absl::StatusOr<std::vector<AuditEvent>> ListForEntity(const std::string& entity_type,
                                                        const std::string& entity_key);

  // Keyset paging, oldest first: at most `limit` events with id > after_id.
  absl::StatusOr<std::vector<AuditEvent>> List(const AuditFilter& filter, int64_t after_id,
                                               int limit);

  // Re-computes the whole chain in id order, a page at a time (never the whole table in memory),
  // and checks that it ends where the chain head says. Events appended meanwhile are checked
  // too. Runs outside a transaction (Database::Read).
  // With `anchor`, the trail must also still hold the anchor's event with its hash (a trail
  // rewritten as a whole, hashes recomputed, fails there).
  absl::StatusOr<ChainCheck> Verify(const std::optional<ChainAnchor>& anchor = std::nullopt);

  // The matching events as CSV (format in lims/db/audit_csv.h), oldest first, streamed: a page
  // of events is read, turned into text and handed to `sink` in chunks, so the trail is never
  // held in memory. Runs outside a transaction (Database::Read): each page is its own query.
  absl::Status ExportCsv(const AuditFilter& filter, const ChunkSink& sink,
                         const CsvExportOptions& options = CsvExportOptions());
  // The same into a stream (e.g. a file); UNAVAILABLE when writing fails.
  absl::Status ExportCsv(const AuditFilter& filter, std::ostream& out);

  // Chains events written before the hash chain existed (hash ''), oldest first, at most `limit`
  // of them; returns how many. Must run inside Database::Write. This fills in the two hash
  // columns of those rows once; their content is never changed.
  absl::StatusOr<int> SealUnchained(int limit);

 private:
  Tx& tx_;
};

}  // namespace lims::db

#endif  // LIMS_DB_AUDIT_LOG_H_
