-- The rebuilt, ordered table becomes dashboard_reports.
ALTER TABLE ordered_dashboard_reports RENAME TO dashboard_reports
