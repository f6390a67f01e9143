-- Storage prototype (a dashboard's local replica of the lake, perfboard/bench_storage.py): department_aliases as of the
-- snapshot attached, with DuckLake's stable row id (row lineage) to apply later changes by.
CREATE OR REPLACE TABLE main.department_aliases AS SELECT rowid AS lake_rowid, * FROM lake.department_aliases
