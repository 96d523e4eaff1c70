-- Cell-therapy products: one chain of identity (COI) per patient therapy, the materials of it
-- (the apheresis, the products made from it) with their ISBT 128 DINs, where each is stored (a
-- container without grid, optionally a numbered slot), every custody event, and the issues for
-- infusion with their two checks.
CREATE TABLE IF NOT EXISTS therapies (
  id ${PK},
  coi VARCHAR(40) NOT NULL,
  patient_id BIGINT NOT NULL,
  site_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  CONSTRAINT uq_therapies_coi UNIQUE (coi),
  CONSTRAINT fk_therapies_patient FOREIGN KEY (patient_id) REFERENCES patients (id)
) ${TABLE_OPTIONS};
CREATE INDEX IF NOT EXISTS ix_therapies_patient ON therapies (patient_id);

CREATE TABLE IF NOT EXISTS products (
  id ${PK},
  din CHAR(13) NOT NULL,
  flags VARCHAR(2) NOT NULL,
  product_code VARCHAR(8) NOT NULL,
  kind VARCHAR(16) NOT NULL,
  status VARCHAR(16) NOT NULL,
  therapy_id BIGINT NOT NULL,
  enrollment_id BIGINT NOT NULL,
  timepoint_id BIGINT NULL,
  source_product_id BIGINT NULL,
  volume_amount BIGINT NOT NULL,
  volume_unit VARCHAR(8) NOT NULL,
  cell_count DOUBLE NOT NULL,
  viability_percent DOUBLE NOT NULL,
  batch VARCHAR(100) NOT NULL,
  expires_on VARCHAR(10) NOT NULL,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  CONSTRAINT uq_products_din UNIQUE (din),
  CONSTRAINT fk_products_therapy FOREIGN KEY (therapy_id) REFERENCES therapies (id),
  CONSTRAINT fk_products_enrollment FOREIGN KEY (enrollment_id) REFERENCES enrollments (id),
  CONSTRAINT fk_products_source FOREIGN KEY (source_product_id) REFERENCES products (id)
) ${TABLE_OPTIONS};
CREATE INDEX IF NOT EXISTS ix_products_therapy ON products (therapy_id);

-- Where a bag is stored: one row per stored bag; a numbered slot holds one bag (NULL: no slot).
CREATE TABLE IF NOT EXISTS product_places (
  product_id BIGINT NOT NULL,
  unit_id BIGINT NOT NULL,
  slot INT NULL,
  placed_at BIGINT NOT NULL,
  CONSTRAINT pk_product_places PRIMARY KEY (product_id),
  CONSTRAINT uq_product_places_slot UNIQUE (unit_id, slot),
  CONSTRAINT fk_product_places_product FOREIGN KEY (product_id) REFERENCES products (id),
  CONSTRAINT fk_product_places_unit FOREIGN KEY (unit_id) REFERENCES storage_units (id)
) ${TABLE_OPTIONS};

CREATE TABLE IF NOT EXISTS custody_events (
  id ${PK},
  product_id BIGINT NOT NULL,
  event VARCHAR(24) NOT NULL,
  at BIGINT NOT NULL,
  actor VARCHAR(100) NOT NULL,
  place VARCHAR(600) NOT NULL,
  reason VARCHAR(1000) NOT NULL,
  CONSTRAINT fk_custody_events_product FOREIGN KEY (product_id) REFERENCES products (id)
) ${TABLE_OPTIONS};
CREATE INDEX IF NOT EXISTS ix_custody_events_product ON custody_events (product_id, id);

-- Retention and QC tubes taken from a bag: they carry its chain of identity.
CREATE TABLE IF NOT EXISTS product_samples (
  sample_id BIGINT NOT NULL,
  product_id BIGINT NOT NULL,
  CONSTRAINT pk_product_samples PRIMARY KEY (sample_id),
  CONSTRAINT fk_product_samples_sample FOREIGN KEY (sample_id) REFERENCES samples (id),
  CONSTRAINT fk_product_samples_product FOREIGN KEY (product_id) REFERENCES products (id)
) ${TABLE_OPTIONS};
CREATE INDEX IF NOT EXISTS ix_product_samples_product ON product_samples (product_id);

CREATE TABLE IF NOT EXISTS product_issues (
  id ${PK},
  product_id BIGINT NOT NULL,
  patient_id BIGINT NOT NULL,
  issued_by VARCHAR(100) NOT NULL,
  issued_at BIGINT NOT NULL,
  confirmed_by VARCHAR(100) NULL,
  confirmed_at BIGINT NULL,
  CONSTRAINT fk_product_issues_product FOREIGN KEY (product_id) REFERENCES products (id)
) ${TABLE_OPTIONS};
CREATE INDEX IF NOT EXISTS ix_product_issues_product ON product_issues (product_id);
