-- DuckLake (perfboard.lake check): every table's columns and types in database $database, in order, to compare
-- the lake (schema/lake_tables.sql) with a DuckDB file of schema/tables.sql (tests/test_lake_postgres.py).
-- Not bulk_rows: a bulk file's row map (queries/db/changes/index_bulk.sql) is that file's own, outside the
-- schema; a lake has none.
SELECT table_name, column_name, data_type
FROM duckdb_columns()
WHERE database_name = $database AND schema_name = 'main'
  AND table_name IN (SELECT table_name FROM duckdb_tables() WHERE database_name = $database)
  AND table_name <> 'bulk_rows'
ORDER BY table_name, column_index
