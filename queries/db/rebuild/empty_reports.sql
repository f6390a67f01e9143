-- The batched full rebuild starts from an empty dashboard_reports of v_dashboard_reports's columns and types (as
-- refresh_dashboard_reports made them).
CREATE OR REPLACE TABLE dashboard_reports AS FROM v_dashboard_reports WHERE false
