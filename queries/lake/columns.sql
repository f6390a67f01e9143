-- DuckLake (perfboard.lake check): every table's columns and types in database $database, in order, to compare
-- the lake (schema/lake_tables.sql) with a DuckDB file of schema/tables.sql (tests/test_lake_postgres.py).
SELECT table_name, column_name, data_type
FROM duckdb_columns()
WHERE database_name = $database AND schema_name = 'main'
  AND table_name IN (SELECT table_name FROM duckdb_tables() WHERE database_name = $database)
ORDER BY table_name, column_index
