-- The reports the changes file's writer takes over from the bulk file before it writes them or their units.
CREATE TEMP TABLE IF NOT EXISTS brought (report_id VARCHAR NOT NULL)
