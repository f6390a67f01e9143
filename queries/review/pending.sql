-- Files that could not be read, kept with their bytes (待处理).
SELECT sha256, source_file, reason_code, reason_zh, reason_en, octet_length(bytes) AS size_bytes, received_at
FROM pending_files ORDER BY received_at DESC
