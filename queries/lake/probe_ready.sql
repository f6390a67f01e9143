-- DuckLake (perfboard/lakeread.py): whether `lake init` made the dashboard's tables in the lake the probe
-- attached (1), or the catalog holds a DuckLake without them.
SELECT count(*) FROM duckdb_tables() WHERE database_name = 'lake_probe' AND table_name = 'dashboard_metrics'
