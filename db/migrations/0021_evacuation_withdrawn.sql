-- An evacuation move counts the tubes whose patient withdrew consent: they are moved last.
ALTER TABLE evacuation_moves ${ADD_COLUMN} withdrawn_tubes BIGINT NOT NULL DEFAULT 0;
