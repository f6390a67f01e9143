-- Drops dashboard_metrics's rows of the touched reports (touched_reports) before db.insert_metrics
-- computes them again.
DELETE FROM dashboard_metrics WHERE report_id IN (SELECT report_id FROM touched_reports)
