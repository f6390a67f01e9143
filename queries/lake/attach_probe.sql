-- DuckLake (perfboard/lakeread.py): the lake read-only and unpinned, for asking its latest snapshot only.
ATTACH 'ducklake:perfboard_lake' AS lake_probe (READ_ONLY)
