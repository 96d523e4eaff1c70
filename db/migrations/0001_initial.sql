-- Initial schema. Placeholders (${...}) are the only dialect differences; see db/src/dialect.cc.
-- Every statement is idempotent (IF NOT EXISTS) because MariaDB commits DDL implicitly: a
-- migration interrupted half-way is simply applied again.

CREATE TABLE IF NOT EXISTS sites (
  id ${PK},
  code VARCHAR(16) NOT NULL,
  name VARCHAR(200) NOT NULL,
  created_at BIGINT NOT NULL,
  CONSTRAINT uq_sites_code UNIQUE (code)
) ${TABLE_OPTIONS};

CREATE TABLE IF NOT EXISTS patients (
  id ${PK},
  registry_id VARCHAR(64) NOT NULL,
  site_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  CONSTRAINT uq_patients_registry_id UNIQUE (registry_id),
  CONSTRAINT fk_patients_site FOREIGN KEY (site_id) REFERENCES sites (id)
) ${TABLE_OPTIONS};

CREATE TABLE IF NOT EXISTS protocols (
  id ${PK},
  code VARCHAR(32) NOT NULL,
  name VARCHAR(200) NOT NULL,
  created_at BIGINT NOT NULL,
  CONSTRAINT uq_protocols_code UNIQUE (code)
) ${TABLE_OPTIONS};

CREATE TABLE IF NOT EXISTS timepoints (
  id ${PK},
  protocol_id BIGINT NOT NULL,
  ordinal INT NOT NULL,
  code VARCHAR(32) NOT NULL,
  name VARCHAR(200) NOT NULL,
  offset_days INT NOT NULL,
  window_before_days INT NOT NULL,
  window_after_days INT NOT NULL,
  CONSTRAINT uq_timepoints_code UNIQUE (protocol_id, code),
  CONSTRAINT fk_timepoints_protocol FOREIGN KEY (protocol_id) REFERENCES protocols (id)
) ${TABLE_OPTIONS};

CREATE TABLE IF NOT EXISTS expected_samples (
  id ${PK},
  timepoint_id BIGINT NOT NULL,
  sample_type VARCHAR(8) NOT NULL,
  sample_count INT NOT NULL,
  CONSTRAINT fk_expected_samples_timepoint FOREIGN KEY (timepoint_id) REFERENCES timepoints (id)
) ${TABLE_OPTIONS};

CREATE TABLE IF NOT EXISTS enrollments (
  id ${PK},
  patient_id BIGINT NOT NULL,
  protocol_id BIGINT NOT NULL,
  anchor_date VARCHAR(10) NOT NULL,
  created_at BIGINT NOT NULL,
  CONSTRAINT uq_enrollments_patient_protocol UNIQUE (patient_id, protocol_id),
  CONSTRAINT fk_enrollments_patient FOREIGN KEY (patient_id) REFERENCES patients (id),
  CONSTRAINT fk_enrollments_protocol FOREIGN KEY (protocol_id) REFERENCES protocols (id)
) ${TABLE_OPTIONS};

-- Per site and year: the next sequence number of minted sample ids.
CREATE TABLE IF NOT EXISTS id_sequences (
  site_id BIGINT NOT NULL,
  id_year INT NOT NULL,
  next_value BIGINT NOT NULL,
  CONSTRAINT pk_id_sequences PRIMARY KEY (site_id, id_year),
  CONSTRAINT fk_id_sequences_site FOREIGN KEY (site_id) REFERENCES sites (id)
) ${TABLE_OPTIONS};

CREATE TABLE IF NOT EXISTS samples (
  id ${PK},
  barcode VARCHAR(64) NOT NULL,
  parent_id BIGINT NULL,
  enrollment_id BIGINT NOT NULL,
  timepoint_id BIGINT NOT NULL,
  site_id BIGINT NOT NULL,
  sample_type VARCHAR(8) NOT NULL,
  quantity_amount BIGINT NOT NULL,
  quantity_unit VARCHAR(8) NOT NULL,
  status VARCHAR(16) NOT NULL,
  freeze_thaw_count INT NOT NULL,
  collected_at BIGINT NOT NULL,
  window_offset_days INT NOT NULL,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  CONSTRAINT uq_samples_barcode UNIQUE (barcode),
  CONSTRAINT fk_samples_parent FOREIGN KEY (parent_id) REFERENCES samples (id),
  CONSTRAINT fk_samples_enrollment FOREIGN KEY (enrollment_id) REFERENCES enrollments (id),
  CONSTRAINT fk_samples_timepoint FOREIGN KEY (timepoint_id) REFERENCES timepoints (id),
  CONSTRAINT fk_samples_site FOREIGN KEY (site_id) REFERENCES sites (id)
) ${TABLE_OPTIONS};

CREATE INDEX IF NOT EXISTS ix_samples_parent ON samples (parent_id);
CREATE INDEX IF NOT EXISTS ix_samples_enrollment ON samples (enrollment_id, timepoint_id);

CREATE TABLE IF NOT EXISTS storage_units (
  id ${PK},
  parent_id BIGINT NULL,
  kind VARCHAR(16) NOT NULL,
  name VARCHAR(100) NOT NULL,
  rows_count INT NOT NULL,
  columns_count INT NOT NULL,
  path VARCHAR(1000) NOT NULL,
  site_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  CONSTRAINT uq_storage_units_sibling_name UNIQUE (parent_id, name),
  CONSTRAINT fk_storage_units_parent FOREIGN KEY (parent_id) REFERENCES storage_units (id),
  CONSTRAINT fk_storage_units_site FOREIGN KEY (site_id) REFERENCES sites (id)
) ${TABLE_OPTIONS};

-- One sample per position and one position per sample: both guaranteed here, not in code.
CREATE TABLE IF NOT EXISTS placements (
  id ${PK},
  sample_id BIGINT NOT NULL,
  box_id BIGINT NOT NULL,
  position_number INT NOT NULL,
  placed_at BIGINT NOT NULL,
  CONSTRAINT uq_placements_sample UNIQUE (sample_id),
  CONSTRAINT uq_placements_position UNIQUE (box_id, position_number),
  CONSTRAINT fk_placements_sample FOREIGN KEY (sample_id) REFERENCES samples (id),
  CONSTRAINT fk_placements_box FOREIGN KEY (box_id) REFERENCES storage_units (id)
) ${TABLE_OPTIONS};

-- Append-only: who, when, what (before/after), why.
CREATE TABLE IF NOT EXISTS audit_events (
  id ${PK},
  at BIGINT NOT NULL,
  actor VARCHAR(100) NOT NULL,
  action VARCHAR(64) NOT NULL,
  entity_type VARCHAR(32) NOT NULL,
  entity_key VARCHAR(64) NOT NULL,
  details VARCHAR(1000) NOT NULL,
  before_json ${LONG_TEXT} NOT NULL,
  after_json ${LONG_TEXT} NOT NULL,
  reason VARCHAR(1000) NOT NULL,
  request_id VARCHAR(64) NOT NULL
) ${TABLE_OPTIONS};

CREATE INDEX IF NOT EXISTS ix_audit_events_entity ON audit_events (entity_type, entity_key, id);

-- Results of mutating calls by client request_id (bodies base64), written in the call's own
-- transaction, so a retry returns the first result and changes nothing again.
CREATE TABLE IF NOT EXISTS request_log (
  request_id VARCHAR(64) NOT NULL,
  rpc VARCHAR(100) NOT NULL,
  request_body ${LONG_TEXT} NOT NULL,
  response_body ${LONG_TEXT} NOT NULL,
  created_at BIGINT NOT NULL,
  CONSTRAINT pk_request_log PRIMARY KEY (request_id)
) ${TABLE_OPTIONS};
