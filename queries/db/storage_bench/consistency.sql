-- Storage prototype (kill -9 test): how many reports, and whether reports, facts and dashboard rows are the
-- same set of reports (a half-written batch would break that).
WITH f AS (SELECT DISTINCT report_id FROM facts),
     d AS (SELECT DISTINCT report_id FROM dashboard_metrics)
SELECT (SELECT count(*) FROM reports) AS reports,
       (SELECT count(*) FROM f) = (SELECT count(*) FROM d)
   AND (SELECT count(*) FROM f) = (SELECT count(*) FROM f SEMI JOIN reports USING (report_id))
   AND (SELECT count(*) FROM f) = (SELECT count(*) FROM reports) AS facts_ok
