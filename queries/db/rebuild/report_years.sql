-- The years of dashboard_reports, newest first, then none: order_reports copies it a year at a time.
SELECT DISTINCT year FROM dashboard_reports ORDER BY year DESC NULLS LAST
