-- A compared rebuild, once rebuilt (db.rebuild_metrics with compare): rows only in the rebuilt tables (ordered_*) and
-- rows only in the kept ones, dashboard_metrics's and dashboard_reports's added, and the kept
-- dashboard_metrics's row count: db.metrics_drift's figures. Rows are compared as multisets by a hash of every
-- column (DuckDB's hash of the row), counted per hash: one pass over each table, and what a pass holds is a hash
-- and a count per row, which DuckDB spills beyond the writer's bound; comparing the rows themselves (EXCEPT ALL)
-- held whole rows of both tables (4.2 GiB at 300,000 reports with the rebuild). Two different rows would count
-- as equal only if their 64-bit hashes collided.
WITH new_m AS (SELECT hash(x) AS h, count(*) AS n FROM ordered_dashboard_metrics x GROUP BY h),
old_m AS (SELECT hash(x) AS h, count(*) AS n FROM dashboard_metrics x GROUP BY h),
new_r AS (SELECT hash(x) AS h, count(*) AS n FROM ordered_dashboard_reports x GROUP BY h),
old_r AS (SELECT hash(x) AS h, count(*) AS n FROM dashboard_reports x GROUP BY h),
m AS (SELECT coalesce(new_m.n, 0) - coalesce(old_m.n, 0) AS more FROM new_m FULL JOIN old_m USING (h)),
r AS (SELECT coalesce(new_r.n, 0) - coalesce(old_r.n, 0) AS more FROM new_r FULL JOIN old_r USING (h))
SELECT (SELECT coalesce(sum(greatest(more, 0)), 0) FROM m) + (SELECT coalesce(sum(greatest(more, 0)), 0) FROM r)
           AS only_rebuilt,
       (SELECT coalesce(sum(greatest(-more, 0)), 0) FROM m) + (SELECT coalesce(sum(greatest(-more, 0)), 0) FROM r)
           AS only_kept,
       (SELECT count(*) FROM dashboard_metrics) AS rows
