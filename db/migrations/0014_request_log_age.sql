-- Replay records are purged after an age the server is told (--replay-days): by creation time.
CREATE INDEX IF NOT EXISTS ix_request_log_created ON request_log (created_at);
