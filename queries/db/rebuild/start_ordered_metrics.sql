-- The batches leave dashboard_metrics in department order, every year in each batch, so a scan of one year would
-- read every row group; it is copied into this table a year at a time in refresh_dashboard_metrics's order.
CREATE OR REPLACE TABLE ordered_dashboard_metrics AS FROM dashboard_metrics WHERE false
