-- DuckLake (lake maintain, step 3): the many small Parquet files of small writes merged into few per table; the old
-- ones are only scheduled for deletion (a reader may still scan them), not removed.
SELECT count(*) AS done FROM ducklake_merge_adjacent_files('lake')
