-- Storage prototype (replica): rows of dashboard_metrics inserted (or updated) in the lake in snapshots $from_snapshot … $to_snapshot.
INSERT INTO main.dashboard_metrics BY NAME
SELECT rowid AS lake_rowid, * FROM ducklake_table_insertions('lake', 'main', 'dashboard_metrics', $from_snapshot, $to_snapshot)
