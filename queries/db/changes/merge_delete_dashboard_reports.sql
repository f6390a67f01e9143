-- A merge (in the private copy of the bulk file): drops the dashboard_reports rows of every report the changes file
-- holds, whose rows there replace them (merge_insert_dashboard_reports).
DELETE FROM dashboard_reports WHERE report_id IN (SELECT report_id FROM changes.reports)
