-- A full rebuild of dashboard_reports into a temporary table of this connection, leaving the stored table as it is
-- (readers may run it too): what db.metrics_drift compares the kept table with.
CREATE OR REPLACE TEMP TABLE rebuilt_reports AS FROM v_dashboard_reports
