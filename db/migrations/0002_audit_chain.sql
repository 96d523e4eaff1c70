-- The audit trail becomes a hash chain (DESIGN §9): each event stores the hash of the event before
-- it and its own hash = SHA-256(prev_hash || canonical content) (db/src/audit_hash.cc), so editing
-- or deleting a row breaks the chain. Rows written before this migration keep '' until
-- Database::Open seals them. Every statement may run twice (MariaDB commits DDL at once).

ALTER TABLE audit_events ${ADD_COLUMN} prev_hash VARCHAR(64) NOT NULL DEFAULT '';
ALTER TABLE audit_events ${ADD_COLUMN} hash VARCHAR(64) NOT NULL DEFAULT '';

-- One row (id 1): the end of the chain. Appenders lock it first, which serialises them into one
-- linear chain; it also shows when the newest events were deleted.
CREATE TABLE IF NOT EXISTS audit_chain_head (
  id INT NOT NULL PRIMARY KEY,
  last_event_id BIGINT NOT NULL,
  last_hash VARCHAR(64) NOT NULL
) ${TABLE_OPTIONS};

${INSERT_IGNORE} INTO audit_chain_head (id, last_event_id, last_hash) VALUES (1, 0, '');

-- ListAuditEvents filters by actor and by time.
CREATE INDEX IF NOT EXISTS ix_audit_events_actor ON audit_events (actor, id);
CREATE INDEX IF NOT EXISTS ix_audit_events_at ON audit_events (at, id);
