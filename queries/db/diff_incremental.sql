-- Rows only in the full rebuild (rebuilt_metrics), rows only in the stored dashboard_metrics, and the stored
-- table's row count; 0 and 0 mean the incrementally kept table equals a full rebuild (as multisets).
SELECT (SELECT count(*) FROM (FROM rebuilt_metrics EXCEPT ALL FROM dashboard_metrics)) AS only_rebuilt,
       (SELECT count(*) FROM (FROM dashboard_metrics EXCEPT ALL FROM rebuilt_metrics)) AS only_stored,
       (SELECT count(*) FROM dashboard_metrics) AS rows
