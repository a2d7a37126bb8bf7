-- Up Migration
ALTER TABLE widgets ADD COLUMN colour text;

-- Down Migration
ALTER TABLE widgets DROP COLUMN colour;
