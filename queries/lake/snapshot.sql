-- DuckLake: the snapshot this transaction reads (the latest committed when it began).
SELECT id FROM lake.current_snapshot()
