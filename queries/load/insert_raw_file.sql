-- Keep the original bytes of a report (once per content).
INSERT INTO raw_files (sha256, source_file, size_bytes, bytes)
VALUES ($sha256, $source_file, $size_bytes, $bytes)
ON CONFLICT DO NOTHING
