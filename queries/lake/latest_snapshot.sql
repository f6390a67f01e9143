-- DuckLake (perfboard/lakeread.py): the lake's latest committed snapshot, the dashboard's version of the lake.
SELECT id FROM lake_probe.current_snapshot()
