-- Reports extracted by another extractor version (or all, when $all), with their original bytes.
SELECT r.report_id, r.source_file, f.bytes
FROM reports r JOIN raw_files f USING (sha256)
WHERE $all OR r.extractor_version <> $extractor_version
ORDER BY r.report_id
