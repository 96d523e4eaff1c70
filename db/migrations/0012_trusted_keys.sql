-- Other installations' manifest signing keys (Ed25519), each trusted for one of their sites by
-- an admin here. Revoked keys stay, marked, so that the audit trail's fingerprints keep a name.
-- Every statement may run twice (MariaDB commits DDL at once).

CREATE TABLE IF NOT EXISTS trusted_keys (
  id ${PK},
  site_code VARCHAR(32) NOT NULL,
  public_key VARCHAR(100) NOT NULL,
  fingerprint VARCHAR(64) NOT NULL,
  reason VARCHAR(1000) NOT NULL,
  added_by VARCHAR(64) NOT NULL,
  added_at BIGINT NOT NULL,
  revoked_by VARCHAR(64) NOT NULL,
  revoked_at BIGINT NOT NULL,
  revoke_reason VARCHAR(1000) NOT NULL,
  CONSTRAINT uq_trusted_keys_site_key UNIQUE (fingerprint, site_code)
) ${TABLE_OPTIONS};
