-- DuckLake (lake.store_prepared): an uploaded file that could not be read, kept with its bytes and reason, once
-- per content: the lake has no primary key, so an anti-join under the writer's lock does what
-- review.insert_pending's ON CONFLICT does.
INSERT INTO pending_files (sha256, source_file, bytes, reason_code, reason_zh, reason_en)
SELECT $sha256, $source_file, $bytes, $reason_code, $reason_zh, $reason_en
WHERE NOT EXISTS (SELECT 1 FROM pending_files WHERE sha256 = $sha256)
