-- The writer's set of reports whose dashboard_metrics rows a write must recompute (db.update_metrics):
-- a temporary table of the writing connection, filled inside the write's own transaction (so a rolled-back
-- write leaves it as it was) and emptied once the rows are recomputed.
CREATE TEMP TABLE IF NOT EXISTS touched_reports (report_id VARCHAR NOT NULL)
