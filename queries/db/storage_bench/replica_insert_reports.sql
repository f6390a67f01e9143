-- Storage prototype (replica): rows of reports inserted (or updated) in the lake in snapshots $from_snapshot … $to_snapshot.
INSERT INTO main.reports BY NAME
SELECT rowid AS lake_rowid, * EXCLUDE (text) FROM ducklake_table_insertions('lake', 'main', 'reports', $from_snapshot, $to_snapshot)
