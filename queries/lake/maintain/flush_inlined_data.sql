-- DuckLake (lake maintain, step 1): rows small writes left inlined in the catalog (DuckLake 1.5.5 keeps inserts
-- of up to 10 rows in PostgreSQL, report bytes included) go out to Parquet files; one row per table flushed.
SELECT count(*) AS done FROM ducklake_flush_inlined_data('lake')
