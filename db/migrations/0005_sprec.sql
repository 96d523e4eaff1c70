-- SPREC pre-analytical code per sample (lims/core/sprec.h), canonical spelling such as
-- "SER-SST-A-X-X-X-X". Tubes registered before this migration keep '' (not recorded).
-- The statement may run twice (MariaDB commits DDL at once).

ALTER TABLE samples ${ADD_COLUMN} sprec VARCHAR(32) NOT NULL DEFAULT '';
