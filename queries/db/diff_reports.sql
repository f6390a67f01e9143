-- Rows only in the full rebuild of dashboard_reports (rebuilt_reports) and rows only in the stored table; 0 and 0 mean
-- the kept table equals a full rebuild (as multisets). db.metrics_drift adds them to dashboard_metrics's counts.
SELECT (SELECT count(*) FROM (FROM rebuilt_reports EXCEPT ALL FROM dashboard_reports)) AS only_rebuilt,
       (SELECT count(*) FROM (FROM dashboard_reports EXCEPT ALL FROM rebuilt_reports)) AS only_stored
