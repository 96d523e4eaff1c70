-- A reserved tube taken off a request because its patient withdrew a consent scope the request
-- needs: the row stays (the researcher sees the code as withdrawn), its reservation goes.
ALTER TABLE request_samples ${ADD_COLUMN} withdrawn_at BIGINT NULL;
