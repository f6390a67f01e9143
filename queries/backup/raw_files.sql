-- Every stored original file, for a backup.
SELECT sha256, source_file, bytes FROM raw_files ORDER BY sha256
