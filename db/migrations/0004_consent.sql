-- Patient consent: an append-only history of dated grants and withdrawals, one row per scope.
-- Rows are never updated or deleted; the current state is computed from them (lims/core/consent.h).

CREATE TABLE IF NOT EXISTS consent_events (
  id ${PK},
  patient_id BIGINT NOT NULL,
  scope VARCHAR(32) NOT NULL,
  action VARCHAR(16) NOT NULL,
  effective_on VARCHAR(10) NOT NULL,
  form_version VARCHAR(64) NOT NULL,
  reason VARCHAR(1000) NOT NULL,
  recorded_by VARCHAR(64) NOT NULL,
  recorded_at BIGINT NOT NULL,
  CONSTRAINT fk_consent_events_patient FOREIGN KEY (patient_id) REFERENCES patients (id)
) ${TABLE_OPTIONS};

CREATE INDEX IF NOT EXISTS ix_consent_events_patient ON consent_events (patient_id, id);
