-- The batched rebuild's last step puts dashboard_metrics in the whole rebuild's order one year at a time (as a merge
-- inserts, queries/db/changes/merge_insert_dashboard_metrics.sql): its years, newest first, then none.
SELECT DISTINCT year FROM dashboard_metrics ORDER BY year DESC NULLS LAST
