-- Events written before the hash chain existed are chained at start-up; once anything else was
-- appended to the chain, a hash-less row can only be an insertion, reported by verification and
-- never sealed. 1 while the first sealing pass has more to do.
ALTER TABLE audit_chain_head ${ADD_COLUMN} sealing_legacy INT NOT NULL DEFAULT 0;
