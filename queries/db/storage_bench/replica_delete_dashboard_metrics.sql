-- Storage prototype (replica): rows of dashboard_metrics deleted (or updated) in the lake in snapshots $from_snapshot … $to_snapshot.
DELETE FROM main.dashboard_metrics WHERE lake_rowid IN (
    SELECT rowid FROM ducklake_table_deletions('lake', 'main', 'dashboard_metrics', $from_snapshot, $to_snapshot))
