-- Storage prototype: compaction: small Parquet files written by small transactions merged into larger ones.
CALL ducklake_merge_adjacent_files('lake')
