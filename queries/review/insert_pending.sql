-- An uploaded file that could not be read, kept with its bytes and the reason.
INSERT INTO pending_files (sha256, source_file, bytes, reason_code, reason_zh, reason_en)
VALUES ($sha256, $source_file, $bytes, $reason_code, $reason_zh, $reason_en)
ON CONFLICT DO NOTHING
