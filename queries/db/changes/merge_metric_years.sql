-- A merge: the years of the changes file's dashboard_metrics rows, in the rebuild's order (newest first, then
-- none); merge_insert_dashboard_metrics copies them one year at a time.
SELECT DISTINCT year FROM changes.dashboard_metrics ORDER BY year DESC NULLS LAST
