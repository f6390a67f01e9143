-- DuckLake (lake maintain, step 4): files most of whose rows were deleted (dashboard_metrics's per-unit upkeep
-- deletes and reinserts rows) rewritten without them, at DuckLake's default threshold.
SELECT count(*) AS done FROM ducklake_rewrite_data_files('lake')
