-- How many touched reports wait for db.update_metrics (0 after every writer that kept its upkeep).
SELECT count(*) FROM touched_reports
