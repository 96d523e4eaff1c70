-- Data work that SQL alone cannot do (e.g. replaying the audit trail into the location history),
-- done once per database at start-up: a row per piece of work done.
CREATE TABLE IF NOT EXISTS data_backfills (
  name VARCHAR(100) NOT NULL PRIMARY KEY,
  done_at BIGINT NOT NULL
) ${TABLE_OPTIONS};
