-- The batched full rebuild starts from an empty dashboard_metrics of v_dashboard_metrics's columns and types, as the
-- whole rebuild's CREATE ... AS (refresh_dashboard_metrics) made them; the filter lets DuckDB plan nothing of the view.
CREATE OR REPLACE TABLE dashboard_metrics AS FROM v_dashboard_metrics WHERE false
