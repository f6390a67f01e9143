-- The batched full rebuild (db.rebuild_metrics) gathers its batches in a temporary dashboard_metrics of this
-- connection, of v_dashboard_metrics's columns and types (the filter lets DuckDB plan nothing of the view). Unqualified,
-- the name means the temporary table while it exists, so the writes' own statement fills it (db.insert_metrics);
-- temporary, it never takes room in the database file (DuckDB spills it to its temp directory beside the file).
CREATE OR REPLACE TEMP TABLE dashboard_metrics AS FROM v_dashboard_metrics WHERE false
