-- Which open request holds a tube (a shipment must not carry a tube reserved or picked for one).
CREATE INDEX IF NOT EXISTS ix_request_samples_sample ON request_samples (sample_id);
