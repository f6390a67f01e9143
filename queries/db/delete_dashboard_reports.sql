-- Drops dashboard_reports's rows of the touched reports (touched_reports: whole units) before
-- db.insert_dashboard_reports computes them again.
DELETE FROM dashboard_reports WHERE report_id IN (SELECT report_id FROM touched_reports)
