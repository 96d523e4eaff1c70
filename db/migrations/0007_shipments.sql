-- Shipments between centres: outgoing drafts packed and dispatched here, and incoming shipments
-- imported from another installation's manifest and received tube by tube. Every statement may
-- run twice (MariaDB commits DDL at once).

CREATE TABLE IF NOT EXISTS shipments (
  id ${PK},
  direction VARCHAR(8) NOT NULL,
  status VARCHAR(16) NOT NULL,
  -- Outgoing: the origin site; incoming: the receiving site.
  site_id BIGINT NOT NULL,
  from_site_code VARCHAR(16) NOT NULL,
  destination VARCHAR(500) NOT NULL,
  packaging VARCHAR(20) NOT NULL,
  courier VARCHAR(100) NOT NULL,
  tracking_number VARCHAR(100) NOT NULL,
  logger_id VARCHAR(100) NOT NULL,
  notes VARCHAR(2000) NOT NULL,
  manifest_digest VARCHAR(64) NOT NULL,
  -- The manifest as frozen at dispatch (outgoing) or as imported (incoming); '' before.
  manifest_json ${LONG_TEXT} NOT NULL,
  -- Incoming only (NULL otherwise): a manifest is imported once.
  import_digest VARCHAR(64) NULL,
  created_by VARCHAR(64) NOT NULL,
  created_at BIGINT NOT NULL,
  dispatched_at BIGINT NULL,
  version BIGINT NOT NULL,
  CONSTRAINT fk_shipments_site FOREIGN KEY (site_id) REFERENCES sites (id),
  CONSTRAINT uq_shipments_import UNIQUE (import_digest)
) ${TABLE_OPTIONS};

CREATE INDEX IF NOT EXISTS ix_shipments_site ON shipments (site_id, id);

-- The tubes of a shipment: expected (on the manifest), received, or unexpected (scanned at
-- receipt, not on the manifest: no sample).
CREATE TABLE IF NOT EXISTS shipment_items (
  id ${PK},
  shipment_id BIGINT NOT NULL,
  sample_id BIGINT NULL,
  barcode VARCHAR(64) NOT NULL,
  sample_type VARCHAR(16) NOT NULL,
  quantity_amount BIGINT NOT NULL,
  quantity_unit VARCHAR(8) NOT NULL,
  packed_box VARCHAR(200) NOT NULL,
  packed_position VARCHAR(8) NOT NULL,
  state VARCHAR(12) NOT NULL,
  item_condition VARCHAR(8) NOT NULL,
  resolution VARCHAR(1000) NOT NULL,
  CONSTRAINT fk_shipment_items_shipment FOREIGN KEY (shipment_id) REFERENCES shipments (id),
  CONSTRAINT fk_shipment_items_sample FOREIGN KEY (sample_id) REFERENCES samples (id),
  CONSTRAINT uq_shipment_items UNIQUE (shipment_id, barcode)
) ${TABLE_OPTIONS};

CREATE INDEX IF NOT EXISTS ix_shipment_items_sample ON shipment_items (sample_id);
