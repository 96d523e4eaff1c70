-- A researcher's request leaves on shipments of its own: their manifest names the tubes by
-- request code only. NULL for every other shipment.
ALTER TABLE shipments ${ADD_COLUMN} sample_request_id BIGINT NULL;
CREATE INDEX IF NOT EXISTS ix_shipments_request ON shipments (sample_request_id);
