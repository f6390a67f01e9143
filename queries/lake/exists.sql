-- DuckLake (lake.Lake.init): whether the lake has its tables already.
SELECT 1 FROM duckdb_tables() WHERE database_name = 'lake' AND table_name = 'reports'
