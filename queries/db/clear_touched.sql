-- Empties touched_reports once their rows of dashboard_metrics are recomputed.
DELETE FROM touched_reports
