-- DuckLake (perfboard.lake check): every number the dashboard shows, with its report, comparison and
-- headline flag, to compare with a DuckDB file holding the same reports (tests/test_lake_postgres.py).
SELECT report_id, metric, subject, value, derived, prior_value, prior_year, headline, is_primary
FROM dashboard_metrics
ORDER BY ALL
