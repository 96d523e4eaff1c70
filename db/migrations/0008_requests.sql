-- Researchers' sample requests, the tubes reserved for them and the request-scoped codes under
-- which researchers see tubes and patients. Every statement may run twice (MariaDB commits DDL
-- at once).

CREATE TABLE IF NOT EXISTS sample_requests (
  id ${PK},
  -- "R0007"; a random placeholder until the id is known.
  code VARCHAR(48) NOT NULL,
  title VARCHAR(200) NOT NULL,
  ethics_reference VARCHAR(100) NOT NULL,
  criteria_json ${LONG_TEXT} NOT NULL,
  status VARCHAR(12) NOT NULL,
  submitted_by VARCHAR(64) NOT NULL,
  submitted_at BIGINT NOT NULL,
  decided_by VARCHAR(64) NOT NULL,
  decision_reason VARCHAR(1000) NOT NULL,
  version BIGINT NOT NULL,
  CONSTRAINT uq_sample_requests_code UNIQUE (code)
) ${TABLE_OPTIONS};

-- A tube reserved for one request at most: the database, not the code, refuses a second
-- reservation (two approvals racing). Deleted when the tube is picked.
CREATE TABLE IF NOT EXISTS sample_reservations (
  sample_id BIGINT NOT NULL,
  request_id BIGINT NOT NULL,
  reserved_at BIGINT NOT NULL,
  CONSTRAINT pk_sample_reservations PRIMARY KEY (sample_id),
  CONSTRAINT fk_sample_reservations_sample FOREIGN KEY (sample_id) REFERENCES samples (id),
  CONSTRAINT fk_sample_reservations_request FOREIGN KEY (request_id) REFERENCES sample_requests (id)
) ${TABLE_OPTIONS};

-- The request-scoped codes: kept here only, never derived from barcodes or registry ids.
CREATE TABLE IF NOT EXISTS request_samples (
  id ${PK},
  request_id BIGINT NOT NULL,
  sample_id BIGINT NOT NULL,
  sample_code VARCHAR(24) NOT NULL,
  patient_code VARCHAR(24) NOT NULL,
  picked_by VARCHAR(64) NOT NULL,
  picked_at BIGINT NULL,
  CONSTRAINT uq_request_samples_code UNIQUE (request_id, sample_code),
  CONSTRAINT uq_request_samples_sample UNIQUE (request_id, sample_id),
  CONSTRAINT fk_request_samples_request FOREIGN KEY (request_id) REFERENCES sample_requests (id),
  CONSTRAINT fk_request_samples_sample FOREIGN KEY (sample_id) REFERENCES samples (id)
) ${TABLE_OPTIONS};

-- Criteria queries: tubes of given timepoints and types in a given state.
CREATE INDEX IF NOT EXISTS ix_samples_criteria ON samples (timepoint_id, sample_type, status);
CREATE INDEX IF NOT EXISTS ix_sample_reservations_request ON sample_reservations (request_id);
