-- Criteria queries read only this index: the timepoints' stored tubes of the wanted types and
-- sites, with everything the selection weighs (patient via enrollment, thaws, quantity) in the
-- index itself, so a million-sample database is never read row by row. It replaces the narrower
-- index of 0008 (its prefix with status moved up, so "STORED" narrows before the type list).
CREATE INDEX IF NOT EXISTS ix_samples_request_criteria ON samples (timepoint_id, status,
  sample_type, site_id, enrollment_id, freeze_thaw_count, quantity_unit, quantity_amount);
DROP INDEX IF EXISTS ix_samples_criteria${ON_TABLE_samples};

-- The patients of a protocol's enrollments, read with the candidates (covering: id is in every
-- index).
CREATE INDEX IF NOT EXISTS ix_enrollments_protocol ON enrollments (protocol_id, patient_id);
