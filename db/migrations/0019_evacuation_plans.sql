-- Evacuation plans: every rack or box of a freezer, where it goes in the backup freezer, in
-- the order to move them (most critical first). A move is done when the unit is under its
-- target (so a plan carried out halfway stays valid); a put-back plan reverses the done ones.
CREATE TABLE IF NOT EXISTS evacuation_plans (
  id ${PK},
  from_unit_id BIGINT NOT NULL,
  to_unit_id BIGINT NOT NULL,
  put_back_of BIGINT NULL,
  created_by VARCHAR(100) NOT NULL,
  created_at BIGINT NOT NULL
) ${TABLE_OPTIONS};
CREATE TABLE IF NOT EXISTS evacuation_moves (
  plan_id BIGINT NOT NULL,
  ordinal INT NOT NULL,
  unit_id BIGINT NOT NULL,
  from_parent_id BIGINT NOT NULL,
  to_parent_id BIGINT NOT NULL,
  tubes BIGINT NOT NULL,
  critical_tubes BIGINT NOT NULL,
  CONSTRAINT pk_evacuation_moves PRIMARY KEY (plan_id, ordinal)
) ${TABLE_OPTIONS};
