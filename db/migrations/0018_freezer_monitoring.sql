-- Temperature-holding units (freezers, LN2 tanks, fridges, rooms): set point, alarm thresholds
-- (NULL: no alarm on that side), the monitoring system's probe id (NULL: none; one unit per
-- probe) and a state.
ALTER TABLE storage_units ${ADD_COLUMN} set_point_celsius DOUBLE NULL;
ALTER TABLE storage_units ${ADD_COLUMN} alarm_low_celsius DOUBLE NULL;
ALTER TABLE storage_units ${ADD_COLUMN} alarm_high_celsius DOUBLE NULL;
ALTER TABLE storage_units ${ADD_COLUMN} probe_id VARCHAR(100) NULL;
ALTER TABLE storage_units ${ADD_COLUMN} unit_state VARCHAR(20) NOT NULL DEFAULT 'in_service';
CREATE UNIQUE INDEX IF NOT EXISTS uq_storage_units_probe ON storage_units (probe_id);

-- Where each tube was and when: one row per stay in a box position (to_at NULL: still there).
-- Times in microseconds since the epoch, as elsewhere.
CREATE TABLE IF NOT EXISTS location_history (
  id ${PK},
  sample_id BIGINT NOT NULL,
  box_id BIGINT NOT NULL,
  position_number INT NOT NULL,
  from_at BIGINT NOT NULL,
  to_at BIGINT NULL
) ${TABLE_OPTIONS};
CREATE INDEX IF NOT EXISTS ix_location_history_sample ON location_history (sample_id, from_at);
CREATE INDEX IF NOT EXISTS ix_location_history_box ON location_history (box_id, from_at);

-- Where each unit was and when (a rack or box moved to another freezer keeps its tubes): one
-- row per stay under a parent.
CREATE TABLE IF NOT EXISTS unit_parent_history (
  id ${PK},
  unit_id BIGINT NOT NULL,
  parent_id BIGINT NOT NULL,
  from_at BIGINT NOT NULL,
  to_at BIGINT NULL
) ${TABLE_OPTIONS};
CREATE INDEX IF NOT EXISTS ix_unit_parent_history_parent ON unit_parent_history (parent_id, from_at);
CREATE INDEX IF NOT EXISTS ix_unit_parent_history_unit ON unit_parent_history (unit_id, from_at);

-- The history of what exists already: each stored tube since it was put where it is, each unit
-- under its parent since it was made (re-runnable: only what has no history yet).
INSERT INTO location_history (sample_id, box_id, position_number, from_at)
  SELECT p.sample_id, p.box_id, p.position_number, p.placed_at FROM placements p
  WHERE NOT EXISTS (SELECT 1 FROM location_history h WHERE h.sample_id = p.sample_id);
INSERT INTO unit_parent_history (unit_id, parent_id, from_at)
  SELECT u.id, u.parent_id, u.created_at FROM storage_units u
  WHERE u.parent_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM unit_parent_history h WHERE h.unit_id = u.id);

-- Readings as the monitoring systems sent them (the same probe and instant once), kept for a
-- configurable period; per-hour minimum, maximum and mean kept for ever.
CREATE TABLE IF NOT EXISTS temperature_readings (
  probe_id VARCHAR(100) NOT NULL,
  at BIGINT NOT NULL,
  celsius DOUBLE NOT NULL,
  CONSTRAINT pk_temperature_readings PRIMARY KEY (probe_id, at)
) ${TABLE_OPTIONS};
CREATE INDEX IF NOT EXISTS ix_temperature_readings_at ON temperature_readings (at);
CREATE TABLE IF NOT EXISTS temperature_hours (
  probe_id VARCHAR(100) NOT NULL,
  hour_at BIGINT NOT NULL,
  min_celsius DOUBLE NOT NULL,
  max_celsius DOUBLE NOT NULL,
  sum_celsius DOUBLE NOT NULL,
  readings BIGINT NOT NULL,
  CONSTRAINT pk_temperature_hours PRIMARY KEY (probe_id, hour_at)
) ${TABLE_OPTIONS};

-- Periods beyond a unit's thresholds, and the manager's investigation once acknowledged.
CREATE TABLE IF NOT EXISTS excursions (
  id ${PK},
  unit_id BIGINT NOT NULL,
  side VARCHAR(8) NOT NULL,
  threshold_celsius DOUBLE NOT NULL,
  start_at BIGINT NOT NULL,
  end_at BIGINT NULL,
  last_reading_at BIGINT NOT NULL,
  peak_celsius DOUBLE NOT NULL,
  peak_at BIGINT NOT NULL,
  minutes_beyond DOUBLE NOT NULL,
  degree_minutes DOUBLE NOT NULL,
  acknowledged_by VARCHAR(100) NOT NULL DEFAULT '',
  acknowledged_at BIGINT NOT NULL DEFAULT 0,
  cause VARCHAR(2000) NOT NULL DEFAULT '',
  impact VARCHAR(2000) NOT NULL DEFAULT '',
  corrective_action VARCHAR(2000) NOT NULL DEFAULT '',
  CONSTRAINT uq_excursions_start UNIQUE (unit_id, side, start_at),
  CONSTRAINT fk_excursions_unit FOREIGN KEY (unit_id) REFERENCES storage_units (id)
) ${TABLE_OPTIONS};
CREATE INDEX IF NOT EXISTS ix_excursions_unit ON excursions (unit_id, start_at);

-- Each tube an excursion reached, with its own minutes inside the unit while it was beyond the
-- threshold and the extreme it saw: what a tube's record shows months later.
CREATE TABLE IF NOT EXISTS sample_exposures (
  excursion_id BIGINT NOT NULL,
  sample_id BIGINT NOT NULL,
  minutes_exposed DOUBLE NOT NULL,
  peak_celsius DOUBLE NOT NULL,
  CONSTRAINT pk_sample_exposures PRIMARY KEY (excursion_id, sample_id)
) ${TABLE_OPTIONS};
CREATE INDEX IF NOT EXISTS ix_sample_exposures_sample ON sample_exposures (sample_id);
