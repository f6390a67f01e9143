-- The batches leave the temporary dashboard_metrics in department order, every year in each batch; the database's
-- table is written from it a year at a time in refresh_dashboard_metrics's order (order_metrics), so that the
-- dashboard's scans of a year read few row groups, under this name until it replaces the kept one.
CREATE OR REPLACE TABLE ordered_dashboard_metrics AS FROM temp.dashboard_metrics WHERE false
