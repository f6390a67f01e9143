-- A merge (in the private copy of the bulk file): drops the dashboard_metrics rows of every report the changes file holds,
-- whose rows there replace them (merge_insert_dashboard_metrics).
DELETE FROM dashboard_metrics WHERE report_id IN (SELECT report_id FROM changes.reports)
