-- API tokens may carry an expiry (0: none): refused from that moment on.
ALTER TABLE api_tokens ${ADD_COLUMN} expires_at BIGINT NOT NULL DEFAULT 0;
