-- Storage prototype (check): rows only in the rebuilt table, and rows only in the incremental copy (both 0 = equal).
SELECT (SELECT count(*) FROM (FROM dashboard_metrics EXCEPT ALL FROM incremental_copy)) AS only_rebuilt,
       (SELECT count(*) FROM (FROM incremental_copy EXCEPT ALL FROM dashboard_metrics)) AS only_incremental,
       (SELECT count(*) FROM dashboard_metrics) AS rows
