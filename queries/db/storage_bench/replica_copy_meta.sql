-- Storage prototype (a dashboard's local replica of the lake, perfboard/bench_storage.py): meta as of the
-- snapshot attached, with DuckLake's stable row id (row lineage) to apply later changes by.
CREATE OR REPLACE TABLE main.meta AS SELECT rowid AS lake_rowid, * FROM lake.meta
