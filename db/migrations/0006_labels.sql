-- Label printers and the print ledger: every print job (who, when, which printer and template,
-- how many copies, why for a reprint) and the labels in it. Rows are only ever appended.
-- Every statement may run twice (MariaDB commits DDL at once).

CREATE TABLE IF NOT EXISTS printers (
  id ${PK},
  name VARCHAR(64) NOT NULL,
  uri VARCHAR(500) NOT NULL,
  dpi INT NOT NULL,
  label_stock VARCHAR(64) NOT NULL,
  created_by VARCHAR(64) NOT NULL,
  created_at BIGINT NOT NULL,
  CONSTRAINT uq_printers_name UNIQUE (name)
) ${TABLE_OPTIONS};

CREATE TABLE IF NOT EXISTS print_jobs (
  id ${PK},
  printer_id BIGINT NOT NULL,
  template_name VARCHAR(64) NOT NULL,
  copies INT NOT NULL,
  label_count INT NOT NULL,
  reprint_count INT NOT NULL,
  reason VARCHAR(1000) NOT NULL,
  printed_by VARCHAR(64) NOT NULL,
  printed_at BIGINT NOT NULL,
  byte_count BIGINT NOT NULL,
  CONSTRAINT fk_print_jobs_printer FOREIGN KEY (printer_id) REFERENCES printers (id)
) ${TABLE_OPTIONS};

CREATE INDEX IF NOT EXISTS ix_print_jobs_printed_at ON print_jobs (printed_at, id);

-- One row per label subject in a job: a tube (sample_id set) or a box (box_id set).
CREATE TABLE IF NOT EXISTS print_job_labels (
  id ${PK},
  job_id BIGINT NOT NULL,
  subject VARCHAR(64) NOT NULL,
  sample_id BIGINT NULL,
  box_id BIGINT NULL,
  reprint INT NOT NULL,
  CONSTRAINT fk_print_job_labels_job FOREIGN KEY (job_id) REFERENCES print_jobs (id),
  CONSTRAINT fk_print_job_labels_sample FOREIGN KEY (sample_id) REFERENCES samples (id),
  CONSTRAINT fk_print_job_labels_box FOREIGN KEY (box_id) REFERENCES storage_units (id)
) ${TABLE_OPTIONS};

CREATE INDEX IF NOT EXISTS ix_print_job_labels_subject ON print_job_labels (subject, job_id);
CREATE INDEX IF NOT EXISTS ix_print_job_labels_job ON print_job_labels (job_id);

-- How many times each tube and box was printed: updated with its row locked in the transaction
-- that records the job, so that concurrent prints of one tube count every reprint (a count over
-- print_job_labels would read a stale snapshot under MariaDB's REPEATABLE READ).
ALTER TABLE samples ${ADD_COLUMN} label_prints INT NOT NULL DEFAULT 0;
ALTER TABLE storage_units ${ADD_COLUMN} label_prints INT NOT NULL DEFAULT 0;
