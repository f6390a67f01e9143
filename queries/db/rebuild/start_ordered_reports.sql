-- dashboard_reports in refresh_dashboard_reports's order, written a year at a time (start_ordered_metrics).
CREATE OR REPLACE TABLE ordered_dashboard_reports AS FROM temp.dashboard_reports WHERE false
