-- Passwords for the browser app (libsodium's Argon2id strings; '' = no password set) and
-- browser sessions: a session token ends after idle_seconds without a call (0: an API token,
-- no idle limit); last_used_at is refreshed at most once a minute.
ALTER TABLE users ${ADD_COLUMN} password_hash VARCHAR(255) NOT NULL DEFAULT '';
ALTER TABLE api_tokens ${ADD_COLUMN} idle_seconds BIGINT NOT NULL DEFAULT 0;
ALTER TABLE api_tokens ${ADD_COLUMN} last_used_at BIGINT NOT NULL DEFAULT 0;

-- Wrong passwords in a row, per user name ("user:NAME") and per client address ("addr:IP"):
-- the login slows down as they add up; a right password clears the user's row.
CREATE TABLE IF NOT EXISTS login_failures (
  subject VARCHAR(200) NOT NULL,
  failures BIGINT NOT NULL,
  last_failed_at BIGINT NOT NULL,
  CONSTRAINT pk_login_failures PRIMARY KEY (subject)
) ${TABLE_OPTIONS};
