-- Users, the sites they work for, and their API tokens (stored only as SHA-256 hashes).

CREATE TABLE IF NOT EXISTS users (
  id ${PK},
  username VARCHAR(64) NOT NULL,
  role VARCHAR(16) NOT NULL,
  created_at BIGINT NOT NULL,
  CONSTRAINT uq_users_username UNIQUE (username)
) ${TABLE_OPTIONS};

CREATE TABLE IF NOT EXISTS user_sites (
  user_id BIGINT NOT NULL,
  site_id BIGINT NOT NULL,
  CONSTRAINT pk_user_sites PRIMARY KEY (user_id, site_id),
  CONSTRAINT fk_user_sites_user FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT fk_user_sites_site FOREIGN KEY (site_id) REFERENCES sites (id)
) ${TABLE_OPTIONS};

-- revoked_at 0: the token is valid.
CREATE TABLE IF NOT EXISTS api_tokens (
  id ${PK},
  user_id BIGINT NOT NULL,
  token_hash VARCHAR(64) NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT NOT NULL,
  CONSTRAINT uq_api_tokens_hash UNIQUE (token_hash),
  CONSTRAINT fk_api_tokens_user FOREIGN KEY (user_id) REFERENCES users (id)
) ${TABLE_OPTIONS};

CREATE INDEX IF NOT EXISTS ix_api_tokens_user ON api_tokens (user_id);
