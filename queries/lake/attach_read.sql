-- DuckLake (perfboard/lakeread.py, the dashboard's read connection): the lake read-only at snapshot $snapshot,
-- under the catalog name the pages' queries use (db.use_database): every query on it sees that one snapshot.
ATTACH 'ducklake:perfboard_lake' AS perfboard (READ_ONLY, SNAPSHOT_VERSION $snapshot)
